package io.github.herokupipeline.simulator;

import static io.github.herokupipeline.simulator.SimHttp.ApiError;
import static io.github.herokupipeline.simulator.SimHttp.Reply;
import static io.github.herokupipeline.simulator.SimHttp.json;
import static io.github.herokupipeline.simulator.SimHttp.object;
import static io.github.herokupipeline.simulator.SimHttp.page;
import static io.github.herokupipeline.simulator.SimHttp.parseObject;
import static io.github.herokupipeline.simulator.SimHttp.string;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.Headers;
import io.github.herokupipeline.simulator.SimWorld.AppState;
import io.github.herokupipeline.simulator.SimWorld.ArtifactState;
import io.github.herokupipeline.simulator.SimWorld.PipelineState;
import io.github.herokupipeline.simulator.SimWorld.PromotionState;
import io.github.herokupipeline.simulator.SimWorld.ReleaseState;
import io.github.herokupipeline.simulator.SimWorld.TargetState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Pipeline promotions: copied to each target asynchronously, judged per target. */
final class PromotionResource {

    private final SimWorld world;
    private final ReleaseResource releases;

    PromotionResource(SimWorld world, ReleaseResource releases) {
        this.world = world;
        this.releases = releases;
    }

    Reply createPromotion(String body) {
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
        PipelineState pipeline = world.pipelines.get(pipelineId);
        if (pipeline == null) {
            throw new ApiError(404, "not_found", "Couldn't find that pipeline.");
        }
        AppState sourceApp = world.apps.get(sourceAppId);
        if (sourceApp == null) {
            throw new ApiError(404, "not_found", "Couldn't find that app.");
        }
        requireCoupled(sourceApp, pipeline);
        List<AppState> targets = new ArrayList<>();
        for (JsonElement target : targetsJson.getAsJsonArray()) {
            String id = string(object(target.getAsJsonObject(), "app"), "id");
            AppState targetApp = id == null ? null : world.apps.get(id);
            if (targetApp == null) {
                throw new ApiError(422, "invalid_params", "Couldn't find target app " + id + ".");
            }
            if (targetApp == sourceApp) {
                throw new ApiError(422, "invalid_params", "Cannot promote from an app to itself.");
            }
            requireCoupled(targetApp, pipeline);
            if (!targetApp.generation.equals(sourceApp.generation)) {
                throw new ApiError(422, "invalid_params", "Cannot promote from a " + sourceApp.generation
                        + " app to a " + targetApp.generation + " app.");
            }
            targets.add(targetApp);
        }
        ReleaseState sourceRelease;
        if (sourceReleaseId != null) {
            sourceRelease = world.releases.get(sourceReleaseId);
            if (sourceRelease == null || !sourceRelease.appId.equals(sourceApp.id)) {
                throw new ApiError(422, "invalid_params", "Couldn't find release " + sourceReleaseId
                        + " on the source app.");
            }
            if (sourceRelease.status.equals("expired")) {
                throw new ApiError(422, "invalid_params", "Release v" + sourceRelease.version
                        + " of the source app has expired and cannot be promoted.");
            }
            if (sourceRelease.artifactId == null || !sourceRelease.status.equals("succeeded")) {
                throw new ApiError(422, "invalid_params", "Release v" + sourceRelease.version
                        + " of the source app has not succeeded.");
            }
        } else {
            sourceRelease = world.currentRelease(sourceApp);
            if (sourceRelease == null) {
                throw new ApiError(422, "invalid_params", "The source app has no release to promote.");
            }
        }
        PromotionState promotion = new PromotionState(world.uuid(), pipeline.id, sourceApp.id, sourceRelease.id, world.now());
        for (AppState target : targets) {
            promotion.targets.add(new TargetState(world.uuid(), target.id));
        }
        world.promotions.put(promotion.id, promotion);
        ReleaseState promoted = sourceRelease;
        for (int i = 0; i < promotion.targets.size(); i++) {
            TargetState target = promotion.targets.get(i);
            long held = world.faults.takePromotionHold(world.apps.get(target.appId).name);
            world.schedule(world.timing.promotionMillis * (i + 1) + held,
                    () -> promoteTarget(promotion, target, sourceApp, promoted));
        }
        return json(201, promotionJson(promotion));
    }

    void requireCoupled(AppState app, PipelineState pipeline) {
        boolean coupled = world.couplings.values().stream()
                .anyMatch(c -> c.appId.equals(app.id) && c.pipelineId.equals(pipeline.id));
        if (!coupled) {
            throw new ApiError(422, "invalid_params", "App " + app.name + " is not part of pipeline "
                    + pipeline.name + ".");
        }
    }

    private void promoteTarget(PromotionState promotion, TargetState target, AppState sourceApp,
            ReleaseState sourceRelease) {
        synchronized (world.lock) {
            promoteTargetLocked(promotion, target, sourceApp, sourceRelease);
        }
    }

    private void promoteTargetLocked(PromotionState promotion, TargetState target, AppState sourceApp,
            ReleaseState sourceRelease) {
        AppState targetApp = world.apps.get(target.appId);
        String failure = world.faults.promotionFailure(targetApp.name);
        if (failure != null) {
            target.status = "failed";
            target.errorMessage = failure;
        } else {
            ArtifactState artifact = world.artifacts.get(sourceRelease.artifactId);
            ReleaseState release = releases.newRelease(targetApp, sourceRelease.artifactId, "Promote "
                    + sourceApp.name + " v" + sourceRelease.version + (artifact.commit == null ? ""
                    : " " + artifact.commit.substring(0, Math.min(7, artifact.commit.length()))), true);
            target.releaseId = release.id;
            target.status = "succeeded";
        }
        if (promotion.targets.stream().noneMatch(t -> t.status.equals("pending"))) {
            promotion.status = "completed";
            promotion.updatedAt = world.now();
        }
    }

    Reply listTargets(PromotionState promotion, Headers headers) {
        return page(promotion.targets, headers, Map.of("id", t -> t.id), t -> targetJson(promotion, t));
    }

    JsonObject promotionJson(PromotionState promotion) {
        JsonObject json = new JsonObject();
        json.addProperty("created_at", world.time(promotion.createdAt));
        json.addProperty("id", promotion.id);
        json.add("pipeline", world.ref(promotion.pipelineId));
        JsonObject source = new JsonObject();
        source.add("app", world.ref(promotion.sourceAppId));
        source.add("release", world.ref(promotion.sourceReleaseId));
        json.add("source", source);
        json.addProperty("status", promotion.status);
        json.addProperty("updated_at", promotion.updatedAt == null ? null : world.time(promotion.updatedAt));
        return json;
    }

    JsonObject targetJson(PromotionState promotion, TargetState target) {
        JsonObject json = new JsonObject();
        json.add("app", world.ref(target.appId));
        json.addProperty("error_message", target.errorMessage);
        json.addProperty("id", target.id);
        json.add("pipeline_promotion", world.ref(promotion.id));
        json.add("release", target.releaseId == null ? JsonNull.INSTANCE : world.ref(target.releaseId));
        json.addProperty("status", target.status);
        return json;
    }
}
