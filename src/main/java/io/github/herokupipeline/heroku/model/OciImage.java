package io.github.herokupipeline.heroku.model;

/** An OCI image a Fir build made; {@code commit} is what the build recorded as {@code source_blob.version}. */
public record OciImage(String id, String commit, String commitDescription, String digest, Ref stack,
        String createdAt) {

    public String stackName() {
        return stack == null ? null : stack.name();
    }
}
