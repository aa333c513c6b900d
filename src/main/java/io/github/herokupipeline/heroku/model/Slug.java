package io.github.herokupipeline.heroku.model;

import java.util.Map;

/** A compiled slug; {@code commit} is what the build recorded as {@code source_blob.version}. */
public record Slug(
        String id, String commit, String commitDescription, Ref stack, Long size, String checksum,
        Map<String, String> processTypes) {

    public String stackName() {
        return stack == null ? null : stack.name();
    }
}
