package io.github.herokupipeline.heroku.model;

import java.util.List;

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

    /** One buildpack of {@code PUT /apps/{app}/buildpack-installations}: a name, a URL or a URN. */
    public record Update(String buildpack) {}

    /** The body of {@code PUT /apps/{app}/buildpack-installations}: the whole list, in order. */
    public record Updates(List<Update> updates) {}
}
