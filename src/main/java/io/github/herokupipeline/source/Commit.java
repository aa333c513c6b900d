package io.github.herokupipeline.source;

/** A commit: its full SHA, which Heroku records as {@code source_blob.version}, and its subject line. */
public record Commit(String sha, String subject, long commitTimeSeconds) {

    /** The first 8 characters, as Heroku shows them in release descriptions. */
    public String shortSha() {
        return sha.substring(0, Math.min(8, sha.length()));
    }
}
