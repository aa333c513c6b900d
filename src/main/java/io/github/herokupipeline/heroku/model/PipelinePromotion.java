package io.github.herokupipeline.heroku.model;

import java.util.List;

/**
 * A promotion. Its {@code status} is only {@code pending} or {@code completed}; whether it worked is told by each
 * {@link PromotionTarget}.
 */
public record PipelinePromotion(String id, Ref pipeline, Source source, String status, String createdAt,
        String updatedAt) {

    public static final String PENDING = "pending";
    public static final String COMPLETED = "completed";

    public String sourceReleaseId() {
        return source == null || source.release() == null ? null : source.release().id();
    }

    /** The promoted app and the exact release taken from it. */
    public record Source(Ref app, Ref release) {}

    /** One target app, by id. */
    public record Target(Ref app) {}

    /** The body of {@code POST /pipeline-promotions}. */
    public record CreateRequest(Ref pipeline, Source source, List<Target> targets) {}
}
