package io.github.herokupipeline.heroku.model;

import java.util.List;

/** How many dynos of a process type an app runs. */
public record Formation(String type, int quantity, String size) {

    /** One process type's new quantity, for {@code PATCH /apps/{app}/formation}. */
    public record Update(String type, int quantity) {}

    /** The body of {@code PATCH /apps/{app}/formation}. */
    public record BatchUpdate(List<Update> updates) {}
}
