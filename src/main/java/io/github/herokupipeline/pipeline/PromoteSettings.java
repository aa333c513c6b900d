package io.github.herokupipeline.pipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@code promote} needs.
 *
 * @param githubStepSummary the file named by {@code GITHUB_STEP_SUMMARY}, or null outside GitHub Actions
 * @param smoke the smoke check after each target's release, or null for none; with a smoke check the targets are
 *     deployed one after the other, and a failure stops the ones after it
 */
public record PromoteSettings(String prepareApp, List<String> targetApps, SourceSettings source,
        OnMissingPrepare onMissingPrepare, OnPrepareFailure onPrepareFailure, Duration buildTimeout,
        Duration promotionTimeout, boolean dryRun, List<String> buildpacks, Path githubStepSummary,
        SmokeSettings smoke) {

    /** Settings without a smoke check. */
    public PromoteSettings(String prepareApp, List<String> targetApps, SourceSettings source,
            OnMissingPrepare onMissingPrepare, OnPrepareFailure onPrepareFailure, Duration buildTimeout,
            Duration promotionTimeout, boolean dryRun, List<String> buildpacks, Path githubStepSummary) {
        this(prepareApp, targetApps, source, onMissingPrepare, onPrepareFailure, buildTimeout, promotionTimeout,
                dryRun, buildpacks, githubStepSummary, null);
    }

    /** The same settings with a smoke check. */
    public PromoteSettings withSmoke(SmokeSettings check) {
        return new PromoteSettings(prepareApp, targetApps, source, onMissingPrepare, onPrepareFailure, buildTimeout,
                promotionTimeout, dryRun, buildpacks, githubStepSummary, check);
    }

    /** What to do when the prepare app has no usable build of this commit. */
    public enum OnMissingPrepare {
        /** Build the commit on each target app, as a normal deploy would. */
        BUILD,
        /** Fail the Maven build. */
        FAIL
    }

    /** What to do when the prepare app's build of this commit failed. */
    public enum OnPrepareFailure {
        /** Fail the Maven build with the end of the build log: the targets would fail the same way. */
        FAIL,
        /** Build on each target app anyway (for flaky builds). */
        BUILD
    }
}
