package io.github.herokupipeline.source;

import java.nio.file.Path;

/** A written source archive: where it is, how big, how many files, and its SHA-256 for Heroku's checksum. */
public record ArchiveSummary(Path file, long bytes, int files, String sha256) {

    /** The {@code source_blob.checksum} Heroku verifies: {@code SHA256:<hex>}. */
    public String checksum() {
        return "SHA256:" + sha256;
    }
}
