package io.github.herokupipeline.heroku.model;

/** One of an app's buildpacks, in the order they run ({@code ordinal}). */
public record BuildpackInstallation(int ordinal, Buildpack buildpack) {

    /** A buildpack as installed: its URL and, for registry buildpacks, its name. */
    public record Buildpack(String url, String name) {}

    /** The name when there is one (e.g. {@code heroku/jvm}), else the URL. */
    public String label() {
        if (buildpack == null) {
            return "?";
        }
        return buildpack.name() != null && !buildpack.name().isBlank() ? buildpack.name() : buildpack.url();
    }
}
