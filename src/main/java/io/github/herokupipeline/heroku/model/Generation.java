package io.github.herokupipeline.heroku.model;

import java.util.Locale;

/**
 * Heroku's two app generations. They build and promote through the same endpoints but run different artifacts: a
 * Cedar release runs a slug, a Fir release runs an OCI image.
 */
public enum Generation {
    CEDAR("slug"),
    FIR("image");

    private final String artifactNoun;

    Generation(String artifactNoun) {
        this.artifactNoun = artifactNoun;
    }

    /** What a release of this generation runs, for messages: "slug" or "image". */
    public String artifactNoun() {
        return artifactNoun;
    }

    /** The name Heroku uses ({@code cedar}, {@code fir}). */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Heroku's {@code generation.name}; absent means Cedar (apps created before Fir existed). */
    public static Generation of(String name) {
        return "fir".equalsIgnoreCase(name) ? FIR : CEDAR;
    }

    public static Generation of(Ref generation) {
        return of(generation == null ? null : generation.name());
    }
}
