package io.github.herokupipeline.pipeline.status;

import io.github.herokupipeline.pipeline.common.ReportFiles;
import io.github.herokupipeline.pipeline.common.Reporter;
import io.github.herokupipeline.pipeline.status.StatusReport.AppStatus;
import io.github.herokupipeline.pipeline.status.StatusReport.BuildSummary;
import io.github.herokupipeline.pipeline.status.StatusReport.PromotionPreview;
import io.github.herokupipeline.source.Commit;
import io.github.herokupipeline.source.LogEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the status three ways: an aligned table in the log, {@code status.json}, and Markdown appended to the
 * GitHub Actions step summary when there is one.
 */
final class StatusWriter {

    static final String FILE_NAME = "status.json";
    private static final List<String> COLUMNS = List.of("STAGE", "APP", "RELEASE", "COMMIT", "VS HEAD", "RELEASED",
            "BY", "SUBJECT");

    private final Reporter reporter;

    StatusWriter(Reporter reporter) {
        this.reporter = reporter;
    }

    void write(StatusReport report, Path workDirectory, Path githubStepSummary) throws IOException {
        lines(report).forEach(reporter::info);
        report.warnings().forEach(reporter::warn);
        ReportFiles.write(report, workDirectory, FILE_NAME, markdown(report), githubStepSummary, reporter);
    }

    static List<String> lines(StatusReport report) {
        List<String> lines = new ArrayList<>();
        lines.add("Pipeline " + report.pipeline() + " (" + report.generation() + "), HEAD "
                + (report.head() == null ? "?" : report.head().shortSha() + " " + report.head().subject()));
        List<List<String>> rows = new ArrayList<>();
        rows.add(COLUMNS);
        for (AppStatus app : report.apps()) {
            rows.add(List.of(app.stage(), app.app() + (app.prepare() ? " (prepare)" : ""),
                    app.releaseVersion() == null ? "-" : "v" + app.releaseVersion() + " " + app.releaseStatus(),
                    app.commit() == null ? "-" : Commit.abbreviate(app.commit()), versusHead(app),
                    dash(app.releasedAt()), dash(app.releasedBy()), dash(app.subject())));
        }
        lines.addAll(aligned(rows));
        for (PromotionPreview preview : report.promotions()) {
            String from = preview.fromApp() == null ? "HEAD" : preview.fromStage() + " (" + preview.fromApp() + ")";
            String title = from + " -> " + preview.toStage() + " (" + preview.toApp() + ")";
            if (preview.note() != null) {
                lines.add(title + ": " + preview.note());
                continue;
            }
            int total = preview.commits().size() + preview.more();
            lines.add(title + " would ship " + total + " commit" + (total == 1 ? "" : "s") + ":");
            for (LogEntry commit : preview.commits()) {
                lines.add("  " + commit.shortSha() + "  " + commit.author() + "  " + commit.subject());
            }
            if (preview.more() > 0) {
                lines.add("  ... and " + preview.more() + " more");
            }
        }
        if (report.prepareApp() != null) {
            lines.add("Newest builds on " + report.prepareApp() + ":" + (report.prepareBuilds().isEmpty() ? " none"
                    : ""));
            for (BuildSummary build : report.prepareBuilds()) {
                boolean isHead = report.head() != null && report.head().sha().equalsIgnoreCase(build.commit());
                lines.add("  " + Commit.abbreviate(build.commit()) + "  " + build.status() + "  "
                        + dash(build.createdAt()) + (isHead ? "  (HEAD)" : ""));
            }
        }
        return lines;
    }

    private static String versusHead(AppStatus app) {
        return switch (app.relationToHead()) {
            case "same" -> "= HEAD";
            case "behind" -> app.commitsFromHead() + " behind";
            case "ahead" -> app.commitsFromHead() + " ahead";
            case "diverged" -> "diverged";
            default -> app.commit() == null ? "-" : "unknown";
        };
    }

    private static List<String> aligned(List<List<String>> rows) {
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i] + 2));
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    static String markdown(StatusReport report) {
        StringBuilder text = new StringBuilder();
        text.append("### Heroku pipeline ").append(md(report.pipeline())).append(" (").append(md(String.valueOf(report.generation())))
                .append(")\n\n");
        if (report.head() != null) {
            text.append("HEAD `").append(report.head().shortSha()).append("` ").append(md(report.head().subject()))
                    .append("\n\n");
        }
        text.append("| stage | app | release | commit | vs HEAD | released | by |\n|---|---|---|---|---|---|---|\n");
        for (AppStatus app : report.apps()) {
            text.append("| ").append(md(app.stage())).append(" | ").append(md(app.app()))
                    .append(app.prepare() ? " (prepare)" : "").append(" | ")
                    .append(app.releaseVersion() == null ? "" : "v" + app.releaseVersion()).append(" | ")
                    .append(app.commit() == null ? "" : "`" + Commit.abbreviate(app.commit()) + "`")
                    .append(" | ").append(md(versusHead(app))).append(" | ").append(md(dash(app.releasedAt())))
                    .append(" | ").append(md(dash(app.releasedBy()))).append(" |\n");
        }
        for (PromotionPreview preview : report.promotions()) {
            text.append("\n**").append(preview.fromApp() == null ? "HEAD" : md(preview.fromApp())).append(" -> ")
                    .append(md(preview.toApp())).append("**: ");
            if (preview.note() != null) {
                text.append(md(preview.note())).append("\n");
                continue;
            }
            text.append(preview.commits().size() + preview.more()).append(" commit(s)\n\n");
            for (LogEntry commit : preview.commits()) {
                text.append("- `").append(commit.shortSha()).append("` ").append(md(commit.subject())).append(" (")
                        .append(md(commit.author())).append(")\n");
            }
            if (preview.more() > 0) {
                text.append("- ... and ").append(preview.more()).append(" more\n");
            }
        }
        for (String warning : report.warnings()) {
            text.append("\n> ").append(md(warning)).append("\n");
        }
        return text.append("\n").toString();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    private static String dash(String value) {
        return value == null || value.isBlank() ? "-" : value;
    }

    private static String md(String text) {
        return ReportFiles.escapeMarkdown(text);
    }
}
