package io.github.herokupipeline.pipeline.status;

import io.github.herokupipeline.source.LogEntry;
import java.util.List;

/**
 * What runs where in a pipeline and what a promotion would ship: the content of {@code status.json}. The field
 * names (in snake_case in the file) are stable; new fields may be added.
 *
 * @param head the commit checked out here, against which every app is compared
 * @param shallow the local repository is a shallow clone: commits before its boundary are unknown
 * @param apps every coupled app except review apps, by stage (development, staging, production), then by name
 * @param promotions per pair of adjacent stages (HEAD first counts as a stage before the first target stage), what
 *     moving the upstream commit to each downstream app would ship
 * @param prepareBuilds the prepare app's newest builds, newest first (empty without a prepare app)
 * @param warnings drift between the prepare app and the targets, and what local git could not tell
 */
public record StatusReport(String pipeline, String pipelineId, String generation, String prepareApp,
        LogEntry head, boolean shallow, List<AppStatus> apps, List<PromotionPreview> promotions,
        List<BuildSummary> prepareBuilds, List<String> warnings) {

    /**
     * One app.
     *
     * @param commit the commit its current release runs (from its slug or image), or null
     * @param subject the commit's subject when local git knows it
     * @param relationToHead {@code same}, {@code behind}, {@code ahead}, {@code diverged} or {@code unknown}
     * @param commitsFromHead how many commits it is behind or ahead of HEAD
     */
    public record AppStatus(String app, String stage, boolean prepare, Integer releaseVersion, String releaseStatus,
            String commit, String subject, String releasedAt, String releasedBy, String relationToHead,
            int commitsFromHead) {}

    /**
     * What moving {@code fromCommit} (the upstream stage's) to {@code toApp} would ship.
     *
     * @param commits oldest first, at most a few; {@code more} counts the rest
     * @param note why no list could be made (a commit local git does not know, nothing to ship, ...), or null
     */
    public record PromotionPreview(String fromStage, String fromApp, String fromCommit, String toStage,
            String toApp, String toCommit, List<LogEntry> commits, int more, String note) {}

    /** A build of the prepare app. */
    public record BuildSummary(String id, String commit, String status, String createdAt) {}
}
