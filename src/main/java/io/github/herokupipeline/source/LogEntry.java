package io.github.herokupipeline.source;

/** One commit as a log shows it: full SHA, author name and subject line. */
public record LogEntry(String sha, String author, String subject) {

    public String shortSha() {
        return sha.substring(0, Math.min(8, sha.length()));
    }
}
