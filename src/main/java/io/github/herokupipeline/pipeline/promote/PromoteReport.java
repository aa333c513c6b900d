package io.github.herokupipeline.pipeline.promote;

import java.util.List;

/**
 * What {@code promote} decided and did, for the summary block, {@code promote.json} and the CI step summary.
 *
 * @param generation {@code cedar} (releases run slugs) or {@code fir} (releases run OCI images)
 * @param targetApps the targets as configured: with {@code prepareApp}, the deployment unit this report is about
 */
public record PromoteReport(
        String commit,
        String decision,
        String reason,
        String generation,
        String prepareApp,
        List<String> targetApps,
        String prepareBuildId,
        Integer promotedReleaseVersion,
        Double prepareBuildSeconds,
        Double prepareBuildSecondsDuringMaven,
        double waitedForPrepareSeconds,
        List<TargetResult> targets,
        double totalSeconds,
        boolean success,
        String error) {

    public static final String PROMOTE = "promote";
    public static final String BUILD = "build";
    public static final String UNCHANGED = "unchanged";
    public static final String DRY_RUN = "dry-run";

    /**
     * One target app's outcome.
     *
     * @param commit the commit the target's release runs (read from its slug or image), or null
     * @param seconds from the start of the promotion or build to the verified release
     * @param releaseSeconds how long the plugin followed the release (its release phase), or null
     * @param smoke the smoke check's account, or null when none ran
     * @param rollback what was done about a failed smoke check, or null
     * @param note why a target was skipped, or what could not be checked, or null
     */
    public record TargetResult(String app, String outcome, Integer releaseVersion, String releaseStatus,
            String commit, Double seconds, Double releaseSeconds, String error, String smoke, String rollback,
            String note) {

        public static final String PROMOTED = "promoted";
        public static final String BUILT = "built";
        public static final String ALREADY_RUNNING = "already running";
        public static final String FAILED = "failed";
        public static final String PLANNED = "planned";
        public static final String NOT_ATTEMPTED = "not attempted";
        /** Left alone: it already runs a newer commit (onNewerCommit=skip). */
        public static final String SKIPPED = "skipped";
        /** Released, then put back on a newer commit that landed between the order check and the release. */
        public static final String SUPERSEDED = "superseded";

        public TargetResult(String app, String outcome, Integer releaseVersion, String releaseStatus,
                String commit, Double seconds, String error) {
            this(app, outcome, releaseVersion, releaseStatus, commit, seconds, null, error, null, null, null);
        }

        TargetResult superseded(String value) {
            return new TargetResult(app, SUPERSEDED, releaseVersion, releaseStatus, commit, seconds, releaseSeconds,
                    error, smoke, rollback, value);
        }

        TargetResult withNote(String value) {
            return new TargetResult(app, outcome, releaseVersion, releaseStatus, commit, seconds, releaseSeconds,
                    error, smoke, rollback, value);
        }

        public boolean failed() {
            return FAILED.equals(outcome);
        }

        TargetResult withReleaseSeconds(double value) {
            return new TargetResult(app, outcome, releaseVersion, releaseStatus, commit, seconds, value, error,
                    smoke, rollback, note);
        }

        TargetResult withSmokePassed(String account) {
            return new TargetResult(app, outcome, releaseVersion, releaseStatus, commit, seconds, releaseSeconds,
                    error, account, rollback, note);
        }

        TargetResult withSmokeFailed(String account, String rollbackAccount) {
            return new TargetResult(app, FAILED, releaseVersion, releaseStatus, commit, seconds, releaseSeconds,
                    account + "; " + rollbackAccount, account, rollbackAccount, note);
        }
    }
}
