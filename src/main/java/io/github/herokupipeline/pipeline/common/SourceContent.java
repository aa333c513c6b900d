package io.github.herokupipeline.pipeline.common;

import io.github.herokupipeline.heroku.model.Build;
import io.github.herokupipeline.source.Commit;
import io.github.herokupipeline.source.SourceArchive;
import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import java.util.Optional;

/**
 * Which content a build was made from. A build's {@code source_blob.version} is only a label: anyone who can build
 * on the prepare app can put a SHA there. What counts is {@code source_blob.checksum}, the SHA-256 of the uploaded
 * archive: the plugin's archive of a commit is reproducible, so a build of this commit made by the plugin has
 * exactly this commit's checksum, and nothing else has.
 */
public final class SourceContent {

    private SourceContent() {}

    /**
     * True when {@code build} was made from the archive whose checksum is {@code expected}; otherwise says why it is
     * passed over, in one line.
     */
    public static boolean matches(Build build, String expected, String app, Reporter reporter) {
        String actual = build.sourceBlob() == null ? null : build.sourceBlob().checksum();
        if (expected != null && expected.equalsIgnoreCase(actual)) {
            return true;
        }
        reporter.info("Build " + Watcher.shortId(build.id()) + " on " + app + " is labelled "
                + Commit.abbreviate(build.version()) + " but was not made from this commit's archive (its source "
                + (actual == null ? "has no checksum" : "checksum is " + actual) + "): not used");
        return false;
    }

    /**
     * The checksum of this commit's archive: from {@code prepare-<app>.json} when this workspace's prepare wrote it
     * for the same commit, else by reading the archive again (it is reproducible), without writing it.
     */
    public static String expected(SourceSettings source, String prepareApp, Commit commit, SourcePackager packager)
            throws IOException, SourceException {
        Optional<PrepareRecord> record = PrepareRecord.read(source.workDirectory(), prepareApp);
        if (record.isPresent() && commit.sha().equalsIgnoreCase(record.get().commit())
                && record.get().checksum() != null) {
            return record.get().checksum();
        }
        try (SourceArchive archive = packager.writeArchive(commit)) {
            return archive.checksum();
        }
    }
}
