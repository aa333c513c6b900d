package io.github.herokupipeline.heroku;

/** A release of an app. {@code status} is pending while the release phase runs. */
public record Release(
        String id,
        int version,
        String status,
        boolean current,
        Ref slug,
        Ref app,
        String description,
        String outputStreamUrl,
        boolean eligibleForRollback,
        String createdAt,
        String updatedAt) {

    public static final String PENDING = "pending";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String EXPIRED = "expired";

    public boolean isPending() {
        return PENDING.equals(status);
    }

    public boolean isSucceeded() {
        return SUCCEEDED.equals(status);
    }

    public String slugId() {
        return slug == null ? null : slug.id();
    }

    /** The body of {@code POST /apps/{app}/releases} that releases a slug. */
    record CreateRequest(String slug, String description) {}

    /** The body of {@code POST /apps/{app}/releases} that rolls back to an earlier release. */
    record RollbackRequest(String release) {}
}
