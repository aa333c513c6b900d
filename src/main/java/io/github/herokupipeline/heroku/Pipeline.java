package io.github.herokupipeline.heroku;

/** A pipeline; promotions move releases between the apps coupled to it. */
public record Pipeline(String id, String name, Ref generation) {}
