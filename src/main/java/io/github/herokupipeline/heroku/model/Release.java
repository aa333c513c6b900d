package io.github.herokupipeline.heroku.model;

import java.util.List;

/** A release of an app. {@code status} is pending while the release phase runs. */
public record Release(
        String id,
        int version,
        String status,
        boolean current,
        Ref slug,
        List<Artifact> artifacts,
        Ref app,
        String description,
        String outputStreamUrl,
        boolean eligibleForRollback,
        User user,
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

    /** Who made the release, or null. */
    public String userEmail() {
        return user == null ? null : user.email();
    }

    public String slugId() {
        return slug == null ? null : slug.id();
    }

    /**
     * What this release runs: its slug on Cedar; on Fir, where {@code slug} is null, the first artifact that is not
     * a slug (the schema documents only the type {@code slug}, so any other type is taken for an image). Null for a
     * release that runs nothing yet (a config change on an empty app).
     */
    public Artifact artifact() {
        if (slug != null) {
            return new Artifact(Artifact.SLUG, slug.id());
        }
        if (artifacts == null) {
            return null;
        }
        return artifacts.stream().filter(a -> a != null && a.id() != null).findFirst().orElse(null);
    }

    /** The body of {@code POST /apps/{app}/releases} that releases a slug. */
    public record CreateRequest(String slug, String description) {}

    /** The body of {@code POST /apps/{app}/releases} that rolls back to an earlier release. */
    public record RollbackRequest(String release) {}
}
