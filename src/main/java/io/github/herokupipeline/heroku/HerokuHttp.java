package io.github.herokupipeline.heroku;

import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpContent;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpResponse;
import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One place that sends requests to the Platform API: headers, JSON, retries (when and how long: {@link Retries}),
 * pagination and error mapping. The API key goes only to the API's own origin.
 */
final class HerokuHttp implements Closeable {

    static final String ACCEPT_V3 = "application/vnd.heroku+json; version=3";
    private static final Set<String> IDEMPOTENT = Set.of("GET", "PUT", "DELETE", "PATCH", "HEAD");
    /** No list the plugin reads needs more pages than this; a server that keeps paging is stopped here. */
    static final int MAX_PAGES = 20;

    /**
     * Made on first use, not with the client: a cold JVM loads about 150 classes for it, which the first request can
     * do without until its answer comes (and {@link ClientWarmUp} loads them meanwhile on another thread).
     */
    private static final class GsonHolder {
        static final Gson GSON = new GsonBuilder()
                .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
                .disableHtmlEscaping()
                .create();
    }

    static Gson gson() {
        return GsonHolder.GSON;
    }

    private final HerokuClientConfig config;
    private final Retries retries;
    private final Transports transports;

    HerokuHttp(HerokuClientConfig config) {
        this.config = config;
        this.retries = new Retries(config);
        this.transports = new Transports(config);
    }

    /** What came back: status, headers and the whole body as text. */
    record Reply(int status, HttpHeaders headers, String body) {
        String header(String name) {
            return headers.getFirstHeaderStringValue(name);
        }

        String requestId() {
            return header("Request-Id");
        }
    }

    /** A request about to be sent. */
    static final class Call {
        final String action;
        final String method;
        final GenericUrl url;
        HttpContent content;
        String accept = ACCEPT_V3;
        String range;
        boolean apiRequest = true;

        Call(String action, String method, GenericUrl url) {
            this.action = action;
            this.method = method;
            this.url = url;
        }
    }

    GenericUrl url(String... segments) {
        StringBuilder path = new StringBuilder(config.baseUrl().toString());
        for (String segment : segments) {
            path.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return new GenericUrl(path.toString());
    }

    Call call(String action, String method, String... segments) {
        return new Call(action, method, url(segments));
    }

    static HttpContent json(Object body) {
        return new ByteArrayContent("application/json", gson().toJson(body).getBytes(StandardCharsets.UTF_8));
    }

    /** JSON that keeps null values: Heroku reads {@code "NAME": null} as "remove NAME". */
    static HttpContent jsonKeepingNulls(Object body) {
        return new ByteArrayContent("application/json",
                gson().newBuilder().serializeNulls().create().toJson(body).getBytes(StandardCharsets.UTF_8));
    }

    <T> T send(Call call, Type type) throws IOException {
        Reply reply = execute(call);
        return parse(call, reply, type);
    }

    <T> T parse(Call call, Reply reply, Type type) throws IOException {
        try {
            T value = gson().fromJson(reply.body(), type);
            if (value == null) {
                throw new IOException("Heroku sent an empty answer to " + call.action + " (HTTP " + reply.status()
                        + ", Request-Id " + reply.requestId() + ")");
            }
            return value;
        } catch (JsonParseException e) {
            throw new IOException("Heroku's answer to " + call.action + " is not the JSON expected (HTTP "
                    + reply.status() + ", Request-Id " + reply.requestId() + "): " + e.getMessage(), e);
        }
    }

    /**
     * A list, newest or oldest first as {@code range} asks, following {@code Next-Range} on 206 until
     * {@code maxItems} are collected or the list ends.
     */
    <T> List<T> list(Call first, String range, Type arrayType, int maxItems) throws IOException {
        List<T> items = new ArrayList<>();
        Set<String> rangesAsked = new HashSet<>();
        String nextRange = range;
        for (int pages = 1; ; pages++) {
            Call call = new Call(first.action, "GET", first.url);
            call.accept = first.accept;
            call.range = nextRange;
            rangesAsked.add(nextRange);
            Reply reply = execute(call);
            List<T> page = parse(call, reply, arrayType);
            items.addAll(page);
            nextRange = reply.header("Next-Range");
            boolean more = reply.status() == 206 && nextRange != null && !nextRange.isBlank() && !page.isEmpty()
                    && items.size() < maxItems;
            if (more && (rangesAsked.contains(nextRange) || pages >= MAX_PAGES)) {
                debug(call, "stops paging: " + (pages >= MAX_PAGES ? MAX_PAGES + " pages read"
                        : "Next-Range repeats a range already read"));
                more = false;
            }
            if (!more) {
                return items.size() > maxItems ? new ArrayList<>(items.subList(0, maxItems)) : items;
            }
        }
    }

    /** Sends with retries and returns a 2xx reply; anything else becomes a {@link HerokuApiException}. */
    Reply execute(Call call) throws IOException {
        boolean idempotent = IDEMPOTENT.contains(call.method);
        Instant deadline = retries.deadline();
        int attempt = 0;
        while (true) {
            attempt++;
            retries.paceForRateLimit();
            Reply reply;
            long started = System.nanoTime();
            try {
                reply = exchange(call);
            } catch (IOException e) {
                Duration delay = retries.backoff(attempt);
                if (idempotent && retries.fitsBefore(deadline, delay)) {
                    debug(call, "I/O error " + e.getClass().getSimpleName() + ", retrying in " + delay.toMillis()
                            + " ms");
                    retries.pause(delay);
                    continue;
                }
                throw new IOException("Could not " + call.action + ": " + describe(e)
                        + (attempt > 1 ? " (gave up after " + attempt + " attempts)" : ""), e);
            }
            debug(call, "-> " + reply.status() + " (" + (System.nanoTime() - started) / 1_000_000 + " ms"
                    + (reply.requestId() == null ? "" : ", Request-Id " + reply.requestId()) + ")");
            retries.noteRateLimit(reply.header("RateLimit-Remaining"));
            if (reply.status() / 100 == 2) {
                return reply;
            }
            boolean retryable = reply.status() == 429 || (idempotent && reply.status() / 100 == 5);
            if (retryable) {
                Duration remaining = retries.remaining(deadline);
                if (remaining.toMillis() > 0) {
                    retries.pause(Retries.retryDelay(retries.retryAfter(reply.header("Retry-After")),
                            retries.backoff(attempt), remaining));
                    continue;
                }
            }
            throw error(call, reply, retryable ? attempt : 1);
        }
    }

    private Reply exchange(Call call) throws IOException {
        boolean override = !transports.supportsMethod(call.method);
        HttpRequest request = transports.requestsFor(call.apiRequest).buildRequest(override ? "POST" : call.method, call.url,
                call.content);
        if (override) {
            request.getHeaders().set("X-Http-Method-Override", call.method);
        }
        request.setThrowExceptionOnExecuteError(false);
        request.setNumberOfRetries(0);
        request.setFollowRedirects(false);
        request.setConnectTimeout((int) config.connectTimeout().toMillis());
        request.setReadTimeout((int) config.readTimeout().toMillis());
        HttpHeaders headers = request.getHeaders();
        headers.setUserAgent(config.userAgent());
        if (call.apiRequest) {
            headers.setAccept(call.accept);
            headers.setAuthorization("Bearer " + config.apiKey());
        }
        if (call.range != null) {
            headers.setRange(call.range);
        }
        UploadWatch.Exchange exchange = new UploadWatch.Exchange();
        transports.sending(exchange);
        UploadWatch watch = call.content != null && call.content.getLength() > 0
                ? new UploadWatch(exchange, config.readTimeout()) : null;
        if (watch != null) {
            request.setContent(watch.watching(call.content));
        }
        try {
            HttpResponse response = request.execute();
            try {
                return new Reply(response.getStatusCode(), response.getHeaders(), readBody(response));
            } finally {
                response.disconnect();
            }
        } catch (IOException e) {
            if (exchange.stalled) {
                throw new IOException("the request body stopped moving: nothing could be written for "
                        + config.readTimeout().toSeconds() + "s (the write timeout, <httpTimeout>)", e);
            }
            throw e;
        } finally {
            if (watch != null) {
                watch.stop();
            }
            transports.ended(exchange);
        }
    }

    /** Opens a response whose body the caller reads itself (a log stream); the caller must disconnect it. */
    HttpResponse open(GenericUrl url, String range, boolean withApiKey) throws IOException {
        HttpRequest request = transports.requestsFor(withApiKey).buildGetRequest(url);
        request.setThrowExceptionOnExecuteError(false);
        request.setNumberOfRetries(0);
        request.setConnectTimeout((int) config.connectTimeout().toMillis());
        request.setReadTimeout((int) config.readTimeout().toMillis());
        request.getHeaders().setUserAgent(config.userAgent());
        request.getHeaders().setAcceptEncoding("identity"); // Range offsets count the bytes as sent
        if (withApiKey) {
            request.getHeaders().setAccept(ACCEPT_V3);
            request.getHeaders().setAuthorization("Bearer " + config.apiKey());
        }
        if (range != null) {
            request.getHeaders().setRange(range);
        }
        return request.execute();
    }

    /** True when {@code url} is on the API's own scheme, host and port: only there may the key go. */
    boolean isApiOrigin(GenericUrl url) {
        GenericUrl api = new GenericUrl(config.baseUrl());
        return api.getScheme().equalsIgnoreCase(url.getScheme()) && api.getHost().equalsIgnoreCase(url.getHost())
                && api.getPort() == url.getPort();
    }

    private static String readBody(HttpResponse response) throws IOException {
        InputStream content = response.getContent();
        if (content == null) {
            return "";
        }
        try (content) {
            return new String(content.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private HerokuApiException error(Call call, Reply reply, int attempts) {
        String id = null;
        String message = null;
        try {
            JsonElement body = JsonParser.parseString(reply.body());
            if (body.isJsonObject()) {
                JsonObject object = body.getAsJsonObject();
                id = text(object, "id");
                message = text(object, "message");
                if (message == null) {
                    message = text(object, "error");
                }
            }
        } catch (JsonParseException | IllegalStateException e) {
            // not Heroku's JSON (a proxy or load balancer answered): keep the start of the body below
        }
        if (message == null) {
            String raw = reply.body().replaceAll("\\s+", " ").strip();
            message = raw.isEmpty() ? null : (raw.length() > 200 ? raw.substring(0, 200) + "..." : raw);
        }
        if (attempts > 1) {
            message = (message == null ? "" : message + " ") + "(gave up after " + attempts + " attempts)";
        }
        return HerokuApiException.of(call.action, reply.status(), id, message, reply.requestId());
    }

    private static String text(JsonObject object, String name) {
        JsonElement value = object.get(name);
        return value == null || !value.isJsonPrimitive() ? null : value.getAsString();
    }

    int rateLimitRemaining() {
        return retries.rateLimitRemaining();
    }

    void pause(Duration delay) throws IOException {
        retries.pause(delay);
    }

    private void debug(Call call, String what) {
        config.debugLog().accept(call.method + " " + call.url.getRawPath() + " " + what);
    }

    void debug(String line) {
        config.debugLog().accept(line);
    }

    static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Cuts every connection still in use (their threads fail at once), then shuts the transports down. */
    @Override
    public void close() throws IOException {
        transports.close();
    }
}
