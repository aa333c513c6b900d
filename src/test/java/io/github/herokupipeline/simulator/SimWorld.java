package io.github.herokupipeline.simulator;

import static io.github.herokupipeline.simulator.SimHttp.ApiError;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.herokupipeline.simulator.HerokuSimulator.BuildScript;
import io.github.herokupipeline.simulator.HerokuSimulator.Timing;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Everything the simulated Heroku knows, shared by the resources that serve it. State changes happen while holding
 * {@link #lock}: the HTTP handlers and the scheduled work (builds finishing, promotions landing) run on several
 * threads.
 */
final class SimWorld {

    static final String STACK_ID = "ee582d3c-717d-4a57-ba5f-8b3a39f3a817";
    static final String GENERATION_ID = "66666666-6666-4666-8666-666666666666";
    static final String USER_ID = "44444444-4444-4444-8444-444444444444";
    static final String USER_EMAIL = "ci@example.com";

    final Object lock;
    final Timing timing;
    final Faults faults;
    private final Supplier<String> apiUrl;
    private final ScheduledExecutorService clockwork;

    final Map<String, AppState> apps = new LinkedHashMap<>();
    final Map<String, PipelineState> pipelines = new LinkedHashMap<>();
    final Map<String, CouplingState> couplings = new LinkedHashMap<>();
    final Map<String, BuildState> builds = new LinkedHashMap<>();
    final Map<String, ArtifactState> artifacts = new LinkedHashMap<>();
    final Map<String, ReleaseState> releases = new LinkedHashMap<>();
    final Map<String, PromotionState> promotions = new LinkedHashMap<>();
    final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    final Map<String, String> blobSignatures = new ConcurrentHashMap<>();
    final Map<String, SimLog> logs = new ConcurrentHashMap<>();
    final Map<String, SpaceState> spaces = new LinkedHashMap<>();
    final java.util.Set<String> teams = new java.util.LinkedHashSet<>();
    final Map<String, AppResource.WebBehaviour> webBehaviours = new LinkedHashMap<>();
    private Instant lastCreated = Instant.EPOCH;

    SimWorld(Object lock, Timing timing, Faults faults, Supplier<String> apiUrl,
            ScheduledExecutorService clockwork) {
        this.lock = lock;
        this.timing = timing;
        this.faults = faults;
        this.apiUrl = apiUrl;
        this.clockwork = clockwork;
    }

    String apiUrl() {
        return apiUrl.get();
    }

    // ------------------------------------------------------------------ lookups

    AppState app(String idOrName) {
        AppState app = apps.get(idOrName);
        if (app == null) {
            app = apps.values().stream().filter(a -> a.name.equals(idOrName)).findFirst().orElse(null);
        }
        if (app == null) {
            throw new ApiError(404, "not_found", "Couldn't find that app.");
        }
        return app;
    }

    SpaceState space(String idOrName) {
        return spaces.values().stream().filter(s -> s.name().equals(idOrName) || s.id().equals(idOrName))
                .findFirst().orElseThrow(() -> new ApiError(404, "not_found", "Couldn't find that space."));
    }

    AppState appNamed(String name) {
        return apps.values().stream().filter(a -> a.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no app " + name));
    }

    BuildState buildOf(AppState app, String id) {
        BuildState build = builds.get(id);
        if (build == null || !build.appId.equals(app.id)) {
            throw new ApiError(404, "not_found", "Couldn't find that build.");
        }
        return build;
    }

    ArtifactState artifactOf(String id) {
        ArtifactState artifact = artifacts.get(id);
        if (artifact == null) {
            throw new ApiError(404, "not_found", "Couldn't find that artifact.");
        }
        return artifact;
    }

    ReleaseState releaseOf(AppState app, String idOrVersion) {
        for (ReleaseState release : releases.values()) {
            if (release.appId.equals(app.id)
                    && (release.id.equals(idOrVersion) || Integer.toString(release.version).equals(idOrVersion))) {
                return release;
            }
        }
        throw new ApiError(404, "not_found", "Couldn't find that release.");
    }

    CouplingState couplingOf(AppState app) {
        return couplings.values().stream().filter(c -> c.appId.equals(app.id)).findFirst()
                .orElseThrow(() -> new ApiError(404, "not_found", "Not found."));
    }

    PipelineState pipeline(String idOrName) {
        PipelineState pipeline = pipelines.get(idOrName);
        if (pipeline == null) {
            pipeline = pipelines.values().stream().filter(p -> p.name.equals(idOrName)).findFirst().orElse(null);
        }
        if (pipeline == null) {
            throw new ApiError(404, "not_found", "Couldn't find that pipeline.");
        }
        return pipeline;
    }

    PromotionState promotion(String id) {
        PromotionState promotion = promotions.get(id);
        if (promotion == null) {
            throw new ApiError(404, "not_found", "Couldn't find that pipeline promotion.");
        }
        return promotion;
    }

    ReleaseState currentRelease(AppState app) {
        ReleaseState current = null;
        for (ReleaseState release : releases.values()) {
            if (release.appId.equals(app.id) && release.status.equals("succeeded")
                    && (current == null || release.version > current.version)) {
                current = release;
            }
        }
        return current;
    }

    /** The succeeded release that was current before {@code release}, or null. */
    ReleaseState releaseBefore(AppState app, ReleaseState release) {
        ReleaseState before = null;
        for (ReleaseState candidate : releases.values()) {
            if (candidate.appId.equals(app.id) && candidate.status.equals("succeeded")
                    && candidate.version < release.version && (before == null || candidate.version > before.version)) {
                before = candidate;
            }
        }
        return before;
    }

    // ------------------------------------------------------------------ shared JSON pieces

    static JsonObject ref(String id) {
        JsonObject ref = new JsonObject();
        ref.addProperty("id", id);
        return ref;
    }

    static JsonObject ref(String id, String name) {
        JsonObject ref = ref(id);
        ref.addProperty("name", name);
        return ref;
    }

    static JsonObject user() {
        JsonObject user = new JsonObject();
        user.addProperty("id", USER_ID);
        user.addProperty("email", USER_EMAIL);
        return user;
    }


    // ------------------------------------------------------------------ state

    static final class AppState {
        final String id;
        final String name;
        final Instant createdAt;
        String stack = "heroku-24";
        String generation = "cedar";
        List<String> buildpacks = List.of("heroku/jvm");
        String region = "us";
        String team;
        String space;
        /** Process type to dyno count; empty until the first release that runs a slug or image. */
        final Map<String, Integer> formation = new LinkedHashMap<>();
        final Map<String, String> config = new LinkedHashMap<>();
        final Deque<BuildScript> scriptedBuilds = new ArrayDeque<>();
        long releasePhaseMillis = -1;
        boolean releasePhaseFails;
        /** Names of the app features that are on, e.g. {@code preboot}. */
        final java.util.Set<String> features = new java.util.TreeSet<>();
        /**
         * With {@code preboot} on: how long after a release's new dynos have booted the router keeps sending requests
         * to the dynos of the release before it (Heroku says about three minutes).
         */
        long prebootSwitchMillis;

        AppState(String id, String name, Instant createdAt) {
            this.id = id;
            this.name = name;
            this.createdAt = createdAt;
        }

        boolean isFir() {
            return "fir".equals(generation);
        }
    }

    static final class BuildState {
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
        String artifactId;
        String releaseId;
        Instant finishedAt;

        BuildState(String id, String appId, Instant createdAt) {
            this.id = id;
            this.appId = appId;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    /** What a release runs: a slug on a Cedar app, an OCI image on a Fir app. */
    static final class ArtifactState {
        static final String SLUG = "slug";
        static final String OCI_IMAGE = "oci-image";

        final String id;
        final String appId;
        final String kind;
        final String commit;
        final String stack;
        final Instant createdAt;
        String checksum;
        String commitDescription;

        ArtifactState(String id, String appId, String kind, String commit, String stack, Instant createdAt) {
            this.id = id;
            this.appId = appId;
            this.kind = kind;
            this.commit = commit;
            this.stack = stack;
            this.createdAt = createdAt;
        }

        boolean isSlug() {
            return SLUG.equals(kind);
        }
    }

    static final class ReleaseState {
        final String id;
        final String appId;
        final int version;
        final String artifactId;
        final String description;
        final Instant createdAt;
        Instant updatedAt;
        String status = "succeeded";

        ReleaseState(String id, String appId, int version, String artifactId, String description, Instant createdAt) {
            this.id = id;
            this.appId = appId;
            this.version = version;
            this.artifactId = artifactId;
            this.description = description;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    /** A private or Fir space of a team: its apps run in its region and generation. */
    record SpaceState(String id, String name, String team, String region, String generation) {}

    static final class PipelineState {
        final String id;
        final String name;
        final Instant createdAt;
        String generation = "cedar";

        PipelineState(String id, String name, Instant createdAt) {
            this.id = id;
            this.name = name;
            this.createdAt = createdAt;
        }
    }

    static final class CouplingState {
        final String id;
        final String appId;
        final String pipelineId;
        final String stage;
        final Instant createdAt;

        CouplingState(String id, String appId, String pipelineId, String stage, Instant createdAt) {
            this.id = id;
            this.appId = appId;
            this.pipelineId = pipelineId;
            this.stage = stage;
            this.createdAt = createdAt;
        }
    }

    static final class PromotionState {
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

    static final class TargetState {
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

    void schedule(long delayMillis, Runnable task) {
        clockwork.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                e.printStackTrace();
            }
        }, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    static Instant now() {
        return Instant.now();
    }

    /** Creation times are unique and increasing, so newest-first lists have one order. */
    synchronized Instant created() {
        Instant now = Instant.now();
        lastCreated = now.isAfter(lastCreated) ? now : lastCreated.plus(1, ChronoUnit.MICROS);
        return lastCreated;
    }

    static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String uuid() {
        return UUID.randomUUID().toString();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
