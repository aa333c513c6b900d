package io.github.herokupipeline.source;

/** A commit: its full SHA, which Heroku records as {@code source_blob.version}, and its subject line. */
public record Commit(String sha, String subject, long commitTimeSeconds) {

    /** The first 8 characters, as Heroku shows them in release descriptions. */
    public String shortSha() {
        return abbreviate(sha);
    }

    /** The first 8 characters of {@code sha}, or "(no version)" when there is none. */
    public static String abbreviate(String sha) {
        return sha == null ? "(no version)" : sha.substring(0, Math.min(8, sha.length()));
    }
}
