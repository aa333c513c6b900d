package io.github.herokupipeline.heroku;

/** How many dynos of a process type an app runs. */
public record Formation(String type, int quantity, String size) {}
