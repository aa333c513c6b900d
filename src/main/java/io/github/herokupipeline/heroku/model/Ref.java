package io.github.herokupipeline.heroku.model;

/** A reference to another resource as Heroku embeds it: {@code {"id": ...}}, sometimes with a name. */
public record Ref(String id, String name) {

    public static Ref id(String id) {
        return new Ref(id, null);
    }
}
