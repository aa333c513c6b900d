package io.github.herokupipeline.pipeline.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Where the goals' reports go besides the log: a JSON file in the work directory and the CI step summary. */
public final class ReportFiles {

    private ReportFiles() {}

    /**
     * Writes {@code report} as JSON to {@code workDirectory/fileName}, and appends {@code markdown} to the GitHub
     * Actions step summary when there is one (a failure there is only a warning).
     */
    public static void write(Object report, Path workDirectory, String fileName, String markdown, Path githubStepSummary,
            Reporter reporter) throws IOException {
        Files.createDirectories(workDirectory);
        Files.writeString(workDirectory.resolve(fileName), PrepareRecord.GSON.toJson(report), StandardCharsets.UTF_8);
        if (githubStepSummary != null) {
            try {
                Files.writeString(githubStepSummary, markdown, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                reporter.warn("Could not append to the GitHub step summary " + githubStepSummary + ": "
                        + e.getMessage());
            }
        }
    }
}
