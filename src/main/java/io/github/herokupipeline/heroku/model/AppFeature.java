package io.github.herokupipeline.heroku.model;

/** A Heroku Labs or platform feature of an app, such as {@code preboot}, and whether the app has it on. */
public record AppFeature(String name, boolean enabled) {}
