package io.github.herokupipeline.simulator;

import static io.github.herokupipeline.simulator.SimHttp.ApiError;
import static io.github.herokupipeline.simulator.SimHttp.Reply;
import static io.github.herokupipeline.simulator.SimHttp.json;
import static io.github.herokupipeline.simulator.SimHttp.ok;
import static io.github.herokupipeline.simulator.SimHttp.page;
import static io.github.herokupipeline.simulator.SimHttp.parseObject;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.Headers;
import io.github.herokupipeline.simulator.SimWorld.AppState;
import io.github.herokupipeline.simulator.SimWorld.ArtifactState;
import io.github.herokupipeline.simulator.SimWorld.CouplingState;
import io.github.herokupipeline.simulator.SimWorld.PipelineState;
import io.github.herokupipeline.simulator.SimWorld.ReleaseState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Apps, their config vars and web processes, pipelines and pipeline couplings. */
final class AppResource {

    private final SimWorld world;
    private final ReleaseResource releases;

    AppResource(SimWorld world, ReleaseResource releases) {
        this.world = world;
        this.releases = releases;
    }

    Reply updateConfig(AppState app, String body) {
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
        ReleaseState current = world.currentRelease(app);
        releases.newRelease(app, current == null ? null : current.artifactId, (set.isEmpty() ? "Remove "
                + String.join(", ", removed) : "Set " + String.join(", ", set)) + " config vars", false);
        return ok(configJson(app));
    }

    /** {@code GET /apps/{app}/buildpack-installations}: the app's buildpacks in order (not paged). */
    Reply buildpackInstallations(AppState app) {
        JsonArray list = new JsonArray();
        for (int i = 0; i < app.buildpacks.size(); i++) {
            String buildpack = app.buildpacks.get(i);
            JsonObject installation = new JsonObject();
            installation.addProperty("ordinal", i);
            JsonObject ref = new JsonObject();
            boolean url = buildpack.contains("://");
            ref.addProperty("url", url ? buildpack : "urn:buildpack:" + buildpack);
            ref.addProperty("name", url ? null : buildpack);
            installation.add("buildpack", ref);
            list.add(installation);
        }
        return ok(list);
    }

    /** {@code GET /apps/{app}/formation/{type}}: only {@code web} exists, with the scripted number of dynos. */
    Reply formation(AppState app, String type) {
        if (!type.equals("web")) {
            throw new ApiError(404, "not_found", "Couldn't find that formation.");
        }
        JsonObject json = new JsonObject();
        json.add("app", world.ref(app.id, app.name));
        json.addProperty("command", "java -jar target/app.jar");
        json.addProperty("created_at", world.time(app.createdAt));
        json.add("dyno_size", world.ref("55555555-5555-4555-8555-555555555555", "basic"));
        json.addProperty("id", SimWorld.uuid());
        json.addProperty("quantity", app.webDynos);
        json.addProperty("size", "basic");
        json.addProperty("type", "web");
        json.addProperty("updated_at", world.time(app.createdAt));
        return ok(json);
    }

    Reply listCouplings(PipelineState pipeline, Headers headers) {
        List<CouplingState> coupled = world.couplings.values().stream()
                .filter(c -> c.pipelineId.equals(pipeline.id)).toList();
        return page(coupled, headers, Map.of("id", c -> c.id), this::couplingJson);
    }

    // ------------------------------------------------------------------ the apps' web processes

    record WebBehaviour(int status, String body, long bootMillis) {}

    Reply serveWeb(String rest) {
        synchronized (world.lock) {
            return serveWebLocked(rest);
        }
    }

    private Reply serveWebLocked(String rest) {
        String name = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        AppState app = world.apps.values().stream().filter(a -> a.name.equals(name)).findFirst().orElse(null);
        ReleaseState current = app == null ? null : world.currentRelease(app);
        if (current == null) {
            return new Reply(404, Map.of("Content-Type", "text/html"),
                    "<html><body>There's nothing here, yet.</body></html>".getBytes(StandardCharsets.UTF_8));
        }
        ArtifactState slug = current.artifactId == null ? null : world.artifacts.get(current.artifactId);
        String commit = slug == null ? null : slug.commit;
        WebBehaviour behaviour = world.webBehaviours.getOrDefault(commit, new WebBehaviour(200,
                "{\"status\":\"ok\",\"app\":\"" + name + "\",\"commit\":\"" + commit + "\"}", 0));
        if (Instant.now().isBefore(current.updatedAt.plusMillis(behaviour.bootMillis()))) {
            return new Reply(503, Map.of("Content-Type", "text/html"),
                    "<html><body>Application is starting (H20)</body></html>".getBytes(StandardCharsets.UTF_8));
        }
        return new Reply(behaviour.status(), Map.of("Content-Type", "application/json"),
                behaviour.body().getBytes(StandardCharsets.UTF_8));
    }

    JsonObject appJson(AppState app) {
        JsonObject json = new JsonObject();
        json.addProperty("acm", false);
        json.add("archived_at", JsonNull.INSTANCE);
        json.addProperty("buildpack_provided_description", "Java");
        json.add("build_stack", world.ref(SimWorld.STACK_ID, app.stack));
        json.addProperty("created_at", world.time(app.createdAt));
        json.add("generation", world.ref(SimWorld.GENERATION_ID, app.generation));
        json.addProperty("git_url", "https://git.heroku.com/" + app.name + ".git");
        json.addProperty("id", app.id);
        json.add("internal_routing", JsonNull.INSTANCE);
        json.addProperty("maintenance", false);
        json.addProperty("name", app.name);
        JsonObject owner = new JsonObject();
        owner.addProperty("email", SimWorld.USER_EMAIL);
        owner.addProperty("id", SimWorld.USER_ID);
        json.add("owner", owner);
        json.add("organization", JsonNull.INSTANCE);
        json.add("team", JsonNull.INSTANCE);
        json.add("region", world.ref("59accabd-516d-4f0e-83e6-6e3757701145", "us"));
        ReleaseState current = world.currentRelease(app);
        json.addProperty("released_at", world.time(current == null ? app.createdAt : current.createdAt));
        json.add("repo_size", JsonNull.INSTANCE);
        json.addProperty("slug_size", 74_000_000);
        json.add("space", JsonNull.INSTANCE);
        json.add("stack", world.ref(SimWorld.STACK_ID, app.stack));
        json.addProperty("updated_at", world.time(app.createdAt));
        json.addProperty("web_url", "https://" + app.name + ".herokuapp.com/");
        return json;
    }

    JsonObject configJson(AppState app) {
        JsonObject json = new JsonObject();
        app.config.forEach(json::addProperty);
        return json;
    }

    JsonObject pipelineJson(PipelineState pipeline) {
        JsonObject json = new JsonObject();
        json.addProperty("created_at", world.time(pipeline.createdAt));
        json.addProperty("id", pipeline.id);
        json.addProperty("name", pipeline.name);
        json.add("owner", JsonNull.INSTANCE);
        json.addProperty("updated_at", world.time(pipeline.createdAt));
        json.add("generation", world.ref(SimWorld.GENERATION_ID, pipeline.generation));
        return json;
    }

    JsonObject couplingJson(CouplingState coupling) {
        JsonObject json = new JsonObject();
        json.add("app", world.ref(coupling.appId));
        json.addProperty("created_at", world.time(coupling.createdAt));
        json.addProperty("id", coupling.id);
        json.add("pipeline", world.ref(coupling.pipelineId));
        json.addProperty("stage", coupling.stage);
        json.addProperty("updated_at", world.time(coupling.createdAt));
        return json;
    }

}
