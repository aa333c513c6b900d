package io.github.herokupipeline.heroku.model;

/** A build's {@code source_blob}: where Heroku downloads the tarball, and what it is. */
public record SourceBlob(String url, String version, String checksum, String versionDescription) {}
