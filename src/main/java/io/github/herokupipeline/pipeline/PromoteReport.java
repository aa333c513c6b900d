package io.github.herokupipeline.pipeline;

import java.util.List;

/** What {@code promote} decided and did, for the summary block, {@code promote.json} and the CI step summary. */
public record PromoteReport(
        String commit,
        String decision,
        String reason,
        String prepareApp,
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
     * @param seconds from the start of the promotion or build to the verified release
     * @param releaseSeconds how long the plugin followed the release (its release phase), or null
     * @param smoke the smoke check's account, or null when none ran
     * @param rollback what was done about a failed smoke check, or null
     */
    public record TargetResult(String app, String outcome, Integer releaseVersion, String releaseStatus,
            String slugCommit, Double seconds, Double releaseSeconds, String error, String smoke, String rollback) {

        public static final String PROMOTED = "promoted";
        public static final String BUILT = "built";
        public static final String ALREADY_RUNNING = "already running";
        public static final String FAILED = "failed";
        public static final String PLANNED = "planned";
        public static final String NOT_ATTEMPTED = "not attempted";

        public TargetResult(String app, String outcome, Integer releaseVersion, String releaseStatus,
                String slugCommit, Double seconds, String error) {
            this(app, outcome, releaseVersion, releaseStatus, slugCommit, seconds, null, error, null, null);
        }

        public boolean failed() {
            return FAILED.equals(outcome);
        }

        TargetResult withReleaseSeconds(double value) {
            return new TargetResult(app, outcome, releaseVersion, releaseStatus, slugCommit, seconds, value, error,
                    smoke, rollback);
        }

        TargetResult withSmokePassed(String account) {
            return new TargetResult(app, outcome, releaseVersion, releaseStatus, slugCommit, seconds, releaseSeconds,
                    error, account, rollback);
        }

        TargetResult withSmokeFailed(String account, String rollbackAccount) {
            return new TargetResult(app, FAILED, releaseVersion, releaseStatus, slugCommit, seconds, releaseSeconds,
                    account + "; " + rollbackAccount, account, rollbackAccount);
        }
    }
}
