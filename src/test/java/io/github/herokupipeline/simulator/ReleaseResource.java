package io.github.herokupipeline.simulator;

import static io.github.herokupipeline.simulator.SimHttp.ApiError;
import static io.github.herokupipeline.simulator.SimHttp.Reply;
import static io.github.herokupipeline.simulator.SimHttp.json;
import static io.github.herokupipeline.simulator.SimHttp.ok;
import static io.github.herokupipeline.simulator.SimHttp.page;
import static io.github.herokupipeline.simulator.SimHttp.parseObject;
import static io.github.herokupipeline.simulator.SimHttp.string;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.Headers;
import io.github.herokupipeline.simulator.SimWorld.AppState;
import io.github.herokupipeline.simulator.SimWorld.ArtifactState;
import io.github.herokupipeline.simulator.SimWorld.ReleaseState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Slugs (Cedar), OCI images (Fir) and releases, with their release phases and rollbacks. Each generation's artifact
 * endpoint serves only its own apps, as Heroku's do.
 */
final class ReleaseResource {

    private final SimWorld world;

    ReleaseResource(SimWorld world) {
        this.world = world;
    }

    /** The artifact a build of {@code app} leaves: a slug on Cedar, an OCI image on Fir. */
    ArtifactState newArtifact(AppState app, String commit, String checksum) {
        ArtifactState artifact = new ArtifactState(world.uuid(), app.id,
                app.isFir() ? ArtifactState.OCI_IMAGE : ArtifactState.SLUG, commit, app.stack, world.now());
        artifact.checksum = checksum;
        world.artifacts.put(artifact.id, artifact);
        return artifact;
    }

    ReleaseState newRelease(AppState app, String artifactId, String description, boolean withReleasePhase) {
        int version = (int) world.releases.values().stream().filter(r -> r.appId.equals(app.id)).count() + 1;
        ReleaseState release = new ReleaseState(world.uuid(), app.id, version, artifactId, description,
                world.created());
        world.releases.put(release.id, release);
        if (artifactId != null && app.formation.isEmpty()) {
            app.formation.put("web", 1); // a first deploy scales web to one dyno, as on Heroku
        }
        if (withReleasePhase && app.releasePhaseMillis >= 0) {
            SimLog log = new SimLog();
            world.logs.put(release.id, log);
            release.status = "pending";
            boolean fails = app.releasePhaseFails;
            long duration = app.releasePhaseMillis;
            log.line("Running release command...");
            world.schedule(duration / 2, () -> log.line("Migrating database: 3 changes applied"));
            world.schedule(duration, () -> {
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

    private void finishRelease(ReleaseState release, boolean succeeds) {
        synchronized (world.lock) {
            release.status = succeeds ? "succeeded" : "failed";
            release.updatedAt = world.now();
        }
    }

    Reply listReleases(AppState app, Headers headers) {
        List<ReleaseState> appReleases = world.releases.values().stream().filter(r -> r.appId.equals(app.id))
                .toList();
        Map<String, Function<ReleaseState, Comparable<?>>> keys = new LinkedHashMap<>();
        keys.put("id", r -> r.id);
        keys.put("version", r -> r.version);
        return page(appReleases, headers, keys, this::releaseJson);
    }

    Reply createRelease(AppState app, String body) {
        JsonObject request = parseObject(body);
        String slugId = string(request, "slug");
        String rollbackTo = string(request, "release");
        if (rollbackTo != null) {
            ReleaseState target = world.releaseOf(app, rollbackTo);
            if (target.artifactId == null || !target.status.equals("succeeded")) {
                throw new ApiError(422, "invalid_params", "Release v" + target.version
                        + " cannot be rolled back to.");
            }
            return json(201, releaseJson(newRelease(app, target.artifactId, "Rollback to v" + target.version,
                    true)));
        }
        if (slugId == null) {
            throw new ApiError(422, "invalid_params", "Either slug or release is required.");
        }
        ArtifactState slug = world.artifactOf(slugId);
        if (!slug.isSlug() || app.isFir()) {
            throw new ApiError(422, "invalid_params", "Releasing a slug is not supported on Fir-generation apps.");
        }
        String description = string(request, "description");
        return json(201, releaseJson(newRelease(app, slug.id, description == null ? "Deploy "
                + (slug.commit == null ? slug.id : slug.commit.substring(0, Math.min(8, slug.commit.length())))
                : description, true)));
    }

    /** {@code GET /apps/{app}/slugs/{id}}: Cedar apps only. */
    Reply slug(AppState app, String id) {
        if (app.isFir()) {
            throw new ApiError(422, "invalid_params", "Slugs are not available for Fir-generation apps;"
                    + " this app's releases run OCI images.");
        }
        ArtifactState slug = world.artifactOf(id);
        if (!slug.isSlug()) {
            throw new ApiError(404, "not_found", "Couldn't find that slug.");
        }
        return ok(slugJson(slug));
    }

    /** {@code GET /apps/{app}/oci-images/{id}}: Fir apps only; answers an array, as Heroku does. */
    Reply ociImages(AppState app, String id) {
        if (!app.isFir()) {
            throw new ApiError(422, "invalid_params", "OCI images are only available for Fir-generation apps.");
        }
        ArtifactState image = world.artifactOf(id);
        if (image.isSlug()) {
            throw new ApiError(404, "not_found", "Couldn't find that OCI image.");
        }
        JsonArray images = new JsonArray();
        images.add(ociImageJson(image));
        return ok(images);
    }

    JsonObject slugJson(ArtifactState slug) {
        JsonObject json = new JsonObject();
        JsonObject blob = new JsonObject();
        blob.addProperty("method", "GET");
        blob.addProperty("url", world.apiUrl() + "/blobs/slug-" + slug.id);
        json.add("blob", blob);
        json.addProperty("buildpack_provided_description", "Java");
        json.addProperty("checksum", slug.checksum);
        json.addProperty("commit", slug.commit);
        json.addProperty("commit_description", slug.commitDescription);
        json.addProperty("created_at", world.time(slug.createdAt));
        json.add("deleted_at", JsonNull.INSTANCE);
        json.addProperty("id", slug.id);
        JsonObject processTypes = new JsonObject();
        processTypes.addProperty("web", "java $JAVA_OPTS -jar target/app.jar");
        json.add("process_types", processTypes);
        json.addProperty("size", 74_000_000);
        json.add("stack", world.ref(SimWorld.STACK_ID, slug.stack));
        json.addProperty("updated_at", world.time(slug.createdAt));
        return json;
    }

    JsonObject ociImageJson(ArtifactState image) {
        JsonObject json = new JsonObject();
        json.addProperty("architecture", "amd64");
        json.addProperty("base_image_name", "heroku/heroku:24-cnb");
        json.addProperty("base_top_layer", "sha256:" + SimWorld.sha256(("base " + image.stack).getBytes()));
        JsonArray buildpacks = new JsonArray();
        JsonObject buildpack = new JsonObject();
        buildpack.addProperty("id", "heroku/java");
        buildpack.addProperty("version", "6.0.0");
        buildpack.addProperty("homepage", "https://github.com/heroku/buildpacks-jvm");
        buildpacks.add(buildpack);
        json.add("buildpacks", buildpacks);
        json.addProperty("commit", image.commit);
        json.addProperty("commit_description", image.commitDescription == null ? "" : image.commitDescription);
        json.addProperty("created_at", world.time(image.createdAt));
        json.add("deleted_at", JsonNull.INSTANCE);
        json.addProperty("digest", "sha256:" + SimWorld.sha256(image.id.getBytes()));
        json.addProperty("id", image.id);
        json.addProperty("image_repo", image.appId + "/builds");
        JsonObject processTypes = new JsonObject();
        JsonObject web = new JsonObject();
        web.addProperty("name", "web");
        web.addProperty("display_cmd", "java -jar target/app.jar");
        web.addProperty("command", "/cnb/process/web");
        web.addProperty("working_dir", "/workspace");
        web.addProperty("default", true);
        processTypes.add("web", web);
        json.add("process_types", processTypes);
        json.add("stack", world.ref(SimWorld.STACK_ID, image.stack));
        json.addProperty("updated_at", world.time(image.createdAt));
        return json;
    }

    JsonObject releaseJson(ReleaseState release) {
        AppState app = world.apps.get(release.appId);
        ReleaseState current = world.currentRelease(app);
        ArtifactState runs = release.artifactId == null ? null : world.artifacts.get(release.artifactId);
        JsonObject json = new JsonObject();
        json.add("addon_plan_names", new JsonArray());
        JsonArray artifacts = new JsonArray();
        if (runs != null) {
            JsonObject artifact = new JsonObject();
            artifact.addProperty("type", runs.kind);
            artifact.addProperty("id", runs.id);
            artifacts.add(artifact);
        }
        json.add("artifacts", artifacts);
        json.add("app", world.ref(app.id, app.name));
        json.addProperty("created_at", world.time(release.createdAt));
        json.addProperty("current", release == current);
        json.addProperty("description", release.description);
        json.addProperty("eligible_for_rollback", release.status.equals("succeeded") && runs != null);
        json.addProperty("id", release.id);
        json.addProperty("output_stream_url", world.logs.containsKey(release.id)
                ? world.apiUrl() + "/streams/" + release.id : null);
        json.add("slug", runs == null || !runs.isSlug() ? JsonNull.INSTANCE : world.ref(runs.id));
        json.addProperty("status", release.status);
        json.addProperty("updated_at", world.time(release.updatedAt));
        json.add("user", world.user());
        json.addProperty("version", release.version);
        return json;
    }
}
