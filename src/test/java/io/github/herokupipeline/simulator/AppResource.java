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
import java.util.UUID;

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

    /** {@code GET /apps/{app}/formation/{type}}. */
    Reply formation(AppState app, String type) {
        if (!app.formation.containsKey(type)) {
            throw new ApiError(404, "not_found", "Couldn't find that formation.");
        }
        return ok(formationJson(app, type));
    }

    /** {@code GET /apps/{app}/formation}: every process type; none before the first release. */
    Reply listFormation(AppState app, Headers headers) {
        List<String> types = List.copyOf(app.formation.keySet());
        return page(types, headers, Map.of("id", type -> type), type -> formationJson(app, type));
    }

    /** {@code PATCH /apps/{app}/formation}: all updates or none. */
    Reply updateFormation(AppState app, String body) {
        JsonArray updates = parseObject(body).getAsJsonArray("updates");
        if (updates == null) {
            throw new ApiError(422, "invalid_params", "updates is required");
        }
        for (JsonElement update : updates) {
            String type = update.getAsJsonObject().get("type").getAsString();
            if (!app.formation.containsKey(type)) {
                throw new ApiError(404, "not_found", "Couldn't find that process type (" + type + ").");
            }
        }
        JsonArray changed = new JsonArray();
        for (JsonElement update : updates) {
            JsonObject object = update.getAsJsonObject();
            String type = object.get("type").getAsString();
            if (object.has("quantity")) {
                app.formation.put(type, object.get("quantity").getAsInt());
            }
            changed.add(formationJson(app, type));
        }
        return ok(changed);
    }

    /** {@code PUT /apps/{app}/buildpack-installations}: replaces the list. */
    Reply updateBuildpacks(AppState app, String body) {
        JsonArray updates = parseObject(body).getAsJsonArray("updates");
        if (updates == null) {
            throw new ApiError(422, "invalid_params", "updates is required");
        }
        if (app.isFir()) {
            throw new ApiError(422, "invalid_params", "Fir apps take their buildpacks from project.toml.");
        }
        List<String> buildpacks = new ArrayList<>();
        for (JsonElement update : updates) {
            String buildpack = update.getAsJsonObject().get("buildpack").getAsString();
            buildpacks.add(buildpack.startsWith("urn:buildpack:") ? buildpack.substring(14) : buildpack);
        }
        app.buildpacks = List.copyOf(buildpacks);
        return buildpackInstallations(app);
    }

    /** {@code POST /apps}: an app of the key's own account. */
    Reply createApp(String body) {
        JsonObject request = parseObject(body);
        AppState app = newApp(SimHttp.string(request, "name"), SimHttp.string(request, "region"),
                SimHttp.string(request, "stack"), null, null);
        return json(201, appJson(app));
    }

    /** {@code POST /teams/apps}: an app of a team, in a space when one is named. */
    Reply createTeamApp(String body) {
        JsonObject request = parseObject(body);
        String team = SimHttp.string(request, "team");
        String spaceName = SimHttp.string(request, "space");
        SimWorld.SpaceState space = spaceName == null ? null : world.space(spaceName);
        if (space != null) {
            if (team != null && !team.equals(space.team())) {
                throw new ApiError(422, "invalid_params", "Space " + space.name() + " belongs to another team.");
            }
            team = space.team();
        }
        if (team == null || !world.teams.contains(team)) {
            throw new ApiError(404, "not_found", "Couldn't find that team.");
        }
        String region = SimHttp.string(request, "region");
        if (space != null && region != null && !region.equals(space.region())) {
            throw new ApiError(422, "invalid_params", "An app in a space runs in the space's region.");
        }
        AppState app = newApp(SimHttp.string(request, "name"), space == null ? region : space.region(),
                SimHttp.string(request, "stack"), team, space);
        return json(201, teamAppJson(app));
    }

    private AppState newApp(String name, String region, String stack, String team, SimWorld.SpaceState space) {
        if (name == null || !name.matches("^[a-z][a-z0-9-]{1,28}[a-z0-9]$")) {
            throw new ApiError(422, "invalid_params", "Name must start with a letter, end with a letter or digit"
                    + " and can only contain lowercase letters, digits, and dashes.");
        }
        if (world.apps.values().stream().anyMatch(a -> a.name.equals(name))) {
            throw new ApiError(422, "invalid_params", "Name " + name + " is already taken");
        }
        boolean fir = space != null && "fir".equals(space.generation());
        if (fir && stack != null && !stack.equals("cnb")) {
            throw new ApiError(422, "invalid_params", "Apps in a Fir space run on the cnb stack.");
        }
        AppState app = new AppState(SimWorld.uuid(), name, world.now());
        app.region = region == null ? "us" : region;
        app.team = team;
        app.space = space == null ? null : space.name();
        app.generation = fir ? "fir" : "cedar";
        app.stack = fir ? "cnb" : stack == null ? "heroku-24" : stack;
        app.buildpacks = List.of();
        world.apps.put(app.id, app);
        return app;
    }

    /** {@code PATCH /apps/{app}}: only {@code build_stack} is supported here. */
    Reply updateApp(AppState app, String body) {
        String stack = SimHttp.string(parseObject(body), "build_stack");
        if (stack != null) {
            if (app.isFir()) {
                throw new ApiError(422, "invalid_params", "The stack of a Fir app cannot be changed.");
            }
            app.stack = stack;
        }
        return ok(appJson(app));
    }

    /** {@code POST /pipeline-couplings}. */
    Reply createCoupling(String body) {
        JsonObject request = parseObject(body);
        AppState app = world.app(SimHttp.string(request, "app"));
        PipelineState pipeline = world.pipeline(SimHttp.string(request, "pipeline"));
        String stage = SimHttp.string(request, "stage");
        if (!List.of("test", "review", "development", "staging", "production").contains(stage)) {
            throw new ApiError(422, "invalid_params", "Stage must be one of test, review, development, staging,"
                    + " production.");
        }
        if (world.couplings.values().stream().anyMatch(c -> c.appId.equals(app.id))) {
            throw new ApiError(422, "invalid_params", "App " + app.name + " is already coupled to a pipeline.");
        }
        if (!pipeline.generation.equals(app.generation)) {
            throw new ApiError(422, "invalid_params", "An app of the " + app.generation + " generation cannot join a"
                    + " pipeline of the " + pipeline.generation + " generation.");
        }
        CouplingState coupling = new CouplingState(SimWorld.uuid(), app.id, pipeline.id, stage, world.now());
        world.couplings.put(coupling.id, coupling);
        return json(201, couplingJson(coupling));
    }

    private JsonObject formationJson(AppState app, String type) {
        JsonObject json = new JsonObject();
        json.add("app", world.ref(app.id, app.name));
        json.addProperty("command", "java -jar target/app.jar");
        json.addProperty("created_at", world.time(app.createdAt));
        json.add("dyno_size", world.ref("55555555-5555-4555-8555-555555555555", "basic"));
        json.addProperty("id", SimWorld.uuid());
        json.addProperty("quantity", app.formation.get(type));
        json.addProperty("size", "basic");
        json.addProperty("type", type);
        json.addProperty("updated_at", world.time(app.createdAt));
        return json;
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
        WebBehaviour behaviour = webBehaviour(app, current);
        Instant routed = current.updatedAt.plusMillis(behaviour.bootMillis());
        ReleaseState before = world.releaseBefore(app, current);
        // preboot: the dynos of the release before keep answering until the new ones have booted and the router
        // has switched over to them
        boolean preboot = app.features.contains("preboot") && before != null
                && webBehaviour(app, before).status() < 500;
        if (preboot && Instant.now().isBefore(routed.plusMillis(app.prebootSwitchMillis))) {
            behaviour = webBehaviour(app, before);
        } else if (!preboot && Instant.now().isBefore(routed)) {
            return new Reply(503, Map.of("Content-Type", "text/html"),
                    "<html><body>Application is starting (H20)</body></html>".getBytes(StandardCharsets.UTF_8));
        }
        return new Reply(behaviour.status(), Map.of("Content-Type", "application/json"),
                behaviour.body().getBytes(StandardCharsets.UTF_8));
    }

    /** How a release's dynos answer once booted: as scripted for its commit, else 200 naming the app and commit. */
    private WebBehaviour webBehaviour(AppState app, ReleaseState release) {
        ArtifactState slug = release.artifactId == null ? null : world.artifacts.get(release.artifactId);
        String commit = slug == null ? null : slug.commit;
        return world.webBehaviours.getOrDefault(commit, new WebBehaviour(200,
                "{\"status\":\"ok\",\"app\":\"" + app.name + "\",\"commit\":\"" + commit + "\"}", 0));
    }

    // ------------------------------------------------------------------ app features

    /** The features this simulator knows, with their descriptions; every app lists them all, on or off. */
    static final Map<String, String> FEATURES = Map.of(
            "preboot", "Provide seamless web dyno deploys",
            "runtime-dyno-metadata", "Expose dyno metadata as environment variables",
            "runtime-dyno-build-metadata", "Expose build metadata as environment variables");

    /** {@code GET /apps/{app}/features}. */
    Reply listFeatures(AppState app, Headers headers) {
        return page(List.copyOf(FEATURES.keySet()), headers, Map.of("id", AppResource::featureId, "name", name -> name),
                name -> featureJson(app, name));
    }

    /** {@code GET /apps/{app}/features/{id_or_name}}. */
    Reply feature(AppState app, String idOrName) {
        return ok(featureJson(app, featureNamed(idOrName)));
    }

    /** {@code PATCH /apps/{app}/features/{id_or_name}} with {@code {"enabled": true|false}}. */
    Reply updateFeature(AppState app, String idOrName, String body) {
        String name = featureNamed(idOrName);
        JsonElement enabled = parseObject(body).get("enabled");
        if (enabled == null || !enabled.isJsonPrimitive() || !enabled.getAsJsonPrimitive().isBoolean()) {
            throw new ApiError(422, "invalid_params", "enabled is required and must be a boolean");
        }
        if (enabled.getAsBoolean()) {
            app.features.add(name);
        } else {
            app.features.remove(name);
        }
        return ok(featureJson(app, name));
    }

    private static String featureNamed(String idOrName) {
        for (String name : FEATURES.keySet()) {
            if (name.equals(idOrName) || featureId(name).equals(idOrName)) {
                return name;
            }
        }
        throw new ApiError(404, "not_found", "Couldn't find that feature.");
    }

    private static String featureId(String name) {
        return UUID.nameUUIDFromBytes(("feature " + name).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private JsonObject featureJson(AppState app, String name) {
        JsonObject json = new JsonObject();
        json.addProperty("created_at", world.time(app.createdAt));
        json.addProperty("description", FEATURES.get(name));
        json.addProperty("display_name", name);
        json.addProperty("doc_url", "https://devcenter.heroku.com/articles/" + name);
        json.addProperty("enabled", app.features.contains(name));
        json.addProperty("feedback_email", "feedback@heroku.com");
        json.addProperty("id", featureId(name));
        json.addProperty("name", name);
        json.addProperty("state", "general");
        json.addProperty("updated_at", world.time(app.createdAt));
        return json;
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
        JsonElement team = app.team == null ? JsonNull.INSTANCE
                : world.ref(UUID.nameUUIDFromBytes(app.team.getBytes(StandardCharsets.UTF_8)).toString(), app.team);
        json.add("organization", team);
        json.add("team", team);
        json.add("region", world.ref(UUID.nameUUIDFromBytes(app.region.getBytes(StandardCharsets.UTF_8))
                .toString(), app.region));
        ReleaseState current = world.currentRelease(app);
        json.addProperty("released_at", world.time(current == null ? app.createdAt : current.createdAt));
        json.add("repo_size", JsonNull.INSTANCE);
        json.addProperty("slug_size", 74_000_000);
        if (app.space == null) {
            json.add("space", JsonNull.INSTANCE);
        } else {
            JsonObject space = world.ref(world.space(app.space).id(), app.space);
            space.addProperty("shield", false);
            json.add("space", space);
        }
        json.add("stack", world.ref(SimWorld.STACK_ID, app.stack));
        json.addProperty("updated_at", world.time(app.createdAt));
        json.addProperty("web_url", "https://" + app.name + ".herokuapp.com/");
        return json;
    }

    /** A {@code team-app}: an app's fields without those only {@code app} has, with {@code joined} and {@code locked}. */
    JsonObject teamAppJson(AppState app) {
        JsonObject json = appJson(app);
        json.remove("acm");
        json.remove("generation");
        json.remove("organization");
        json.addProperty("joined", false);
        json.addProperty("locked", false);
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
