package io.github.herokupipeline.simulator;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful stand-in for the Heroku Platform API on 127.0.0.1, for tests, invoker ITs and the demo. It behaves
 * like Heroku rather than like a stub: builds take time while their logs stream, then leave a slug and a release;
 * releases run a release phase; promotions copy a release's slug to target apps asynchronously and report per
 * target; lists honour {@code Range} and answer 206 with {@code Next-Range}; every response carries
 * {@code Request-Id} and {@code RateLimit-Remaining}. Response shapes follow the official schema (checked by
 * {@code SimulatorConformanceTest}). Faults are scripted through {@link #faults()}.
 */
public final class HerokuSimulator implements AutoCloseable {

    public static final String DEFAULT_KEY = "simulated-api-key";
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
    private static final Pattern RANGE = Pattern.compile(
            "^\\s*([a-z_]+)\\s+(\\]?)([^.\\s]*)\\.\\.([^\\s;\\[]*)(\\[?)\\s*(?:;\\s*(.*))?$");
    private static final String STACK_ID = "ee582d3c-717d-4a57-ba5f-8b3a39f3a817";
    private static final String USER_ID = "44444444-4444-4444-8444-444444444444";
    private static final String USER_EMAIL = "ci@example.com";

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool(daemon("heroku-sim-http"));
    private final ScheduledExecutorService clockwork = Executors.newScheduledThreadPool(2, daemon("heroku-sim"));
    private final Timing timing;
    private final Faults faults = new Faults();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Set<String> apiKeys = ConcurrentHashMap.newKeySet();

    private final Map<String, AppState> apps = new LinkedHashMap<>();
    private final Map<String, PipelineState> pipelines = new LinkedHashMap<>();
    private final Map<String, CouplingState> couplings = new LinkedHashMap<>();
    private final Map<String, BuildState> builds = new LinkedHashMap<>();
    private final Map<String, SlugState> slugs = new LinkedHashMap<>();
    private final Map<String, ReleaseState> releases = new LinkedHashMap<>();
    private final Map<String, PromotionState> promotions = new LinkedHashMap<>();
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, String> blobSignatures = new ConcurrentHashMap<>();
    private final Map<String, SimLog> logs = new ConcurrentHashMap<>();
    private final Map<String, WebBehaviour> webBehaviours = new LinkedHashMap<>();
    private Instant lastCreated = Instant.EPOCH;

    private double rateTokens;
    private int rateCapacity = 4500;
    private long rateRefilledAt = System.nanoTime();

    /** How long simulated work takes. Mutable so a test or the demo can slow Heroku down or speed it up. */
    public static final class Timing {
        public volatile long buildMillis = 400;
        public volatile int buildLogLines = 6;
        /** How long a build's status stays pending after its log stream ended, as on Heroku. */
        public volatile long statusLagMillis = 30;
        public volatile long promotionMillis = 150;
        public volatile long releasePhaseMillis = 200;
        public volatile long streamPollMillis = 50;

        public static Timing fast() {
            return new Timing();
        }
    }

    /** What the next build on an app does. */
    public record BuildScript(boolean succeeds, long millis, List<String> lines) {
        public static BuildScript failing(String... lines) {
            return new BuildScript(false, -1, List.of(lines));
        }

        public static BuildScript succeeding(long millis) {
            return new BuildScript(true, millis, List.of());
        }
    }

    /** A snapshot of a build, for assertions. */
    public record SimBuild(String id, String app, String status, String version, String releaseId, String slugId,
            Instant createdAt, Instant finishedAt) {}

    /** A snapshot of a release, for assertions. */
    public record SimRelease(String id, String app, int version, String status, boolean current, String slugId,
            String commit, String description) {}

    static {
        // The JDK server otherwise lets Nagle's algorithm and delayed ACKs add ~40 ms to each keep-alive exchange
        // on loopback: latency Heroku does not have, and that would blur what the benchmark measures.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private HerokuSimulator(Timing timing) throws IOException {
        this.timing = timing;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        this.server.setExecutor(handlers);
        this.server.createContext("/", this::handle);
        this.rateTokens = rateCapacity;
        apiKeys.add(DEFAULT_KEY);
    }

    public static HerokuSimulator start() throws IOException {
        return start(Timing.fast());
    }

    public static HerokuSimulator start(Timing timing) throws IOException {
        HerokuSimulator simulator = new HerokuSimulator(timing);
        simulator.server.start();
        return simulator;
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Where this simulator serves the web app of {@code appName}. */
    public String localWebUrl(String appName) {
        return apiUrl() + "/web/" + appName + "/";
    }

    public Timing timing() {
        return timing;
    }

    public Faults faults() {
        return faults;
    }

    /** Adds an API key the simulator accepts ({@link #DEFAULT_KEY} is accepted from the start). */
    public HerokuSimulator acceptKey(String key) {
        apiKeys.add(key);
        return this;
    }

    public synchronized HerokuSimulator rateLimitCapacity(int capacity) {
        rateCapacity = capacity;
        rateTokens = capacity;
        return this;
    }

    // ------------------------------------------------------------------ scripting the world

    /**
     * Creates an app. Its {@code web_url} is the schema's {@code https://<name>.herokuapp.com/}; the app itself is
     * served on loopback at {@link #localWebUrl(String)}.
     */
    public synchronized AppHandle createApp(String name) {
        AppState app = new AppState(uuid(), name, now());
        apps.put(app.id, app);
        return new AppHandle(app);
    }

    /** A handle to script an app created earlier. */
    public synchronized AppHandle appHandle(String name) {
        return new AppHandle(appNamed(name));
    }

    public synchronized String createPipeline(String name) {
        PipelineState pipeline = new PipelineState(uuid(), name, now());
        pipelines.put(pipeline.id, pipeline);
        return pipeline.id;
    }

    public synchronized void couple(String appName, String pipelineName, String stage) {
        AppState app = appNamed(appName);
        PipelineState pipeline = pipelines.values().stream().filter(p -> p.name.equals(pipelineName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pipeline " + pipelineName));
        couplings.values().removeIf(c -> c.appId.equals(app.id));
        CouplingState coupling = new CouplingState(uuid(), app.id, pipeline.id, stage, now());
        couplings.put(coupling.id, coupling);
    }

    /** Convenience: a pipeline with apps {@code <name>-prepare} (development), staging and production. */
    public synchronized void createStandardPipeline(String name, String... extraProductionApps) {
        createPipeline(name);
        for (String[] app : new String[][] {{name + "-prepare", "development"}, {name + "-staging", "staging"},
                {name + "-production", "production"}}) {
            createApp(app[0]);
            couple(app[0], name, app[1]);
        }
        for (String extra : extraProductionApps) {
            createApp(extra);
            couple(extra, name, "production");
        }
    }

    /** A handle to script one app. */
    public final class AppHandle {
        private final AppState app;

        private AppHandle(AppState app) {
            this.app = app;
        }

        public String id() {
            return app.id;
        }

        public String name() {
            return app.name;
        }

        /** Gives the app a release phase taking {@code millis}; {@code fails} makes it fail. */
        public AppHandle releasePhase(long millis, boolean fails) {
            synchronized (HerokuSimulator.this) {
                app.releasePhaseMillis = millis;
                app.releasePhaseFails = fails;
            }
            return this;
        }

        /** {@code cedar} (slugs, the default) or {@code fir} (OCI images). */
        public AppHandle generation(String generation) {
            synchronized (HerokuSimulator.this) {
                app.generation = generation;
            }
            return this;
        }

        public AppHandle stack(String stack) {
            synchronized (HerokuSimulator.this) {
                app.stack = stack;
            }
            return this;
        }

        /** The next build on this app follows {@code script}. */
        public AppHandle nextBuild(BuildScript script) {
            synchronized (HerokuSimulator.this) {
                app.scriptedBuilds.add(script);
            }
            return this;
        }
    }

    /**
     * Starts a build on an app as if someone else had (another CI job, a newer commit), without an upload.
     * Returns the build id.
     */
    public synchronized String startBuild(String appName, String version) {
        AppState app = appNamed(appName);
        BuildState build = newBuild(app, "sim://source/" + version, version, null, null, null);
        return build.id;
    }

    /**
     * How an app answers at {@link #localWebUrl(String)} while it runs a slug of {@code commit}: {@code status} and
     * {@code body} once booted, 503 for {@code bootMillis} after the release became current. Commits not scripted
     * answer 200 with a JSON body naming the app and commit.
     */
    public synchronized HerokuSimulator webApp(String commit, int status, String body, long bootMillis) {
        webBehaviours.put(commit, new WebBehaviour(status, body, bootMillis));
        return this;
    }

    /** Puts a release in the state Heroku gives releases that can no longer be promoted. */
    public synchronized void expireRelease(String appName, String releaseId) {
        ReleaseState release = releases.get(releaseId);
        if (release == null || !release.appId.equals(appNamed(appName).id)) {
            throw new IllegalArgumentException("no release " + releaseId + " on " + appName);
        }
        release.status = "expired";
        release.updatedAt = now();
    }

    /** Directly releases the slug of {@code commit} on an app (as if deployed earlier), and returns its id. */
    public synchronized String seedRelease(String appName, String commit) {
        AppState app = appNamed(appName);
        SlugState slug = newSlug(app, commit, null);
        return newRelease(app, slug.id, "Deploy " + commit.substring(0, Math.min(8, commit.length())), false).id;
    }

    // ------------------------------------------------------------------ inspection

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public List<RecordedRequest> apiRequests() {
        return requests.stream().filter(RecordedRequest::isApi).toList();
    }

    public void clearRequests() {
        requests.clear();
    }

    public synchronized List<SimBuild> builds(String appName) {
        AppState app = appNamed(appName);
        return builds.values().stream().filter(b -> b.appId.equals(app.id))
                .map(b -> new SimBuild(b.id, appName, b.status, b.version, b.releaseId, b.slugId, b.createdAt,
                        b.finishedAt)).toList();
    }

    public synchronized SimBuild build(String buildId) {
        BuildState b = builds.get(buildId);
        return b == null ? null : new SimBuild(b.id, apps.get(b.appId).name, b.status, b.version, b.releaseId,
                b.slugId, b.createdAt, b.finishedAt);
    }

    public synchronized List<SimRelease> releases(String appName) {
        AppState app = appNamed(appName);
        ReleaseState current = currentRelease(app);
        return releases.values().stream().filter(r -> r.appId.equals(app.id)).map(r -> snapshot(r, current))
                .toList();
    }

    /** The release the app runs now, or null. */
    public synchronized SimRelease currentRelease(String appName) {
        ReleaseState current = currentRelease(appNamed(appName));
        return current == null ? null : snapshot(current, current);
    }

    private SimRelease snapshot(ReleaseState r, ReleaseState current) {
        SlugState slug = r.slugId == null ? null : slugs.get(r.slugId);
        return new SimRelease(r.id, apps.get(r.appId).name, r.version, r.status, r == current, r.slugId,
                slug == null ? null : slug.commit, r.description);
    }

    public String log(String buildOrReleaseId) {
        SimLog log = logs.get(buildOrReleaseId);
        return log == null ? null : log.text();
    }

    /** Blocks until no build, release phase or promotion is pending (for tests that inspect the end state). */
    public void awaitIdle(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            synchronized (this) {
                boolean busy = builds.values().stream().anyMatch(b -> b.status.equals("pending"))
                        || releases.values().stream().anyMatch(r -> r.status.equals("pending"))
                        || promotions.values().stream().anyMatch(p -> p.status.equals("pending"));
                if (!busy) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("simulator still busy after " + timeout);
    }

    @Override
    public void close() {
        server.stop(0);
        clockwork.shutdownNow();
        handlers.shutdownNow();
    }

    // ------------------------------------------------------------------ HTTP

    private static final class Abort extends RuntimeException {
        Abort() {
            super("connection dropped by the simulator", null, false, false);
        }
    }

    private record Reply(int status, Map<String, String> headers, byte[] body) {}

    private void handle(HttpExchange exchange) throws IOException {
        String override = exchange.getRequestHeaders().getFirst("X-Http-Method-Override");
        String method = exchange.getRequestMethod().equals("POST") && override != null
                ? override.strip().toUpperCase(Locale.ROOT) : exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        String path = uri.getPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals("authorization")) {
                headers.put(lower, String.join(",", values));
            }
        });
        boolean authorized = exchange.getRequestHeaders().containsKey("Authorization");
        boolean binary = path.startsWith("/blobs/");
        String bodyText = binary ? "<" + body.length + " bytes>" : new String(body, StandardCharsets.UTF_8);
        java.util.function.BiConsumer<Integer, byte[]> recordWithBody = (status, response) -> requests.add(
                new RecordedRequest(Instant.now(), method, path, uri.getRawQuery(), headers, authorized, bodyText,
                        status, response == null || binary ? null : new String(response, StandardCharsets.UTF_8)));
        java.util.function.IntConsumer record = status -> recordWithBody.accept(status, null);
        Faults.Rule rule = faults.match(method, path);
        if (rule != null && rule.delayMillis() > 0) {
            sleep(rule.delayMillis());
        }
        if (rule != null && rule.dropConnection()) {
            record.accept(0);
            throw new Abort();
        }
        if (path.startsWith("/streams/") && method.equals("GET")) {
            serveStream(exchange, path.substring("/streams/".length()), record);
            return;
        }
        Reply reply;
        if (rule != null && rule.status() > 0) {
            reply = rule.body() != null
                    ? new Reply(rule.status(), Map.of("Content-Type", "text/html"),
                            rule.body().getBytes(StandardCharsets.UTF_8))
                    : faultReply(rule);
        } else if (path.startsWith("/blobs/")) {
            reply = serveBlob(method, path.substring("/blobs/".length()), uri.getQuery(), body, authorized);
        } else if (path.startsWith("/web/")) {
            reply = serveWeb(path.substring("/web/".length()));
        } else {
            reply = serveApi(method, path, exchange.getRequestHeaders(), bodyText);
        }
        recordWithBody.accept(reply.status(), reply.body());
        send(exchange, reply);
    }

    private Reply faultReply(Faults.Rule rule) {
        Map<String, String> extra = new LinkedHashMap<>();
        if (rule.retryAfter() != null) {
            extra.put("Retry-After", rule.retryAfter());
        }
        if (rule.status() == 429) {
            return error(429, "rate_limit", "Your account reached the API rate limit\n"
                    + "Please wait a few minutes before making new requests", extra);
        }
        return error(rule.status(), rule.status() >= 500 ? "internal_server_error" : "bad_request",
                "Simulated failure (HTTP " + rule.status() + ")", extra);
    }

    private void send(HttpExchange exchange, Reply reply) throws IOException {
        Headers out = exchange.getResponseHeaders();
        reply.headers().forEach(out::set);
        if (!out.containsKey("Request-Id")) {
            String clientId = exchange.getRequestHeaders().getFirst("Request-Id");
            out.set("Request-Id", clientId == null ? uuid() : clientId + "," + uuid());
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

    private Reply serveApi(String method, String path, Headers requestHeaders, String body) {
        String accept = requestHeaders.getFirst("Accept");
        if (accept == null || !accept.strip().startsWith("application/vnd.heroku+json; version=3")) {
            return error(406, "not_acceptable", "Please specify a version along with Heroku's API MIME type. "
                    + "For example, `Accept: application/vnd.heroku+json; version=3`.", Map.of());
        }
        if (!isAuthorized(requestHeaders.getFirst("Authorization"))) {
            return error(401, "unauthorized", "Invalid credentials provided.", Map.of());
        }
        int remaining = takeRateToken();
        Map<String, String> rateHeaders = Map.of("RateLimit-Remaining", Integer.toString(Math.max(0, remaining)));
        if (remaining < 0) {
            return error(429, "rate_limit", "Your account reached the API rate limit\n"
                    + "Please wait a few minutes before making new requests", rateHeaders);
        }
        Reply reply;
        try {
            synchronized (this) {
                reply = route(method, path, requestHeaders, body);
            }
        } catch (ApiError e) {
            reply = error(e.status, e.id, e.getMessage(), Map.of());
        } catch (JsonParseException | IllegalStateException | ClassCastException | NullPointerException e) {
            reply = error(400, "bad_request", "Invalid JSON in the request body: " + e.getMessage(), Map.of());
        }
        Map<String, String> headers = new LinkedHashMap<>(reply.headers());
        headers.putAll(rateHeaders);
        return new Reply(reply.status(), headers, reply.body());
    }

    private boolean isAuthorized(String authorization) {
        if (authorization == null) {
            return false;
        }
        if (authorization.startsWith("Bearer ")) {
            return apiKeys.contains(authorization.substring(7).strip());
        }
        if (authorization.startsWith("Basic ")) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                        StandardCharsets.UTF_8);
                return apiKeys.contains(decoded.substring(decoded.indexOf(':') + 1));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return false;
    }

    private synchronized int takeRateToken() {
        long nowNanos = System.nanoTime();
        rateTokens = Math.min(rateCapacity, rateTokens + (nowNanos - rateRefilledAt) / 1e9 * 1.25);
        rateRefilledAt = nowNanos;
        if (rateTokens < 1) {
            return -1;
        }
        rateTokens -= 1;
        return (int) rateTokens;
    }

    private static final class ApiError extends RuntimeException {
        final int status;
        final String id;

        ApiError(int status, String id, String message) {
            super(message, null, false, false);
            this.status = status;
            this.id = id;
        }
    }

    private interface Route {
        Reply serve(Matcher path, Headers headers, String body);
    }

    private final Map<String, Map<Pattern, Route>> routes = routes();

    private Map<String, Map<Pattern, Route>> routes() {
        Map<String, Map<Pattern, Route>> table = new LinkedHashMap<>();
        String seg = "([^/]+)";
        add(table, "POST", "/sources", (m, h, b) -> createSource());
        add(table, "GET", "/apps/" + seg, (m, h, b) -> ok(appJson(app(m.group(1)))));
        add(table, "GET", "/apps/" + seg + "/config-vars", (m, h, b) -> ok(configJson(app(m.group(1)))));
        add(table, "PATCH", "/apps/" + seg + "/config-vars", (m, h, b) -> updateConfig(app(m.group(1)), b));
        add(table, "POST", "/apps/" + seg + "/builds", (m, h, b) -> createBuild(app(m.group(1)), b));
        add(table, "GET", "/apps/" + seg + "/builds", (m, h, b) -> listBuilds(app(m.group(1)), h));
        add(table, "GET", "/apps/" + seg + "/builds/" + seg,
                (m, h, b) -> ok(buildJson(buildOf(app(m.group(1)), m.group(2)))));
        add(table, "DELETE", "/apps/" + seg + "/builds/" + seg,
                (m, h, b) -> cancelBuild(app(m.group(1)), m.group(2), h));
        add(table, "GET", "/apps/" + seg + "/slugs/" + seg, (m, h, b) -> ok(slugJson(slugOf(m.group(2)))));
        add(table, "GET", "/apps/" + seg + "/releases", (m, h, b) -> listReleases(app(m.group(1)), h));
        add(table, "GET", "/apps/" + seg + "/releases/" + seg,
                (m, h, b) -> ok(releaseJson(releaseOf(app(m.group(1)), m.group(2)))));
        add(table, "POST", "/apps/" + seg + "/releases", (m, h, b) -> createRelease(app(m.group(1)), b));
        add(table, "GET", "/apps/" + seg + "/pipeline-couplings",
                (m, h, b) -> ok(couplingJson(couplingOf(app(m.group(1))))));
        add(table, "GET", "/pipelines/" + seg, (m, h, b) -> ok(pipelineJson(pipeline(m.group(1)))));
        add(table, "GET", "/pipelines/" + seg + "/pipeline-couplings",
                (m, h, b) -> listCouplings(pipeline(m.group(1)), h));
        add(table, "POST", "/pipeline-promotions", (m, h, b) -> createPromotion(b));
        add(table, "GET", "/pipeline-promotions/" + seg, (m, h, b) -> ok(promotionJson(promotion(m.group(1)))));
        add(table, "GET", "/pipeline-promotions/" + seg + "/promotion-targets",
                (m, h, b) -> listTargets(promotion(m.group(1)), h));
        add(table, "GET", "/account/rate-limits", (m, h, b) -> {
            JsonObject limits = new JsonObject();
            limits.addProperty("remaining", (int) rateTokens);
            return ok(limits);
        });
        return table;
    }

    private static void add(Map<String, Map<Pattern, Route>> table, String method, String regex, Route route) {
        table.computeIfAbsent(method, k -> new LinkedHashMap<>()).put(Pattern.compile(regex), route);
    }

    private Reply route(String method, String path, Headers headers, String body) {
        boolean pathKnown = false;
        for (Map.Entry<String, Map<Pattern, Route>> byMethod : routes.entrySet()) {
            for (Map.Entry<Pattern, Route> entry : byMethod.getValue().entrySet()) {
                Matcher matcher = entry.getKey().matcher(path);
                if (matcher.matches()) {
                    if (byMethod.getKey().equals(method)) {
                        return entry.getValue().serve(matcher, headers, body);
                    }
                    pathKnown = true;
                }
            }
        }
        if (pathKnown) {
            return error(405, "method_not_allowed", method + " is not supported on " + path, Map.of());
        }
        return error(404, "not_found", "The requested API endpoint was not found. Are you using the right HTTP verb"
                + " (i.e. `GET` vs. `POST`), and did you specify your intended version with the `Accept` header?",
                Map.of());
    }

    private static Reply ok(JsonElement json) {
        return json(200, json);
    }

    private static Reply json(int status, JsonElement json) {
        return new Reply(status, Map.of("Content-Type", "application/json"),
                GSON.toJson(json).getBytes(StandardCharsets.UTF_8));
    }

    private static Reply error(int status, String id, String message, Map<String, String> headers) {
        JsonObject body = new JsonObject();
        body.addProperty("id", id);
        body.addProperty("message", message);
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/json");
        return new Reply(status, all, GSON.toJson(body).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonObject parseObject(String body) {
        if (body == null || body.isBlank()) {
            return new JsonObject();
        }
        JsonElement element = JsonParser.parseString(body);
        if (!element.isJsonObject()) {
            throw new ApiError(400, "bad_request", "The request body must be a JSON object.");
        }
        return element.getAsJsonObject();
    }

    private static String string(JsonObject object, String name) {
        JsonElement value = object == null ? null : object.get(name);
        return value == null || value.isJsonNull() ? null : value.getAsString();
    }

    private static JsonObject object(JsonObject object, String name) {
        JsonElement value = object == null ? null : object.get(name);
        return value == null || !value.isJsonObject() ? null : value.getAsJsonObject();
    }

    // ------------------------------------------------------------------ lists and Range

    private record RangeSpec(String field, boolean exclusiveStart, String start, int max, boolean descending) {}

    private RangeSpec parseRange(Headers headers, Set<String> fields) {
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

    private <T> Reply page(List<T> items, Headers headers, Map<String, Function<T, Comparable<?>>> keys,
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

    // ------------------------------------------------------------------ lookups

    private AppState app(String idOrName) {
        AppState app = apps.get(idOrName);
        if (app == null) {
            app = apps.values().stream().filter(a -> a.name.equals(idOrName)).findFirst().orElse(null);
        }
        if (app == null) {
            throw new ApiError(404, "not_found", "Couldn't find that app.");
        }
        return app;
    }

    private AppState appNamed(String name) {
        return apps.values().stream().filter(a -> a.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no app " + name));
    }

    private BuildState buildOf(AppState app, String id) {
        BuildState build = builds.get(id);
        if (build == null || !build.appId.equals(app.id)) {
            throw new ApiError(404, "not_found", "Couldn't find that build.");
        }
        return build;
    }

    private SlugState slugOf(String id) {
        SlugState slug = slugs.get(id);
        if (slug == null) {
            throw new ApiError(404, "not_found", "Couldn't find that slug.");
        }
        return slug;
    }

    private ReleaseState releaseOf(AppState app, String idOrVersion) {
        for (ReleaseState release : releases.values()) {
            if (release.appId.equals(app.id)
                    && (release.id.equals(idOrVersion) || Integer.toString(release.version).equals(idOrVersion))) {
                return release;
            }
        }
        throw new ApiError(404, "not_found", "Couldn't find that release.");
    }

    private CouplingState couplingOf(AppState app) {
        return couplings.values().stream().filter(c -> c.appId.equals(app.id)).findFirst()
                .orElseThrow(() -> new ApiError(404, "not_found", "Not found."));
    }

    private PipelineState pipeline(String idOrName) {
        PipelineState pipeline = pipelines.get(idOrName);
        if (pipeline == null) {
            pipeline = pipelines.values().stream().filter(p -> p.name.equals(idOrName)).findFirst().orElse(null);
        }
        if (pipeline == null) {
            throw new ApiError(404, "not_found", "Couldn't find that pipeline.");
        }
        return pipeline;
    }

    private PromotionState promotion(String id) {
        PromotionState promotion = promotions.get(id);
        if (promotion == null) {
            throw new ApiError(404, "not_found", "Couldn't find that pipeline promotion.");
        }
        return promotion;
    }

    private ReleaseState currentRelease(AppState app) {
        ReleaseState current = null;
        for (ReleaseState release : releases.values()) {
            if (release.appId.equals(app.id) && release.status.equals("succeeded")
                    && (current == null || release.version > current.version)) {
                current = release;
            }
        }
        return current;
    }

    // ------------------------------------------------------------------ sources and blobs

    private Reply createSource() {
        String id = uuid();
        String putSignature = uuid().replace("-", "");
        String getSignature = uuid().replace("-", "");
        blobSignatures.put(id + "?put", putSignature);
        blobSignatures.put(id + "?get", getSignature);
        JsonObject blob = new JsonObject();
        blob.addProperty("get_url", apiUrl() + "/blobs/" + id + "?signature=get-" + getSignature);
        blob.addProperty("put_url", apiUrl() + "/blobs/" + id + "?signature=put-" + putSignature);
        JsonObject source = new JsonObject();
        source.add("source_blob", blob);
        return json(201, source);
    }

    private Reply serveBlob(String method, String id, String query, byte[] body, boolean authorized) {
        String signature = query == null ? "" : query.replaceFirst("^signature=", "");
        if (authorized) {
            return xmlError(400, "InvalidArgument",
                    "Only one auth mechanism allowed; a pre-signed URL must not carry an Authorization header");
        }
        if (method.equals("PUT") && signature.equals("put-" + blobSignatures.get(id + "?put"))) {
            blobs.put(id, body);
            return new Reply(200, Map.of(), new byte[0]);
        }
        if (method.equals("GET") && signature.equals("get-" + blobSignatures.get(id + "?get"))) {
            byte[] blob = blobs.get(id);
            return blob == null ? xmlError(404, "NoSuchKey", "The specified key does not exist.")
                    : new Reply(200, Map.of("Content-Type", "application/octet-stream"), blob);
        }
        return xmlError(403, "SignatureDoesNotMatch", "The request signature we calculated does not match.");
    }

    private static Reply xmlError(int status, String code, String message) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error>";
        return new Reply(status, Map.of("Content-Type", "application/xml"), xml.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes uploaded for a source whose get_url is {@code getUrl}, or null. */
    public byte[] sourceBytes(String getUrl) {
        String id = blobIdOf(getUrl);
        return id == null ? null : blobs.get(id);
    }

    private String blobIdOf(String url) {
        String prefix = apiUrl() + "/blobs/";
        if (url == null || !url.startsWith(prefix)) {
            return null;
        }
        String rest = url.substring(prefix.length());
        int query = rest.indexOf('?');
        String id = query < 0 ? rest : rest.substring(0, query);
        String signature = query < 0 ? "" : rest.substring(query + 1).replaceFirst("^signature=", "");
        return signature.equals("get-" + blobSignatures.get(id + "?get")) ? id : null;
    }

    // ------------------------------------------------------------------ builds

    private Reply createBuild(AppState app, String body) {
        JsonObject request = parseObject(body);
        JsonObject sourceBlob = object(request, "source_blob");
        String url = string(sourceBlob, "url");
        if (url == null || url.isBlank()) {
            throw new ApiError(422, "invalid_params", "source_blob.url is required");
        }
        JsonElement buildpacks = request.get("buildpacks");
        BuildState build = newBuild(app, url, string(sourceBlob, "version"), string(sourceBlob, "checksum"),
                string(sourceBlob, "version_description"),
                buildpacks == null || buildpacks.isJsonNull() ? null : buildpacks.getAsJsonArray());
        return json(201, buildJson(build));
    }

    private BuildState newBuild(AppState app, String url, String version, String checksum, String description,
            JsonArray buildpacks) {
        BuildState build = new BuildState(uuid(), app.id, created());
        build.url = url;
        build.version = version;
        build.checksum = checksum;
        build.versionDescription = description;
        build.buildpacks = buildpacks;
        builds.put(build.id, build);
        SimLog log = new SimLog();
        logs.put(build.id, log);
        BuildScript script = app.scriptedBuilds.poll();
        runBuild(app, build, log, script == null ? new BuildScript(true, -1, List.of()) : script);
        return build;
    }

    private void runBuild(AppState app, BuildState build, SimLog log, BuildScript script) {
        String sourceProblem = sourceProblem(build);
        boolean succeeds = script.succeeds() && sourceProblem == null;
        List<String> lines = new ArrayList<>();
        lines.add("-----> Building on the Heroku-24 stack");
        lines.add("-----> Fetching source " + (build.version == null ? "" : build.version));
        if (sourceProblem != null) {
            lines.add(" !     " + sourceProblem);
        } else {
            lines.add("-----> Using buildpack: heroku/jvm");
            int filler = Math.max(0, timing.buildLogLines - 5);
            for (int i = 1; i <= filler; i++) {
                lines.add("       [INFO] Building step " + i + " of " + filler);
            }
            lines.addAll(script.lines());
        }
        if (succeeds) {
            lines.add("-----> Compressing... Done: 71.2M");
            lines.add("-----> Launching... Released");
        } else {
            lines.add(" !     Push rejected, failed to compile Java app.");
        }
        long duration = sourceProblem != null ? 20 : script.millis() >= 0 ? script.millis() : timing.buildMillis;
        long step = duration / Math.max(1, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            schedule(i * step, () -> {
                if (build.status.equals("pending")) {
                    log.line(line);
                }
            });
        }
        schedule(duration, log::close);
        schedule(duration + timing.statusLagMillis, () -> finishBuild(app, build, succeeds));
    }

    private String sourceProblem(BuildState build) {
        if (build.url.startsWith("sim://")) {
            return null;
        }
        String id = blobIdOf(build.url);
        byte[] source = id == null ? null : blobs.get(id);
        if (source == null) {
            return "Failed to download the source from " + build.url.replaceAll("\\?.*", "");
        }
        if (build.checksum != null && !build.checksum.equalsIgnoreCase("SHA256:" + sha256(source))) {
            return "Checksum mismatch: the downloaded source does not match " + build.checksum;
        }
        return null;
    }

    private synchronized void finishBuild(AppState app, BuildState build, boolean succeeds) {
        if (!build.status.equals("pending")) {
            return; // cancelled meanwhile
        }
        build.updatedAt = now();
        build.finishedAt = Instant.now();
        if (!succeeds) {
            build.status = "failed";
            return;
        }
        SlugState slug = newSlug(app, build.version, build.checksum);
        slug.commitDescription = build.versionDescription;
        build.slugId = slug.id;
        String shortVersion = build.version == null ? "" : build.version.substring(0, Math.min(8,
                build.version.length()));
        build.releaseId = newRelease(app, slug.id, "Deploy " + shortVersion, true).id;
        build.status = "succeeded";
    }

    private Reply listBuilds(AppState app, Headers headers) {
        List<BuildState> appBuilds = builds.values().stream().filter(b -> b.appId.equals(app.id)).toList();
        Map<String, Function<BuildState, Comparable<?>>> keys = new LinkedHashMap<>();
        keys.put("id", b -> b.id);
        keys.put("started_at", b -> b.createdAt.toString());
        keys.put("created_at", b -> b.createdAt.toString());
        return page(appBuilds, headers, keys, this::buildJson);
    }

    private Reply cancelBuild(AppState app, String id, Headers headers) {
        BuildState build = buildOf(app, id);
        String accept = headers.getFirst("Accept");
        if (accept == null || !accept.contains("version=3.cancel-build")) {
            throw new ApiError(422, "invalid_params", "Cancelling a build needs "
                    + "`Accept: application/vnd.heroku+json; version=3.cancel-build`.");
        }
        if (build.status.equals("pending")) {
            build.status = "failed";
            build.updatedAt = now();
            build.finishedAt = Instant.now();
            SimLog log = logs.get(build.id);
            log.line(" !     Build canceled");
            log.close();
        }
        return ok(buildJson(build));
    }

    // ------------------------------------------------------------------ slugs and releases

    private SlugState newSlug(AppState app, String commit, String checksum) {
        SlugState slug = new SlugState(uuid(), app.id, commit, app.stack, now());
        slug.checksum = checksum;
        slugs.put(slug.id, slug);
        return slug;
    }

    private ReleaseState newRelease(AppState app, String slugId, String description, boolean withReleasePhase) {
        int version = (int) releases.values().stream().filter(r -> r.appId.equals(app.id)).count() + 1;
        ReleaseState release = new ReleaseState(uuid(), app.id, version, slugId, description, created());
        releases.put(release.id, release);
        if (withReleasePhase && app.releasePhaseMillis >= 0) {
            SimLog log = new SimLog();
            logs.put(release.id, log);
            release.status = "pending";
            boolean fails = app.releasePhaseFails;
            long duration = app.releasePhaseMillis;
            log.line("Running release command...");
            schedule(duration / 2, () -> log.line("Migrating database: 3 changes applied"));
            schedule(duration, () -> {
                if (fails) {
                    log.line("Error: migration failed, exit status 1");
                }
                log.close();
                finishRelease(release, !fails);
            });
        } else {
            release.status = "succeeded";
        }
        return release;
    }

    private synchronized void finishRelease(ReleaseState release, boolean succeeds) {
        release.status = succeeds ? "succeeded" : "failed";
        release.updatedAt = now();
    }

    private Reply listReleases(AppState app, Headers headers) {
        List<ReleaseState> appReleases = releases.values().stream().filter(r -> r.appId.equals(app.id)).toList();
        Map<String, Function<ReleaseState, Comparable<?>>> keys = new LinkedHashMap<>();
        keys.put("id", r -> r.id);
        keys.put("version", r -> r.version);
        return page(appReleases, headers, keys, this::releaseJson);
    }

    private Reply createRelease(AppState app, String body) {
        JsonObject request = parseObject(body);
        String slugId = string(request, "slug");
        String rollbackTo = string(request, "release");
        if (rollbackTo != null) {
            ReleaseState target = releaseOf(app, rollbackTo);
            if (target.slugId == null || !target.status.equals("succeeded")) {
                throw new ApiError(422, "invalid_params", "Release v" + target.version + " cannot be rolled back to.");
            }
            return json(201, releaseJson(newRelease(app, target.slugId, "Rollback to v" + target.version, true)));
        }
        if (slugId == null) {
            throw new ApiError(422, "invalid_params", "Either slug or release is required.");
        }
        SlugState slug = slugOf(slugId);
        String description = string(request, "description");
        return json(201, releaseJson(newRelease(app, slug.id, description == null ? "Deploy "
                + (slug.commit == null ? slug.id : slug.commit.substring(0, Math.min(8, slug.commit.length())))
                : description, true)));
    }

    private Reply updateConfig(AppState app, String body) {
        JsonObject changes = parseObject(body);
        List<String> set = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (Map.Entry<String, JsonElement> change : changes.entrySet()) {
            if (change.getValue().isJsonNull()) {
                app.config.remove(change.getKey());
                removed.add(change.getKey());
            } else {
                app.config.put(change.getKey(), change.getValue().getAsString());
                set.add(change.getKey());
            }
        }
        ReleaseState current = currentRelease(app);
        newRelease(app, current == null ? null : current.slugId, (set.isEmpty() ? "Remove " + String.join(", ",
                removed) : "Set " + String.join(", ", set)) + " config vars", false);
        return ok(configJson(app));
    }

    // ------------------------------------------------------------------ pipelines and promotions

    private Reply listCouplings(PipelineState pipeline, Headers headers) {
        List<CouplingState> coupled = couplings.values().stream().filter(c -> c.pipelineId.equals(pipeline.id))
                .toList();
        return page(coupled, headers, Map.of("id", c -> c.id), this::couplingJson);
    }

    private Reply createPromotion(String body) {
        JsonObject request = parseObject(body);
        String pipelineId = string(object(request, "pipeline"), "id");
        JsonObject source = object(request, "source");
        String sourceAppId = string(object(source, "app"), "id");
        String sourceReleaseId = string(object(source, "release"), "id");
        JsonElement targetsJson = request.get("targets");
        if (pipelineId == null || sourceAppId == null || targetsJson == null || !targetsJson.isJsonArray()
                || targetsJson.getAsJsonArray().isEmpty()) {
            throw new ApiError(422, "invalid_params", "pipeline.id, source.app.id and targets are required.");
        }
        PipelineState pipeline = pipelines.get(pipelineId);
        if (pipeline == null) {
            throw new ApiError(404, "not_found", "Couldn't find that pipeline.");
        }
        AppState sourceApp = apps.get(sourceAppId);
        if (sourceApp == null) {
            throw new ApiError(404, "not_found", "Couldn't find that app.");
        }
        requireCoupled(sourceApp, pipeline);
        List<AppState> targets = new ArrayList<>();
        for (JsonElement target : targetsJson.getAsJsonArray()) {
            String id = string(object(target.getAsJsonObject(), "app"), "id");
            AppState targetApp = id == null ? null : apps.get(id);
            if (targetApp == null) {
                throw new ApiError(422, "invalid_params", "Couldn't find target app " + id + ".");
            }
            if (targetApp == sourceApp) {
                throw new ApiError(422, "invalid_params", "Cannot promote from an app to itself.");
            }
            requireCoupled(targetApp, pipeline);
            targets.add(targetApp);
        }
        ReleaseState sourceRelease;
        if (sourceReleaseId != null) {
            sourceRelease = releases.get(sourceReleaseId);
            if (sourceRelease == null || !sourceRelease.appId.equals(sourceApp.id)) {
                throw new ApiError(422, "invalid_params", "Couldn't find release " + sourceReleaseId
                        + " on the source app.");
            }
            if (sourceRelease.status.equals("expired")) {
                throw new ApiError(422, "invalid_params", "Release v" + sourceRelease.version
                        + " of the source app has expired and cannot be promoted.");
            }
            if (sourceRelease.slugId == null || !sourceRelease.status.equals("succeeded")) {
                throw new ApiError(422, "invalid_params", "Release v" + sourceRelease.version
                        + " of the source app has not succeeded.");
            }
        } else {
            sourceRelease = currentRelease(sourceApp);
            if (sourceRelease == null) {
                throw new ApiError(422, "invalid_params", "The source app has no release to promote.");
            }
        }
        PromotionState promotion = new PromotionState(uuid(), pipeline.id, sourceApp.id, sourceRelease.id, now());
        for (AppState target : targets) {
            promotion.targets.add(new TargetState(uuid(), target.id));
        }
        promotions.put(promotion.id, promotion);
        ReleaseState promoted = sourceRelease;
        for (int i = 0; i < promotion.targets.size(); i++) {
            TargetState target = promotion.targets.get(i);
            schedule(timing.promotionMillis * (i + 1), () -> promoteTarget(promotion, target, sourceApp, promoted));
        }
        return json(201, promotionJson(promotion));
    }

    private void requireCoupled(AppState app, PipelineState pipeline) {
        boolean coupled = couplings.values().stream()
                .anyMatch(c -> c.appId.equals(app.id) && c.pipelineId.equals(pipeline.id));
        if (!coupled) {
            throw new ApiError(422, "invalid_params", "App " + app.name + " is not part of pipeline "
                    + pipeline.name + ".");
        }
    }

    private synchronized void promoteTarget(PromotionState promotion, TargetState target, AppState sourceApp,
            ReleaseState sourceRelease) {
        AppState targetApp = apps.get(target.appId);
        String failure = faults.promotionFailure(targetApp.name);
        if (failure != null) {
            target.status = "failed";
            target.errorMessage = failure;
        } else {
            SlugState slug = slugs.get(sourceRelease.slugId);
            ReleaseState release = newRelease(targetApp, sourceRelease.slugId, "Promote " + sourceApp.name + " v"
                    + sourceRelease.version + (slug.commit == null ? "" : " " + slug.commit.substring(0, Math.min(7,
                    slug.commit.length()))), true);
            target.releaseId = release.id;
            target.status = "succeeded";
        }
        if (promotion.targets.stream().noneMatch(t -> t.status.equals("pending"))) {
            promotion.status = "completed";
            promotion.updatedAt = now();
        }
    }

    private Reply listTargets(PromotionState promotion, Headers headers) {
        return page(promotion.targets, headers, Map.of("id", t -> t.id), t -> targetJson(promotion, t));
    }

    // ------------------------------------------------------------------ the apps' web processes

    private record WebBehaviour(int status, String body, long bootMillis) {}

    private synchronized Reply serveWeb(String rest) {
        String name = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        AppState app = apps.values().stream().filter(a -> a.name.equals(name)).findFirst().orElse(null);
        ReleaseState current = app == null ? null : currentRelease(app);
        if (current == null) {
            return new Reply(404, Map.of("Content-Type", "text/html"),
                    "<html><body>There's nothing here, yet.</body></html>".getBytes(StandardCharsets.UTF_8));
        }
        SlugState slug = current.slugId == null ? null : slugs.get(current.slugId);
        String commit = slug == null ? null : slug.commit;
        WebBehaviour behaviour = webBehaviours.getOrDefault(commit, new WebBehaviour(200,
                "{\"status\":\"ok\",\"app\":\"" + name + "\",\"commit\":\"" + commit + "\"}", 0));
        if (Instant.now().isBefore(current.updatedAt.plusMillis(behaviour.bootMillis()))) {
            return new Reply(503, Map.of("Content-Type", "text/html"),
                    "<html><body>Application is starting (H20)</body></html>".getBytes(StandardCharsets.UTF_8));
        }
        return new Reply(behaviour.status(), Map.of("Content-Type", "application/json"),
                behaviour.body().getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ output streams

    private void serveStream(HttpExchange exchange, String id, java.util.function.IntConsumer record)
            throws IOException {
        SimLog log = logs.get(id);
        if (log == null) {
            record.accept(404);
            send(exchange, new Reply(404, Map.of("Content-Type", "text/plain"),
                    "stream not found".getBytes(StandardCharsets.UTF_8)));
            return;
        }
        int offset = 0;
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null) {
            Matcher matcher = Pattern.compile("bytes=(\\d+)-").matcher(range.strip());
            if (matcher.matches()) {
                offset = Integer.parseInt(matcher.group(1));
            }
        }
        if (offset > 0 && log.isClosed() && offset >= log.size()) {
            record.accept(416);
            send(exchange, new Reply(416, Map.of("Content-Range", "bytes */" + log.size()), new byte[0]));
            return;
        }
        Integer cutAfterLines = faults.takeStreamCut(id);
        int status = offset > 0 ? 206 : 200;
        record.accept(status);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, 0);
        OutputStream out = exchange.getResponseBody();
        int linesSent = 0;
        try {
            while (true) {
                byte[] chunk = log.readFrom(offset, timing.streamPollMillis);
                if (chunk.length == 0) {
                    if (log.isClosed() && offset >= log.size()) {
                        break;
                    }
                    continue;
                }
                for (int i = 0; i < chunk.length; i++) {
                    out.write(chunk[i]);
                    if (chunk[i] == '\n' && cutAfterLines != null && ++linesSent >= cutAfterLines) {
                        // send half of the next line, then drop the connection without ending the chunked body
                        int half = Math.min(chunk.length, i + 1 + 3);
                        out.write(chunk, i + 1, half - (i + 1));
                        out.flush();
                        throw new Abort();
                    }
                }
                out.flush();
                offset += chunk.length;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Abort();
        }
        out.close();
        exchange.close();
    }

    // ------------------------------------------------------------------ JSON renderings (schema shapes)

    private static JsonObject ref(String id) {
        JsonObject ref = new JsonObject();
        ref.addProperty("id", id);
        return ref;
    }

    private static JsonObject ref(String id, String name) {
        JsonObject ref = ref(id);
        ref.addProperty("name", name);
        return ref;
    }

    private static JsonObject user() {
        JsonObject user = new JsonObject();
        user.addProperty("id", USER_ID);
        user.addProperty("email", USER_EMAIL);
        return user;
    }

    private JsonObject appJson(AppState app) {
        JsonObject json = new JsonObject();
        json.addProperty("acm", false);
        json.add("archived_at", JsonNull.INSTANCE);
        json.addProperty("buildpack_provided_description", "Java");
        json.add("build_stack", ref(STACK_ID, app.stack));
        json.addProperty("created_at", time(app.createdAt));
        json.add("generation", ref("66666666-6666-4666-8666-666666666666", app.generation));
        json.addProperty("git_url", "https://git.heroku.com/" + app.name + ".git");
        json.addProperty("id", app.id);
        json.add("internal_routing", JsonNull.INSTANCE);
        json.addProperty("maintenance", false);
        json.addProperty("name", app.name);
        JsonObject owner = new JsonObject();
        owner.addProperty("email", USER_EMAIL);
        owner.addProperty("id", USER_ID);
        json.add("owner", owner);
        json.add("organization", JsonNull.INSTANCE);
        json.add("team", JsonNull.INSTANCE);
        json.add("region", ref("59accabd-516d-4f0e-83e6-6e3757701145", "us"));
        ReleaseState current = currentRelease(app);
        json.addProperty("released_at", time(current == null ? app.createdAt : current.createdAt));
        json.add("repo_size", JsonNull.INSTANCE);
        json.addProperty("slug_size", 74_000_000);
        json.add("space", JsonNull.INSTANCE);
        json.add("stack", ref(STACK_ID, app.stack));
        json.addProperty("updated_at", time(app.createdAt));
        json.addProperty("web_url", "https://" + app.name + ".herokuapp.com/");
        return json;
    }

    private JsonObject configJson(AppState app) {
        JsonObject json = new JsonObject();
        app.config.forEach(json::addProperty);
        return json;
    }

    private JsonObject buildJson(BuildState build) {
        JsonObject json = new JsonObject();
        json.add("app", ref(build.appId));
        json.add("buildpacks", build.buildpacks == null ? JsonNull.INSTANCE : build.buildpacks);
        json.addProperty("created_at", time(build.createdAt));
        json.addProperty("id", build.id);
        json.addProperty("output_stream_url", apiUrl() + "/streams/" + build.id);
        json.add("release", build.releaseId == null ? JsonNull.INSTANCE : ref(build.releaseId));
        json.add("slug", build.slugId == null ? JsonNull.INSTANCE : ref(build.slugId));
        JsonObject blob = new JsonObject();
        blob.addProperty("checksum", build.checksum);
        blob.addProperty("url", build.url);
        blob.addProperty("version", build.version);
        blob.addProperty("version_description", build.versionDescription);
        json.add("source_blob", blob);
        json.addProperty("stack", apps.get(build.appId).stack);
        json.addProperty("status", build.status);
        json.addProperty("updated_at", time(build.updatedAt));
        json.add("user", user());
        return json;
    }

    private JsonObject slugJson(SlugState slug) {
        JsonObject json = new JsonObject();
        JsonObject blob = new JsonObject();
        blob.addProperty("method", "GET");
        blob.addProperty("url", apiUrl() + "/blobs/slug-" + slug.id);
        json.add("blob", blob);
        json.addProperty("buildpack_provided_description", "Java");
        json.addProperty("checksum", slug.checksum);
        json.addProperty("commit", slug.commit);
        json.addProperty("commit_description", slug.commitDescription);
        json.addProperty("created_at", time(slug.createdAt));
        json.add("deleted_at", JsonNull.INSTANCE);
        json.addProperty("id", slug.id);
        JsonObject processTypes = new JsonObject();
        processTypes.addProperty("web", "java $JAVA_OPTS -jar target/app.jar");
        json.add("process_types", processTypes);
        json.addProperty("size", 74_000_000);
        json.add("stack", ref(STACK_ID, slug.stack));
        json.addProperty("updated_at", time(slug.createdAt));
        return json;
    }

    private JsonObject releaseJson(ReleaseState release) {
        AppState app = apps.get(release.appId);
        ReleaseState current = currentRelease(app);
        JsonObject json = new JsonObject();
        json.add("addon_plan_names", new JsonArray());
        JsonArray artifacts = new JsonArray();
        if (release.slugId != null) {
            JsonObject artifact = new JsonObject();
            artifact.addProperty("type", "slug");
            artifact.addProperty("id", release.slugId);
            artifacts.add(artifact);
        }
        json.add("artifacts", artifacts);
        json.add("app", ref(app.id, app.name));
        json.addProperty("created_at", time(release.createdAt));
        json.addProperty("current", release == current);
        json.addProperty("description", release.description);
        json.addProperty("eligible_for_rollback", release.status.equals("succeeded") && release.slugId != null);
        json.addProperty("id", release.id);
        json.addProperty("output_stream_url", logs.containsKey(release.id) ? apiUrl() + "/streams/" + release.id
                : null);
        json.add("slug", release.slugId == null ? JsonNull.INSTANCE : ref(release.slugId));
        json.addProperty("status", release.status);
        json.addProperty("updated_at", time(release.updatedAt));
        json.add("user", user());
        json.addProperty("version", release.version);
        return json;
    }

    private JsonObject pipelineJson(PipelineState pipeline) {
        JsonObject json = new JsonObject();
        json.addProperty("created_at", time(pipeline.createdAt));
        json.addProperty("id", pipeline.id);
        json.addProperty("name", pipeline.name);
        json.add("owner", JsonNull.INSTANCE);
        json.addProperty("updated_at", time(pipeline.createdAt));
        json.add("generation", ref("66666666-6666-4666-8666-666666666666", "cedar"));
        return json;
    }

    private JsonObject couplingJson(CouplingState coupling) {
        JsonObject json = new JsonObject();
        json.add("app", ref(coupling.appId));
        json.addProperty("created_at", time(coupling.createdAt));
        json.addProperty("id", coupling.id);
        json.add("pipeline", ref(coupling.pipelineId));
        json.addProperty("stage", coupling.stage);
        json.addProperty("updated_at", time(coupling.createdAt));
        return json;
    }

    private JsonObject promotionJson(PromotionState promotion) {
        JsonObject json = new JsonObject();
        json.addProperty("created_at", time(promotion.createdAt));
        json.addProperty("id", promotion.id);
        json.add("pipeline", ref(promotion.pipelineId));
        JsonObject source = new JsonObject();
        source.add("app", ref(promotion.sourceAppId));
        source.add("release", ref(promotion.sourceReleaseId));
        json.add("source", source);
        json.addProperty("status", promotion.status);
        json.addProperty("updated_at", promotion.updatedAt == null ? null : time(promotion.updatedAt));
        return json;
    }

    private JsonObject targetJson(PromotionState promotion, TargetState target) {
        JsonObject json = new JsonObject();
        json.add("app", ref(target.appId));
        json.addProperty("error_message", target.errorMessage);
        json.addProperty("id", target.id);
        json.add("pipeline_promotion", ref(promotion.id));
        json.add("release", target.releaseId == null ? JsonNull.INSTANCE : ref(target.releaseId));
        json.addProperty("status", target.status);
        return json;
    }

    // ------------------------------------------------------------------ state

    private static final class AppState {
        final String id;
        final String name;
        final Instant createdAt;
        String stack = "heroku-24";
        String generation = "cedar";
        final Map<String, String> config = new LinkedHashMap<>();
        final Deque<BuildScript> scriptedBuilds = new ArrayDeque<>();
        long releasePhaseMillis = -1;
        boolean releasePhaseFails;

        AppState(String id, String name, Instant createdAt) {
            this.id = id;
            this.name = name;
            this.createdAt = createdAt;
        }
    }

    private static final class BuildState {
        final String id;
        final String appId;
        final Instant createdAt;
        Instant updatedAt;
        String status = "pending";
        String url;
        String version;
        String checksum;
        String versionDescription;
        JsonArray buildpacks;
        String slugId;
        String releaseId;
        Instant finishedAt;

        BuildState(String id, String appId, Instant createdAt) {
            this.id = id;
            this.appId = appId;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    private static final class SlugState {
        final String id;
        final String appId;
        final String commit;
        final String stack;
        final Instant createdAt;
        String checksum;
        String commitDescription;

        SlugState(String id, String appId, String commit, String stack, Instant createdAt) {
            this.id = id;
            this.appId = appId;
            this.commit = commit;
            this.stack = stack;
            this.createdAt = createdAt;
        }
    }

    private static final class ReleaseState {
        final String id;
        final String appId;
        final int version;
        final String slugId;
        final String description;
        final Instant createdAt;
        Instant updatedAt;
        String status = "succeeded";

        ReleaseState(String id, String appId, int version, String slugId, String description, Instant createdAt) {
            this.id = id;
            this.appId = appId;
            this.version = version;
            this.slugId = slugId;
            this.description = description;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    private record PipelineState(String id, String name, Instant createdAt) {}

    private record CouplingState(String id, String appId, String pipelineId, String stage, Instant createdAt) {}

    private static final class PromotionState {
        final String id;
        final String pipelineId;
        final String sourceAppId;
        final String sourceReleaseId;
        final Instant createdAt;
        final List<TargetState> targets = new ArrayList<>();
        Instant updatedAt;
        String status = "pending";

        PromotionState(String id, String pipelineId, String sourceAppId, String sourceReleaseId, Instant createdAt) {
            this.id = id;
            this.pipelineId = pipelineId;
            this.sourceAppId = sourceAppId;
            this.sourceReleaseId = sourceReleaseId;
            this.createdAt = createdAt;
        }
    }

    private static final class TargetState {
        final String id;
        final String appId;
        String status = "pending";
        String errorMessage;
        String releaseId;

        TargetState(String id, String appId) {
            this.id = id;
            this.appId = appId;
        }
    }

    // ------------------------------------------------------------------ helpers

    private void schedule(long delayMillis, Runnable task) {
        clockwork.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                e.printStackTrace();
            }
        }, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    private static Instant now() {
        return Instant.now();
    }

    /** Creation times are unique and increasing, so newest-first lists have one order. */
    private synchronized Instant created() {
        Instant now = Instant.now();
        lastCreated = now.isAfter(lastCreated) ? now : lastCreated.plus(1, ChronoUnit.MICROS);
        return lastCreated;
    }

    private static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
