package io.github.herokupipeline.source;

import java.nio.file.Path;

/**
 * A written source archive: where it is, how big, how many files, its SHA-256 for Heroku's checksum, and how many
 * of its files are Git LFS pointers (shipped as pointers, as {@code git push} ships them).
 */
public record ArchiveSummary(Path file, long bytes, int files, String sha256, int lfsPointers) {

    public ArchiveSummary(Path file, long bytes, int files, String sha256) {
        this(file, bytes, files, sha256, 0);
    }

    /** The {@code source_blob.checksum} Heroku verifies: {@code SHA256:<hex>}. */
    public String checksum() {
        return "SHA256:" + sha256;
    }
}
