package io.github.herokupipeline.heroku.model;

import java.util.List;

/** A build on an app: {@code pending}, then {@code succeeded} (with slug and release) or {@code failed}. */
public record Build(
        String id,
        String status,
        Ref app,
        SourceBlob sourceBlob,
        Ref release,
        Ref slug,
        String outputStreamUrl,
        String stack,
        String createdAt,
        String updatedAt,
        List<Buildpack> buildpacks) {

    public static final String PENDING = "pending";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    public boolean isPending() {
        return PENDING.equals(status);
    }

    public boolean isSucceeded() {
        return SUCCEEDED.equals(status);
    }

    /** The {@code source_blob.version}: the commit SHA when the plugin started the build. */
    public String version() {
        return sourceBlob == null ? null : sourceBlob.version();
    }

    /** A buildpack as given on build creation: a URL or a registry name. */
    public record Buildpack(String url, String name) {}

    /** The body of {@code POST /apps/{app}/builds}. */
    public record CreateRequest(SourceBlob sourceBlob, List<Buildpack> buildpacks) {}
}
