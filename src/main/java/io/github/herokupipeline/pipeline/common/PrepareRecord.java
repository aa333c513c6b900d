package io.github.herokupipeline.pipeline.common;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code prepare} left for {@code promote} in {@code target/heroku-pipeline/prepare-<app>.json} (one file per
 * prepare app, so several apps of one reactor keep their own): which build on which app is building which commit.
 * Promote also works without it, by looking the build up on Heroku. {@code checksum} is the
 * {@code source_blob.checksum} of this commit's archive, which a build must have been made from to be shipped.
 */
public record PrepareRecord(String app, String appId, String buildId, String commit, String startedAt,
        String finishedAt, boolean reused, long archiveBytes, int archiveFiles, String checksum) {

    /** {@code prepare-<app>.json}. */
    public static String fileName(String app) {
        return "prepare-" + app + ".json";
    }

    static final Gson GSON = new GsonBuilder().setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
            .setPrettyPrinting().disableHtmlEscaping().create();

    public void write(Path workDir) throws IOException {
        Files.createDirectories(workDir);
        Files.writeString(workDir.resolve(fileName(app)), GSON.toJson(this), StandardCharsets.UTF_8);
    }

    /** The record, if there is a readable one; a damaged file is ignored (promote can find the build anyway). */
    public static Optional<PrepareRecord> read(Path workDir, String app) {
        Path file = workDir.resolve(fileName(app));
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8),
                    PrepareRecord.class));
        } catch (IOException | JsonParseException e) {
            return Optional.empty();
        }
    }
}
