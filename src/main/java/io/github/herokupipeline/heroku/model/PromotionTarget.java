package io.github.herokupipeline.heroku.model;

/** The outcome of a promotion for one target app: pending, then succeeded or failed with a message. */
public record PromotionTarget(String id, Ref app, String status, String errorMessage, Ref release,
        Ref pipelinePromotion) {

    public static final String PENDING = "pending";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    public boolean isPending() {
        return PENDING.equals(status);
    }

    public boolean isSucceeded() {
        return SUCCEEDED.equals(status);
    }

    public String appId() {
        return app == null ? null : app.id();
    }

    public String releaseId() {
        return release == null ? null : release.id();
    }
}
