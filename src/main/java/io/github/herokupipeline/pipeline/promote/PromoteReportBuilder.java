package io.github.herokupipeline.pipeline.promote;

import io.github.herokupipeline.heroku.model.Build;
import io.github.herokupipeline.pipeline.common.PrepareRecord;
import io.github.herokupipeline.pipeline.promote.PromoteReport.TargetResult;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Collects what {@code promote} decides and does while it runs, and makes the {@link PromoteReport} of it. */
final class PromoteReportBuilder {

    private final Instant started;
    String commit;
    String decision;
    String reason;
    String generation;
    String prepareApp;
    List<String> targetApps = List.of();
    String prepareBuildId;
    Integer promotedReleaseVersion;
    Double prepareBuildSeconds;
    Double prepareBuildSecondsDuringMaven;
    Duration waitedForPrepare = Duration.ZERO;
    final Map<String, TargetResult> targets = new LinkedHashMap<>();

    PromoteReportBuilder(Instant started) {
        this.started = started;
    }

    void target(TargetResult result) {
        targets.put(result.app(), result);
    }

    boolean anyFailed() {
        return targets.values().stream().anyMatch(TargetResult::failed);
    }

    /** How long the prepare build took, and how much of it ran while Maven ran (before promote started). */
    void prepareBuild(Build build, Optional<PrepareRecord> record) {
        Instant created = parse(build.createdAt());
        Instant updated = parse(build.updatedAt());
        if (created == null || updated == null) {
            return;
        }
        prepareBuildSeconds = Duration.between(created, updated).toMillis() / 1000.0;
        Instant mavenStart = record.map(r -> parse(r.startedAt())).orElse(created);
        Instant overlapEnd = updated.isBefore(started) ? updated : started;
        Instant overlapStart = created.isAfter(mavenStart) ? created : mavenStart;
        prepareBuildSecondsDuringMaven = Math.max(0, Duration.between(overlapStart, overlapEnd).toMillis()
                / 1000.0);
    }

    /** The report; when a target failed, unsuccessful with a message that lists every target. */
    PromoteReport finish(Instant now) {
        if (!anyFailed()) {
            return build(now, true);
        }
        StringBuilder message = new StringBuilder("Deploy of " + commit.substring(0, 8) + " failed on "
                + targets.values().stream().filter(TargetResult::failed).count() + " of " + targets.size()
                + " target app(s):");
        for (TargetResult target : targets.values()) {
            message.append("\n  ").append(target.app()).append(": ").append(target.outcome())
                    .append(target.error() == null ? "" : " - " + target.error());
        }
        return failed(message.toString(), now);
    }

    PromoteReport build(Instant now, boolean success) {
        return report(now, success, null);
    }

    PromoteReport failed(String error, Instant now) {
        return report(now, false, error);
    }

    private PromoteReport report(Instant now, boolean success, String error) {
        return new PromoteReport(commit, decision, reason, generation, prepareApp, targetApps, prepareBuildId,
                promotedReleaseVersion, prepareBuildSeconds, prepareBuildSecondsDuringMaven,
                waitedForPrepare.toMillis() / 1000.0, List.copyOf(targets.values()),
                Duration.between(started, now).toMillis() / 1000.0, success, error);
    }

    private static Instant parse(String timestamp) {
        if (timestamp == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(timestamp).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
