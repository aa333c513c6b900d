package io.github.herokupipeline.pipeline.promote;

import io.github.herokupipeline.pipeline.common.ReportFiles;
import io.github.herokupipeline.pipeline.common.Reporter;
import io.github.herokupipeline.pipeline.promote.PromoteReport.TargetResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the promote report three ways: a summary block in the log, {@code promote.json} beside
 * {@code prepare.json}, and Markdown appended to the GitHub Actions step summary when there is one.
 */
final class ReportWriter {

    /** {@code promote-<prepare app>.json}: one file per deployment unit of a reactor. */
    static String fileName(String prepareApp) {
        return "promote-" + prepareApp + ".json";
    }

    private final Reporter reporter;

    ReportWriter(Reporter reporter) {
        this.reporter = reporter;
    }

    void write(PromoteReport report, String prepareApp, Path workDirectory, Path githubStepSummary)
            throws IOException {
        for (String line : summaryLines(report)) {
            reporter.info(line);
        }
        ReportFiles.write(report, workDirectory, fileName(prepareApp), markdown(report), githubStepSummary,
                reporter);
    }

    static List<String> summaryLines(PromoteReport report) {
        List<String> lines = new ArrayList<>();
        lines.add("------------------------------------------------------------------------");
        lines.add("Heroku pipeline " + unit(report) + ": " + (report.success() ? "SUCCESS" : "FAILURE"));
        lines.add("  commit           " + nullToDash(report.commit()));
        if (report.generation() != null) {
            lines.add("  generation       " + generation(report.generation()));
        }
        lines.add("  decision         " + nullToDash(report.decision())
                + (report.reason() == null ? "" : " (" + report.reason() + ")"));
        if (report.prepareBuildId() != null) {
            lines.add("  prepare build    " + report.prepareBuildId() + " on " + report.prepareApp()
                    + (report.promotedReleaseVersion() == null ? "" : ", release v" + report.promotedReleaseVersion()));
        }
        if (report.prepareBuildSeconds() != null) {
            lines.add(String.format("  prepare build    %.1fs, of which %.1fs ran during the Maven build",
                    report.prepareBuildSeconds(), report.prepareBuildSecondsDuringMaven()));
        }
        lines.add(String.format("  waited here      %.1fs for the prepare build", report.waitedForPrepareSeconds()));
        for (TargetResult target : report.targets()) {
            lines.add("  " + pad(target.app()) + target.outcome()
                    + (target.releaseVersion() == null ? "" : ", release v" + target.releaseVersion() + " "
                            + target.releaseStatus())
                    + (target.seconds() == null ? "" : String.format(", %.1fs", target.seconds()))
                    + (target.releaseSeconds() == null ? "" : String.format(" (release %.1fs)",
                            target.releaseSeconds()))
                    + (target.error() == null ? "" : " - " + firstLine(target.error())));
            if (target.smoke() != null && target.error() == null) {
                lines.add("  " + pad("") + target.smoke());
            }
            if (target.note() != null) {
                lines.add("  " + pad("") + target.note());
            }
        }
        lines.add(String.format("  total            %.1fs", report.totalSeconds()));
        lines.add("------------------------------------------------------------------------");
        return lines;
    }

    static String markdown(PromoteReport report) {
        StringBuilder text = new StringBuilder();
        text.append("### Heroku pipeline ").append(md(unit(report))).append(": ")
                .append(report.success() ? "success" : "failure").append("\n\n");
        text.append("Commit `").append(nullToDash(report.commit()).replace("`", "")).append("`")
                .append(report.generation() == null ? "" : " (" + md(generation(report.generation())) + ")")
                .append(": **").append(md(nullToDash(report.decision()))).append("**")
                .append(report.reason() == null ? "" : " (" + md(report.reason()) + ")").append("\n\n");
        text.append("| app | outcome | release | time |\n|---|---|---|---|\n");
        for (TargetResult target : report.targets()) {
            text.append("| ").append(md(target.app())).append(" | ").append(md(target.outcome()))
                    .append(target.error() == null ? "" : ": " + md(firstLine(target.error())))
                    .append(target.note() == null ? "" : " (" + md(target.note()) + ")").append(" | ")
                    .append(target.releaseVersion() == null ? "" : "v" + target.releaseVersion()).append(" | ")
                    .append(target.seconds() == null ? "" : String.format("%.1fs", target.seconds())).append(" |\n");
        }
        text.append(String.format("%nTotal %.1fs; waited %.1fs for the prepare build.%n%n", report.totalSeconds(),
                report.waitedForPrepareSeconds()));
        return text.toString();
    }

    private static String md(String text) {
        return ReportFiles.escapeMarkdown(text);
    }

    /** The deployment unit: {@code foo-prepare -> foo-staging, foo-production}. */
    private static String unit(PromoteReport report) {
        return nullToDash(report.prepareApp()) + " -> " + String.join(", ", report.targetApps());
    }

    /** {@code cedar (slugs)} or {@code fir (OCI images)}. */
    private static String generation(String name) {
        return name + ("fir".equals(name) ? " (OCI images)" : " (slugs)");
    }

    private static String pad(String app) {
        return app.length() >= 17 ? app + " " : app + " ".repeat(17 - app.length());
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static String nullToDash(String value) {
        return value == null ? "-" : value;
    }
}
