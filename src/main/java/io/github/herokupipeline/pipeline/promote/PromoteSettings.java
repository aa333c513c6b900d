package io.github.herokupipeline.pipeline.promote;

import io.github.herokupipeline.pipeline.check.SmokeSettings;
import io.github.herokupipeline.pipeline.common.SourceSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@code promote} needs.
 *
 * @param githubStepSummary the file named by {@code GITHUB_STEP_SUMMARY}, or null outside GitHub Actions
 * @param smoke the smoke check after each target's release, or null for none; with a smoke check the targets are
 *     deployed one after the other, and a failure stops the ones after it
 * @param onNewerCommit what to do with a target that already runs a newer commit than the one being shipped
 */
public record PromoteSettings(String prepareApp, List<String> targetApps, SourceSettings source,
        OnMissingPrepare onMissingPrepare, OnPrepareFailure onPrepareFailure, Duration buildTimeout,
        Duration promotionTimeout, boolean dryRun, List<String> buildpacks, Path githubStepSummary,
        SmokeSettings smoke, OnNewerCommit onNewerCommit, OnUnknownOrder onUnknownOrder,
        List<String> buildConfigVars) {

    public PromoteSettings {
        buildConfigVars = buildConfigVars == null ? List.of() : List.copyOf(buildConfigVars);
    }

    /** Settings without build config vars to compare. */
    public PromoteSettings(String prepareApp, List<String> targetApps, SourceSettings source,
            OnMissingPrepare onMissingPrepare, OnPrepareFailure onPrepareFailure, Duration buildTimeout,
            Duration promotionTimeout, boolean dryRun, List<String> buildpacks, Path githubStepSummary,
            SmokeSettings smoke, OnNewerCommit onNewerCommit, OnUnknownOrder onUnknownOrder) {
        this(prepareApp, targetApps, source, onMissingPrepare, onPrepareFailure, buildTimeout, promotionTimeout,
                dryRun, buildpacks, githubStepSummary, smoke, onNewerCommit, onUnknownOrder, List.of());
    }

    /** Settings that deploy over a release whose order cannot be told. */
    public PromoteSettings(String prepareApp, List<String> targetApps, SourceSettings source,
            OnMissingPrepare onMissingPrepare, OnPrepareFailure onPrepareFailure, Duration buildTimeout,
            Duration promotionTimeout, boolean dryRun, List<String> buildpacks, Path githubStepSummary,
            SmokeSettings smoke, OnNewerCommit onNewerCommit) {
        this(prepareApp, targetApps, source, onMissingPrepare, onPrepareFailure, buildTimeout, promotionTimeout,
                dryRun, buildpacks, githubStepSummary, smoke, onNewerCommit, OnUnknownOrder.DEPLOY);
    }

    /** Settings without a smoke check, leaving targets that run a newer commit alone. */
    public PromoteSettings(String prepareApp, List<String> targetApps, SourceSettings source,
            OnMissingPrepare onMissingPrepare, OnPrepareFailure onPrepareFailure, Duration buildTimeout,
            Duration promotionTimeout, boolean dryRun, List<String> buildpacks, Path githubStepSummary) {
        this(prepareApp, targetApps, source, onMissingPrepare, onPrepareFailure, buildTimeout, promotionTimeout,
                dryRun, buildpacks, githubStepSummary, null, OnNewerCommit.SKIP);
    }

    /** The same settings with a smoke check. */
    public PromoteSettings withSmoke(SmokeSettings check) {
        return new PromoteSettings(prepareApp, targetApps, source, onMissingPrepare, onPrepareFailure, buildTimeout,
                promotionTimeout, dryRun, buildpacks, githubStepSummary, check, onNewerCommit, onUnknownOrder,
                buildConfigVars);
    }

    /** The same settings with another policy for targets that run a newer commit. */
    public PromoteSettings withOnNewerCommit(OnNewerCommit policy) {
        return new PromoteSettings(prepareApp, targetApps, source, onMissingPrepare, onPrepareFailure, buildTimeout,
                promotionTimeout, dryRun, buildpacks, githubStepSummary, smoke, policy, onUnknownOrder,
                buildConfigVars);
    }

    /** The same settings with another policy for targets whose release's order cannot be told. */
    public PromoteSettings withOnUnknownOrder(OnUnknownOrder policy) {
        return new PromoteSettings(prepareApp, targetApps, source, onMissingPrepare, onPrepareFailure, buildTimeout,
                promotionTimeout, dryRun, buildpacks, githubStepSummary, smoke, onNewerCommit, policy,
                buildConfigVars);
    }

    /** The same settings, comparing the named build config vars of the prepare app and the targets. */
    public PromoteSettings withBuildConfigVars(List<String> names) {
        return new PromoteSettings(prepareApp, targetApps, source, onMissingPrepare, onPrepareFailure, buildTimeout,
                promotionTimeout, dryRun, buildpacks, githubStepSummary, smoke, onNewerCommit, onUnknownOrder, names);
    }

    /**
     * What to do with a target whose release runs a commit whose order against the one being shipped neither local
     * git history nor the evidence on Heroku can tell (a release deployed by other means).
     */
    public enum OnUnknownOrder {
        /** Deploy, saying so in one line (what the plugin always did). */
        DEPLOY,
        /** Leave the target as it is and report it as skipped. */
        SKIP,
        /** Leave the target as it is and fail the Maven build. */
        FAIL
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

    /**
     * What to do with a target whose release runs a commit that local git history shows is newer than (a
     * descendant of) the one being shipped: an overlapping CI run got there first.
     */
    public enum OnNewerCommit {
        /** Leave the target as it is and report it as skipped; the run succeeds. */
        SKIP,
        /** Leave the target as it is and fail the Maven build. */
        FAIL,
        /** Deploy anyway, taking the target back to the older commit. */
        DEPLOY
    }
}
