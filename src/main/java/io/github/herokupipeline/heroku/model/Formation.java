package io.github.herokupipeline.heroku.model;

/** How many dynos of a process type an app runs. */
public record Formation(String type, int quantity, String size) {}
