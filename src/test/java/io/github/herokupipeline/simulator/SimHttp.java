package io.github.herokupipeline.simulator;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The simulator's HTTP vocabulary: replies, API errors, JSON bodies, and lists paged by {@code Range}. */
final class SimHttp {

    static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
    private static final Pattern RANGE = Pattern.compile(
            "^\\s*([a-z_]+)\\s+(\\]?)([^.\\s]*)\\.\\.([^\\s;\\[]*)(\\[?)\\s*(?:;\\s*(.*))?$");

    private SimHttp() {}

    record Reply(int status, Map<String, String> headers, byte[] body) {}

    /** Ends a request by dropping its connection. */
    static final class Abort extends RuntimeException {
        Abort() {
            super("connection dropped by the simulator", null, false, false);
        }
    }

    static void send(HttpExchange exchange, Reply reply) throws IOException {
        Headers out = exchange.getResponseHeaders();
        reply.headers().forEach(out::set);
        if (!out.containsKey("Request-Id")) {
            String clientId = exchange.getRequestHeaders().getFirst("Request-Id");
            out.set("Request-Id", clientId == null ? SimWorld.uuid() : clientId + "," + SimWorld.uuid());
        }
        byte[] body = reply.body();
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream stream = exchange.getResponseBody()) {
                stream.write(body);
            }
        }
        exchange.close();
    }


    /** A route's answer to one request. */
    interface Route {
        Reply serve(Matcher path, Headers headers, String body);
    }

    /** An error Heroku answers with {@code {"id": ..., "message": ...}}. */
    static final class ApiError extends RuntimeException {
        final int status;
        final String id;

        ApiError(int status, String id, String message) {
            super(message, null, false, false);
            this.status = status;
            this.id = id;
        }
    }

    static Reply ok(JsonElement json) {
        return json(200, json);
    }

    static Reply json(int status, JsonElement json) {
        return new Reply(status, Map.of("Content-Type", "application/json"),
                GSON.toJson(json).getBytes(StandardCharsets.UTF_8));
    }

    static Reply error(int status, String id, String message, Map<String, String> headers) {
        JsonObject body = new JsonObject();
        body.addProperty("id", id);
        body.addProperty("message", message);
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/json");
        return new Reply(status, all, GSON.toJson(body).getBytes(StandardCharsets.UTF_8));
    }

    static JsonObject parseObject(String body) {
        if (body == null || body.isBlank()) {
            return new JsonObject();
        }
        JsonElement element = JsonParser.parseString(body);
        if (!element.isJsonObject()) {
            throw new ApiError(400, "bad_request", "The request body must be a JSON object.");
        }
        return element.getAsJsonObject();
    }

    static String string(JsonObject object, String name) {
        JsonElement value = object == null ? null : object.get(name);
        return value == null || value.isJsonNull() ? null : value.getAsString();
    }

    static JsonObject object(JsonObject object, String name) {
        JsonElement value = object == null ? null : object.get(name);
        return value == null || !value.isJsonObject() ? null : value.getAsJsonObject();
    }

    private record RangeSpec(String field, boolean exclusiveStart, String start, int max, boolean descending) {}

    private static RangeSpec parseRange(Headers headers, Set<String> fields) {
        String header = headers.getFirst("Range");
        if (header == null || header.isBlank()) {
            return new RangeSpec("id", false, "", 200, false);
        }
        Matcher matcher = RANGE.matcher(header);
        if (!matcher.matches() || !fields.contains(matcher.group(1))) {
            throw new ApiError(416, "requested_range_not_satisfiable",
                    "Invalid Range header '" + header + "'; acceptable fields: " + String.join(", ", fields));
        }
        int max = 200;
        boolean descending = false;
        if (matcher.group(6) != null) {
            for (String option : matcher.group(6).split("[,;]")) {
                String[] pair = option.strip().split("=", 2);
                if (pair.length == 2 && pair[0].strip().equals("max")) {
                    max = Math.min(1000, Math.max(1, Integer.parseInt(pair[1].strip())));
                } else if (pair.length == 2 && pair[0].strip().equals("order")) {
                    descending = pair[1].strip().equals("desc");
                }
            }
        }
        return new RangeSpec(matcher.group(1), !matcher.group(2).isEmpty(), matcher.group(3), max, descending);
    }

    static <T> Reply page(List<T> items, Headers headers, Map<String, Function<T, Comparable<?>>> keys,
            Function<T, JsonElement> render) {
        RangeSpec range = parseRange(headers, keys.keySet());
        @SuppressWarnings("unchecked")
        Function<T, Comparable<Object>> key = (Function<T, Comparable<Object>>) (Function<?, ?>) keys.get(range.field());
        Comparator<T> order = Comparator.comparing(key);
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(range.descending() ? order.reversed() : order);
        List<T> window = new ArrayList<>();
        for (T item : sorted) {
            if (!range.start().isEmpty()) {
                int compared = compareKey(key.apply(item), range.start());
                boolean before = range.descending() ? compared > 0 : compared < 0;
                if (before || (range.exclusiveStart() && compared == 0)) {
                    continue;
                }
            }
            window.add(item);
        }
        boolean truncated = window.size() > range.max();
        List<T> shown = truncated ? window.subList(0, range.max()) : window;
        JsonArray array = new JsonArray();
        shown.forEach(item -> array.add(render.apply(item)));
        Map<String, String> replyHeaders = new LinkedHashMap<>();
        replyHeaders.put("Content-Type", "application/json");
        replyHeaders.put("Accept-Ranges", String.join(", ", keys.keySet()));
        if (!shown.isEmpty()) {
            replyHeaders.put("Content-Range", range.field() + " " + key.apply(shown.get(0)) + ".."
                    + key.apply(shown.get(shown.size() - 1)));
        }
        if (truncated) {
            replyHeaders.put("Next-Range", range.field() + " ]" + key.apply(shown.get(shown.size() - 1)) + "..; max="
                    + range.max() + (range.descending() ? ", order=desc" : ""));
        }
        return new Reply(truncated ? 206 : 200, replyHeaders, GSON.toJson(array).getBytes(StandardCharsets.UTF_8));
    }

    private static int compareKey(Object value, String bound) {
        if (value instanceof Integer number) {
            try {
                return Integer.compare(number, Integer.parseInt(bound));
            } catch (NumberFormatException e) {
                throw new ApiError(416, "requested_range_not_satisfiable", "Invalid Range start '" + bound + "'");
            }
        }
        return value.toString().compareTo(bound);
    }
}
