package io.github.herokupipeline.simulator;

import static io.github.herokupipeline.simulator.SimHttp.ApiError;
import static io.github.herokupipeline.simulator.SimHttp.Reply;
import static io.github.herokupipeline.simulator.SimHttp.json;
import static io.github.herokupipeline.simulator.SimHttp.object;
import static io.github.herokupipeline.simulator.SimHttp.ok;
import static io.github.herokupipeline.simulator.SimHttp.page;
import static io.github.herokupipeline.simulator.SimHttp.parseObject;
import static io.github.herokupipeline.simulator.SimHttp.string;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.Headers;
import io.github.herokupipeline.simulator.HerokuSimulator.BuildScript;
import io.github.herokupipeline.simulator.SimWorld.AppState;
import io.github.herokupipeline.simulator.SimWorld.ArtifactState;
import io.github.herokupipeline.simulator.SimWorld.BuildState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Builds: creation, the simulated build with its streamed log, listing and cancelling. */
final class BuildResource {

    private final SimWorld world;
    private final ReleaseResource releases;
    private final SourceResource sources;

    BuildResource(SimWorld world, ReleaseResource releases, SourceResource sources) {
        this.world = world;
        this.releases = releases;
        this.sources = sources;
    }

    Reply createBuild(AppState app, String body) {
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

    BuildState newBuild(AppState app, String url, String version, String checksum, String description,
            JsonArray buildpacks) {
        BuildState build = new BuildState(world.uuid(), app.id, world.created());
        build.url = url;
        build.version = version;
        build.checksum = checksum;
        build.versionDescription = description;
        build.buildpacks = buildpacks;
        world.builds.put(build.id, build);
        SimLog log = new SimLog();
        world.logs.put(build.id, log);
        BuildScript script = app.scriptedBuilds.poll();
        runBuild(app, build, log, script == null ? new BuildScript(true, -1, List.of()) : script);
        return build;
    }

    private void runBuild(AppState app, BuildState build, SimLog log, BuildScript script) {
        String sourceProblem = sourceProblem(build);
        boolean succeeds = script.succeeds() && sourceProblem == null;
        List<String> lines = app.isFir() ? cnbLog(build, script, sourceProblem, succeeds)
                : slugLog(build, script, sourceProblem, succeeds);
        long duration = sourceProblem != null ? 20 : script.millis() >= 0 ? script.millis() : world.timing.buildMillis;
        long step = duration / Math.max(1, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            world.schedule(i * step, () -> {
                if (build.status.equals("pending")) {
                    log.line(line);
                }
            });
        }
        world.schedule(duration, log::close);
        world.schedule(duration + world.timing.statusLagMillis, () -> finishBuild(app, build, succeeds));
    }

    /** A Cedar build's log: a buildpack compiles a slug. */
    private List<String> slugLog(BuildState build, BuildScript script, String sourceProblem, boolean succeeds) {
        List<String> lines = new ArrayList<>();
        lines.add("-----> Building on the Heroku-24 stack");
        lines.add("-----> Fetching source " + (build.version == null ? "" : build.version));
        if (sourceProblem != null) {
            lines.add(" !     " + sourceProblem);
        } else {
            lines.add("-----> Using buildpack: heroku/jvm");
            addFiller(lines, "       [INFO] Building step ");
            lines.addAll(script.lines());
        }
        if (succeeds) {
            lines.add("-----> Compressing... Done: 71.2M");
            lines.add("-----> Launching... Released");
        } else {
            lines.add(" !     Push rejected, failed to compile Java app.");
        }
        return lines;
    }

    /** A Fir build's log: Cloud Native Buildpacks export an OCI image. */
    private List<String> cnbLog(BuildState build, BuildScript script, String sourceProblem, boolean succeeds) {
        List<String> lines = new ArrayList<>();
        lines.add("===> FETCHING SOURCE " + (build.version == null ? "" : build.version));
        if (sourceProblem != null) {
            lines.add("ERROR: " + sourceProblem);
        } else {
            lines.add("===> DETECTING heroku/java 6.0.0");
            lines.add("===> BUILDING");
            addFiller(lines, "[Building step ");
            lines.addAll(script.lines());
        }
        if (succeeds) {
            lines.add("===> EXPORTING");
            lines.add("Saving image with digest sha256:" + SimWorld.sha256(build.id.getBytes()).substring(0, 12));
        } else {
            lines.add("ERROR: failed to build: exit status 1");
        }
        return lines;
    }

    private void addFiller(List<String> lines, String prefix) {
        int filler = Math.max(0, world.timing.buildLogLines - 5);
        for (int i = 1; i <= filler; i++) {
            lines.add(prefix + i + " of " + filler + (prefix.startsWith("[") ? "]" : ""));
        }
    }

    private String sourceProblem(BuildState build) {
        if (build.url.startsWith("sim://")) {
            return null;
        }
        String id = sources.blobIdOf(build.url);
        byte[] source = id == null ? null : world.blobs.get(id);
        if (source == null) {
            return "Failed to download the source from " + build.url.replaceAll("\\?.*", "");
        }
        if (build.checksum != null && !build.checksum.equalsIgnoreCase("SHA256:" + world.sha256(source))) {
            return "Checksum mismatch: the downloaded source does not match " + build.checksum;
        }
        return null;
    }

    private void finishBuild(AppState app, BuildState build, boolean succeeds) {
        synchronized (world.lock) {
            if (!build.status.equals("pending")) {
                return; // cancelled meanwhile
            }
            build.updatedAt = world.now();
            build.finishedAt = Instant.now();
            if (!succeeds) {
                build.status = "failed";
                return;
            }
            ArtifactState artifact = releases.newArtifact(app, build.version, build.checksum);
            artifact.commitDescription = build.versionDescription;
            build.artifactId = artifact.id;
            String shortVersion = build.version == null ? "" : build.version.substring(0, Math.min(8,
                    build.version.length()));
            build.releaseId = releases.newRelease(app, artifact.id, "Deploy " + shortVersion, true).id;
            build.status = "succeeded";
        }
    }

    Reply listBuilds(AppState app, Headers headers) {
        List<BuildState> appBuilds = world.builds.values().stream().filter(b -> b.appId.equals(app.id)).toList();
        Map<String, Function<BuildState, Comparable<?>>> keys = new LinkedHashMap<>();
        keys.put("id", b -> b.id);
        keys.put("started_at", b -> b.createdAt.toString());
        keys.put("created_at", b -> b.createdAt.toString());
        return page(appBuilds, headers, keys, this::buildJson);
    }

    Reply cancelBuild(AppState app, String id, Headers headers) {
        BuildState build = world.buildOf(app, id);
        String accept = headers.getFirst("Accept");
        if (accept == null || !accept.contains("version=3.cancel-build")) {
            throw new ApiError(422, "invalid_params", "Cancelling a build needs "
                    + "`Accept: application/vnd.heroku+json; version=3.cancel-build`.");
        }
        if (build.status.equals("pending")) {
            build.status = "failed";
            build.updatedAt = world.now();
            build.finishedAt = Instant.now();
            SimLog log = world.logs.get(build.id);
            log.line(" !     Build canceled");
            log.close();
        }
        return ok(buildJson(build));
    }

    JsonObject buildJson(BuildState build) {
        JsonObject json = new JsonObject();
        json.add("app", world.ref(build.appId));
        json.add("buildpacks", build.buildpacks == null ? JsonNull.INSTANCE : build.buildpacks);
        json.addProperty("created_at", world.time(build.createdAt));
        json.addProperty("id", build.id);
        json.addProperty("output_stream_url", world.apiUrl() + "/streams/" + build.id);
        json.add("release", build.releaseId == null ? JsonNull.INSTANCE : world.ref(build.releaseId));
        AppState app = world.apps.get(build.appId);
        json.add("generation", app.generation == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(
                app.generation));
        json.add("slug", build.artifactId == null || app.isFir() ? JsonNull.INSTANCE : world.ref(build.artifactId));
        JsonObject blob = new JsonObject();
        blob.addProperty("checksum", build.checksum);
        blob.addProperty("url", build.url);
        blob.addProperty("version", build.version);
        blob.addProperty("version_description", build.versionDescription);
        json.add("source_blob", blob);
        json.addProperty("stack", app.stack);
        json.addProperty("status", build.status);
        json.addProperty("updated_at", world.time(build.updatedAt));
        json.add("user", world.user());
        return json;
    }

}
