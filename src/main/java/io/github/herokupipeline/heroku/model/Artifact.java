package io.github.herokupipeline.heroku.model;

/** What a release runs, as {@code release.artifacts[]} lists it: a slug (Cedar) or an OCI image (Fir). */
public record Artifact(String type, String id) {

    public static final String SLUG = "slug";
    public static final String OCI_IMAGE = "oci-image";

    public boolean isSlug() {
        return SLUG.equals(type);
    }
}
