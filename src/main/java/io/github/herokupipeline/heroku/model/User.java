package io.github.herokupipeline.heroku.model;

/** The account that made a release or build, as Heroku embeds it. */
public record User(String id, String email) {}
