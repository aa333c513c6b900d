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

    /**
     * {@code text} as literal Markdown text for one line or table cell: commit subjects, Heroku's messages and app
     * output may hold Markdown or HTML, which must show as written, never as a link, image, heading or new row.
     */
    public static String escapeMarkdown(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '\n', '\r' -> escaped.append(' ');
                case '\\', '`', '*', '_', '[', ']', '(', ')', '|', '#', '!', '~' -> escaped.append('\\').append(c);
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
