package io.github.herokupipeline.simulator;

import static io.github.herokupipeline.simulator.SimHttp.Abort;
import static io.github.herokupipeline.simulator.SimHttp.ApiError;
import static io.github.herokupipeline.simulator.SimHttp.Reply;
import static io.github.herokupipeline.simulator.SimHttp.Route;
import static io.github.herokupipeline.simulator.SimHttp.error;
import static io.github.herokupipeline.simulator.SimHttp.ok;
import static io.github.herokupipeline.simulator.SimHttp.send;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.herokupipeline.simulator.SimWorld.AppState;
import io.github.herokupipeline.simulator.SimWorld.ArtifactState;
import io.github.herokupipeline.simulator.SimWorld.BuildState;
import io.github.herokupipeline.simulator.SimWorld.CouplingState;
import io.github.herokupipeline.simulator.SimWorld.PipelineState;
import io.github.herokupipeline.simulator.SimWorld.ReleaseState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful stand-in for the Heroku Platform API on 127.0.0.1, for tests, invoker ITs and the demo. It behaves
 * like Heroku rather than like a stub: builds take time while their logs stream, then leave a slug and a release;
 * releases run a release phase; promotions copy a release's slug to target apps asynchronously and report per
 * target; lists honour {@code Range} and answer 206 with {@code Next-Range}; every response carries
 * {@code Request-Id} and {@code RateLimit-Remaining}. Response shapes follow the official schema (checked by
 * {@code SimulatorConformanceTest}). Faults are scripted through {@link #faults()}. Apps of the Fir generation
 * build OCI images instead of slugs.
 *
 * <p>This class is the front: scripting, inspection and HTTP. Each resource is served by its own class
 * ({@link AppResource}, {@link SourceResource}, {@link BuildResource}, {@link ReleaseResource},
 * {@link PromotionResource}, {@link StreamResource}) over the shared {@link SimWorld}.
 */
public final class HerokuSimulator implements AutoCloseable {

    public static final String DEFAULT_KEY = "simulated-api-key";

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool(SimWorld.daemon("heroku-sim-http"));
    private final ScheduledExecutorService clockwork = Executors.newScheduledThreadPool(2,
            SimWorld.daemon("heroku-sim"));
    private final Timing timing;
    private final Faults faults = new Faults();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Set<String> apiKeys = ConcurrentHashMap.newKeySet();
    private final SimWorld world;
    private final AppResource appResource;
    private final SourceResource sourceResource;
    private final BuildResource buildResource;
    private final ReleaseResource releaseResource;
    private final PromotionResource promotionResource;
    private final StreamResource streamResource;

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
        /** A real network: each request is answered this long after it arrived (0: at once, as on loopback). */
        public volatile long latencyMillis;
        /**
         * A real uplink: a source upload's bytes arrive no faster than this (0: unlimited), so an upload takes at least
         * its size divided by it, and a client that makes its bytes as it sends them is not slowed down twice.
         */
        public volatile long uploadBytesPerSecond;

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
    public record SimBuild(String id, String app, String status, String version, String releaseId, String artifactId,
            Instant createdAt, Instant finishedAt) {}

    /** A snapshot of a release, for assertions. */
    public record SimRelease(String id, String app, int version, String status, boolean current, String artifactId,
            String commit, String description, Instant createdAt, Instant updatedAt) {}

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
        this.world = new SimWorld(this, timing, faults, this::apiUrl, clockwork);
        this.sourceResource = new SourceResource(world);
        this.releaseResource = new ReleaseResource(world);
        this.appResource = new AppResource(world, releaseResource);
        this.buildResource = new BuildResource(world, releaseResource, sourceResource);
        this.promotionResource = new PromotionResource(world, releaseResource);
        this.streamResource = new StreamResource(world);
        this.routes = routes();
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
        AppState app = new AppState(world.uuid(), name, world.now());
        app.formation.put("web", 0);
        world.apps.put(app.id, app);
        return new AppHandle(app);
    }

    /** A handle to script an app created earlier. */
    public synchronized AppHandle appHandle(String name) {
        return new AppHandle(world.appNamed(name));
    }

    public synchronized String createPipeline(String name) {
        PipelineState pipeline = new PipelineState(world.uuid(), name, world.now());
        world.pipelines.put(pipeline.id, pipeline);
        return pipeline.id;
    }

    /** A team the key's account belongs to (apps can be created for it). */
    public synchronized HerokuSimulator createTeam(String team) {
        world.teams.add(team);
        return this;
    }

    /** A space of {@code team} in {@code region}; {@code fir} makes the apps created in it Fir apps. */
    public synchronized HerokuSimulator createSpace(String name, String team, String region, String generation) {
        world.teams.add(team);
        world.spaces.put(name, new SimWorld.SpaceState(SimWorld.uuid(), name, team, region, generation));
        return this;
    }

    /** Whether an app of that name exists. */
    public synchronized boolean hasApp(String name) {
        return world.apps.values().stream().anyMatch(a -> a.name.equals(name));
    }

    /** The app's config vars, for assertions. */
    public synchronized Map<String, String> config(String appName) {
        return Map.copyOf(world.appNamed(appName).config);
    }

    /** The app's buildpacks in order, for assertions. */
    public synchronized List<String> buildpacks(String appName) {
        return List.copyOf(world.appNamed(appName).buildpacks);
    }

    /** The app's process types and dyno counts, for assertions. */
    public synchronized Map<String, Integer> formation(String appName) {
        return Map.copyOf(world.appNamed(appName).formation);
    }

    /** The app's team, space, region, stack and generation, for assertions. */
    public synchronized List<String> placement(String appName) {
        AppState app = world.appNamed(appName);
        return java.util.Arrays.asList(app.team, app.space, app.region, app.stack, app.generation);
    }

    /** The name of the pipeline the app is coupled to and its stage, or null. */
    public synchronized String couplingOf(String appName) {
        AppState app = world.appNamed(appName);
        return world.couplings.values().stream().filter(c -> c.appId.equals(app.id)).findFirst()
                .map(c -> world.pipelines.get(c.pipelineId).name + "/" + c.stage).orElse(null);
    }

    public synchronized void couple(String appName, String pipelineName, String stage) {
        AppState app = world.appNamed(appName);
        PipelineState pipeline = world.pipelines.values().stream().filter(p -> p.name.equals(pipelineName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pipeline " + pipelineName));
        world.couplings.values().removeIf(c -> c.appId.equals(app.id));
        CouplingState coupling = new CouplingState(world.uuid(), app.id, pipeline.id, stage, world.now());
        world.couplings.put(coupling.id, coupling);
    }

    /** Convenience: a pipeline with world.apps {@code <name>-prepare} (development), staging and production. */
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

    /**
     * Makes a pipeline and every app coupled to it {@code cedar} (slugs) or {@code fir} (OCI images, stack
     * {@code cnb}).
     */
    public synchronized HerokuSimulator useGeneration(String pipelineName, String generation) {
        PipelineState pipeline = world.pipeline(pipelineName);
        pipeline.generation = generation;
        for (CouplingState coupling : world.couplings.values()) {
            if (coupling.pipelineId.equals(pipeline.id)) {
                AppState app = world.apps.get(coupling.appId);
                app.generation = generation;
                app.stack = "fir".equals(generation) ? "cnb" : "heroku-24";
            }
        }
        return this;
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

        /** {@code cedar} (world.artifacts, the default) or {@code fir} (OCI images). */
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

        /** The app's buildpacks, in order (names like {@code heroku/jvm}, or URLs). */
        public AppHandle buildpacks(String... buildpacks) {
            synchronized (HerokuSimulator.this) {
                app.buildpacks = List.of(buildpacks);
            }
            return this;
        }

        /** How many web dynos the app runs. */
        public AppHandle webDynos(int quantity) {
            synchronized (HerokuSimulator.this) {
                app.formation.put("web", quantity);
            }
            return this;
        }

        /** Makes the app a team's ({@code null}: the key's own account). */
        public AppHandle team(String team) {
            synchronized (HerokuSimulator.this) {
                app.team = team;
                if (team != null) {
                    world.teams.add(team);
                }
            }
            return this;
        }

        /** Puts the app in a space made with {@link #createSpace}: its team, region and generation. */
        public AppHandle space(String space) {
            synchronized (HerokuSimulator.this) {
                SimWorld.SpaceState state = world.space(space);
                app.space = state.name();
                app.team = state.team();
                app.region = state.region();
                app.generation = state.generation();
                app.stack = "fir".equals(state.generation()) ? "cnb" : app.stack;
            }
            return this;
        }

        public AppHandle region(String region) {
            synchronized (HerokuSimulator.this) {
                app.region = region;
            }
            return this;
        }

        /** Sets a config var (without a release: as if set long ago). */
        public AppHandle config(String name, String value) {
            synchronized (HerokuSimulator.this) {
                app.config.put(name, value);
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
        return startBuild(appName, version, null);
    }

    /** A build someone else started, labelled {@code version}, made from content with {@code checksum}. */
    public synchronized String startBuild(String appName, String version, String checksum) {
        AppState app = world.appNamed(appName);
        BuildState build = buildResource.newBuild(app, "sim://source/" + version, version, checksum, null, null);
        return build.id;
    }

    /**
     * How an app answers at {@link #localWebUrl(String)} while it runs a slug of {@code commit}: {@code status} and
     * {@code body} once booted, 503 for {@code bootMillis} after the release became current. Commits not scripted
     * answer 200 with a JSON body naming the app and commit.
     */
    public synchronized HerokuSimulator webApp(String commit, int status, String body, long bootMillis) {
        world.webBehaviours.put(commit, new AppResource.WebBehaviour(status, body, bootMillis));
        return this;
    }

    /**
     * Turns preboot on for an app: after a release, the dynos of the release before keep answering at
     * {@link #localWebUrl(String)} until the new release's dynos have booted and {@code switchMillis} more have passed.
     */
    public synchronized HerokuSimulator preboot(String appName, long switchMillis) {
        AppState app = world.appNamed(appName);
        app.features.add("preboot");
        app.prebootSwitchMillis = switchMillis;
        return this;
    }

    /** Puts a release in the state Heroku gives world.releases that can no longer be promoted. */
    public synchronized void expireRelease(String appName, String releaseId) {
        ReleaseState release = world.releases.get(releaseId);
        if (release == null || !release.appId.equals(world.appNamed(appName).id)) {
            throw new IllegalArgumentException("no release " + releaseId + " on " + appName);
        }
        release.status = "expired";
        release.updatedAt = world.now();
    }

    /** Directly world.releases the slug of {@code commit} on an app (as if deployed earlier), and returns its id. */
    public synchronized String seedRelease(String appName, String commit) {
        AppState app = world.appNamed(appName);
        ArtifactState slug = releaseResource.newArtifact(app, commit, null);
        return releaseResource.newRelease(app, slug.id, "Deploy " + commit.substring(0, Math.min(8, commit.length())), false).id;
    }

    // ------------------------------------------------------------------ inspection

    /** The bytes uploaded for a source whose get_url is {@code getUrl}, or null. */
    public byte[] sourceBytes(String getUrl) {
        return sourceResource.sourceBytes(getUrl);
    }

    /** The source archive a build downloaded (its {@code source_blob.url}), or null for a scripted build. */
    public synchronized byte[] buildSource(String buildId) {
        BuildState build = world.builds.get(buildId);
        return build == null ? null : sourceResource.sourceBytes(build.url);
    }

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
        AppState app = world.appNamed(appName);
        return world.builds.values().stream().filter(b -> b.appId.equals(app.id))
                .map(b -> new SimBuild(b.id, appName, b.status, b.version, b.releaseId, b.artifactId, b.createdAt,
                        b.finishedAt)).toList();
    }

    public synchronized SimBuild build(String buildId) {
        BuildState b = world.builds.get(buildId);
        return b == null ? null : new SimBuild(b.id, world.apps.get(b.appId).name, b.status, b.version, b.releaseId,
                b.artifactId, b.createdAt, b.finishedAt);
    }

    public synchronized List<SimRelease> releases(String appName) {
        AppState app = world.appNamed(appName);
        ReleaseState current = world.currentRelease(app);
        return world.releases.values().stream().filter(r -> r.appId.equals(app.id)).map(r -> snapshot(r, current))
                .toList();
    }

    /** The release the app runs now, or null. */
    public synchronized SimRelease currentRelease(String appName) {
        ReleaseState current = world.currentRelease(world.appNamed(appName));
        return current == null ? null : snapshot(current, current);
    }

    private SimRelease snapshot(ReleaseState r, ReleaseState current) {
        ArtifactState slug = r.artifactId == null ? null : world.artifacts.get(r.artifactId);
        return new SimRelease(r.id, world.apps.get(r.appId).name, r.version, r.status, r == current, r.artifactId,
                slug == null ? null : slug.commit, r.description, r.createdAt, r.updatedAt);
    }

    public String log(String buildOrReleaseId) {
        SimLog log = world.logs.get(buildOrReleaseId);
        return log == null ? null : log.text();
    }

    /** Blocks until no build, release phase or promotion is pending (for tests that inspect the end state). */
    public void awaitIdle(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            synchronized (this) {
                boolean busy = world.builds.values().stream().anyMatch(b -> b.status.equals("pending"))
                        || world.releases.values().stream().anyMatch(r -> r.status.equals("pending"))
                        || world.promotions.values().stream().anyMatch(p -> p.status.equals("pending"));
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


    private void handle(HttpExchange exchange) throws IOException {
        Instant received = Instant.now();
        String override = exchange.getRequestHeaders().getFirst("X-Http-Method-Override");
        String method = exchange.getRequestMethod().equals("POST") && override != null
                ? override.strip().toUpperCase(Locale.ROOT) : exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        String path = uri.getPath();
        boolean upload = method.equals("PUT") && path.startsWith("/blobs/") && timing.uploadBytesPerSecond > 0;
        byte[] body = upload ? readAtUplinkSpeed(exchange.getRequestBody(), timing.uploadBytesPerSecond)
                : exchange.getRequestBody().readAllBytes();
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
                new RecordedRequest(received, Instant.now(), method, path, uri.getRawQuery(), headers, authorized, bodyText,
                        status, response == null || binary ? null : new String(response, StandardCharsets.UTF_8)));
        java.util.function.IntConsumer record = status -> recordWithBody.accept(status, null);
        if (timing.latencyMillis > 0 && !path.startsWith("/web/")) {
            SimWorld.sleep(timing.latencyMillis);
        }
        Faults.Rule rule = faults.match(method, path);
        if (rule != null && rule.delayMillis() > 0) {
            SimWorld.sleep(rule.delayMillis());
        }
        if (rule != null && rule.dropConnection()) {
            record.accept(0);
            throw new Abort();
        }
        if (path.startsWith("/streams/") && method.equals("GET")) {
            streamResource.serveStream(exchange, path.substring("/streams/".length()), record);
            return;
        }
        Reply reply;
        if (rule != null && rule.status() > 0) {
            reply = rule.body() != null
                    ? new Reply(rule.status(), Map.of("Content-Type", "text/html"),
                            rule.body().getBytes(StandardCharsets.UTF_8))
                    : faultReply(rule);
        } else if (path.startsWith("/blobs/")) {
            reply = sourceResource.serveBlob(method, path.substring("/blobs/".length()), uri.getQuery(), body, authorized);
        } else if (path.startsWith("/web/")) {
            reply = appResource.serveWeb(path.substring("/web/".length()));
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


    private final Map<String, Map<Pattern, Route>> routes;

    private Map<String, Map<Pattern, Route>> routes() {
        Map<String, Map<Pattern, Route>> table = new LinkedHashMap<>();
        String seg = "([^/]+)";
        add(table, "POST", "/apps", (m, h, b) -> appResource.createApp(b));
        add(table, "POST", "/teams/apps", (m, h, b) -> appResource.createTeamApp(b));
        add(table, "PATCH", "/apps/" + seg, (m, h, b) -> appResource.updateApp(world.app(m.group(1)), b));
        add(table, "PUT", "/apps/" + seg + "/buildpack-installations",
                (m, h, b) -> appResource.updateBuildpacks(world.app(m.group(1)), b));
        add(table, "GET", "/apps/" + seg + "/formation",
                (m, h, b) -> appResource.listFormation(world.app(m.group(1)), h));
        add(table, "PATCH", "/apps/" + seg + "/formation",
                (m, h, b) -> appResource.updateFormation(world.app(m.group(1)), b));
        add(table, "POST", "/pipeline-couplings", (m, h, b) -> appResource.createCoupling(b));
        add(table, "POST", "/sources", (m, h, b) -> sourceResource.createSource());
        add(table, "GET", "/apps/" + seg, (m, h, b) -> ok(appResource.appJson(world.app(m.group(1)))));
        add(table, "GET", "/apps/" + seg + "/buildpack-installations",
                (m, h, b) -> appResource.buildpackInstallations(world.app(m.group(1))));
        add(table, "GET", "/apps/" + seg + "/formation/" + seg,
                (m, h, b) -> appResource.formation(world.app(m.group(1)), m.group(2)));
        add(table, "GET", "/apps/" + seg + "/features",
                (m, h, b) -> appResource.listFeatures(world.app(m.group(1)), h));
        add(table, "GET", "/apps/" + seg + "/features/" + seg,
                (m, h, b) -> appResource.feature(world.app(m.group(1)), m.group(2)));
        add(table, "PATCH", "/apps/" + seg + "/features/" + seg,
                (m, h, b) -> appResource.updateFeature(world.app(m.group(1)), m.group(2), b));
        add(table, "GET", "/apps/" + seg + "/config-vars",
                (m, h, b) -> ok(appResource.configJson(world.app(m.group(1)))));
        add(table, "PATCH", "/apps/" + seg + "/config-vars",
                (m, h, b) -> appResource.updateConfig(world.app(m.group(1)), b));
        add(table, "POST", "/apps/" + seg + "/builds",
                (m, h, b) -> buildResource.createBuild(world.app(m.group(1)), b));
        add(table, "GET", "/apps/" + seg + "/builds", (m, h, b) -> buildResource.listBuilds(world.app(m.group(1)), h));
        add(table, "GET", "/apps/" + seg + "/builds/" + seg,
                (m, h, b) -> ok(buildResource.buildJson(world.buildOf(world.app(m.group(1)), m.group(2)))));
        add(table, "DELETE", "/apps/" + seg + "/builds/" + seg,
                (m, h, b) -> buildResource.cancelBuild(world.app(m.group(1)), m.group(2), h));
        add(table, "GET", "/apps/" + seg + "/slugs/" + seg,
                (m, h, b) -> releaseResource.slug(world.app(m.group(1)), m.group(2)));
        add(table, "GET", "/apps/" + seg + "/oci-images/" + seg,
                (m, h, b) -> releaseResource.ociImages(world.app(m.group(1)), m.group(2)));
        add(table, "GET", "/apps/" + seg + "/releases",
                (m, h, b) -> releaseResource.listReleases(world.app(m.group(1)), h));
        add(table, "GET", "/apps/" + seg + "/releases/" + seg,
                (m, h, b) -> ok(releaseResource.releaseJson(world.releaseOf(world.app(m.group(1)), m.group(2)))));
        add(table, "POST", "/apps/" + seg + "/releases",
                (m, h, b) -> releaseResource.createRelease(world.app(m.group(1)), b));
        add(table, "GET", "/apps/" + seg + "/pipeline-couplings",
                (m, h, b) -> ok(appResource.couplingJson(world.couplingOf(world.app(m.group(1))))));
        add(table, "GET", "/pipelines/" + seg, (m, h, b) -> ok(appResource.pipelineJson(world.pipeline(m.group(1)))));
        add(table, "GET", "/pipelines/" + seg + "/pipeline-couplings",
                (m, h, b) -> appResource.listCouplings(world.pipeline(m.group(1)), h));
        add(table, "POST", "/pipeline-promotions", (m, h, b) -> promotionResource.createPromotion(b));
        add(table, "GET", "/pipeline-promotions/" + seg,
                (m, h, b) -> ok(promotionResource.promotionJson(world.promotion(m.group(1)))));
        add(table, "GET", "/pipeline-promotions/" + seg + "/promotion-targets",
                (m, h, b) -> promotionResource.listTargets(world.promotion(m.group(1)), h));
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

    /** Reads a request body no faster than {@code bytesPerSecond}, as a link of that speed would deliver it. */
    private static byte[] readAtUplinkSpeed(java.io.InputStream in, long bytesPerSecond) throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long started = System.nanoTime();
        int read;
        while ((read = in.read(buffer)) >= 0) {
            body.write(buffer, 0, read);
            long due = started + body.size() * 1_000_000_000L / bytesPerSecond;
            long early = due - System.nanoTime();
            if (early > 0) {
                SimWorld.sleep(early / 1_000_000);
            }
        }
        return body.toByteArray();
    }

    /**
     * Runs the simulator on its own, for trying the plugin by hand or timing it:
     * {@code --latency-ms N} (each request answered after N ms), {@code --upload-mb-per-s N} (the uplink),
     * {@code --pipeline NAME} (apps NAME-prepare, NAME-staging, NAME-production; default {@code foo}),
     * {@code --build-ms N} (how long a build takes). Prints the URL and the key; stops when standard input closes.
     */
    public static void main(String[] args) throws Exception {
        Timing timing = new Timing();
        String pipeline = "foo";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--latency-ms" -> timing.latencyMillis = Long.parseLong(args[i + 1]);
                case "--upload-mb-per-s" -> timing.uploadBytesPerSecond = (long) (Double.parseDouble(args[i + 1])
                        * 1024 * 1024);
                case "--build-ms" -> timing.buildMillis = Long.parseLong(args[i + 1]);
                case "--pipeline" -> pipeline = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        try (HerokuSimulator simulator = start(timing)) {
            simulator.createStandardPipeline(pipeline);
            System.out.println("Heroku simulator at " + simulator.apiUrl() + " (key " + DEFAULT_KEY + "), pipeline "
                    + pipeline + ", " + timing.latencyMillis + " ms per request; close standard input to stop");
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }
}
