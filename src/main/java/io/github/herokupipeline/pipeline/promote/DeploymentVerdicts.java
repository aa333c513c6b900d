package io.github.herokupipeline.pipeline.promote;

import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.PromotionTarget;
import io.github.herokupipeline.heroku.model.Release;
import io.github.herokupipeline.pipeline.common.CommitLookup.Running;
import io.github.herokupipeline.source.Commit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The decisions of {@link TargetDeployment}, apart from the requests that feed them: whether a target's promotion
 * and release worked, what landed between the order check and our release, whether a failed smoke check may roll
 * back, how targets are batched and how polls back off. Plain functions, tested without a server.
 */
final class DeploymentVerdicts {

    static final Duration DENSE_TARGET_POLL = Duration.ofMillis(50);
    static final Duration DENSE_TARGET_PERIOD = Duration.ofSeconds(1);
    /** Heroku allows 4,500 requests an hour per account; dense polls stop well before it runs short. */
    static final int DENSE_POLL_RATE_LIMIT = 1000;

    private DeploymentVerdicts() {}

    /** Why the promotion of {@code app} did not work, or null when its target succeeded. */
    static String promotionFailure(PromotionTarget target) {
        if (target == null) {
            return "Heroku reported no promotion target for this app";
        }
        if (target.isSucceeded()) {
            return null;
        }
        return target.errorMessage() == null ? "promotion " + target.status() : target.errorMessage();
    }

    /** The promotion target of {@code app} among {@code outcome}, or null. */
    static PromotionTarget targetOf(App app, List<PromotionTarget> outcome) {
        return outcome.stream().filter(t -> app.id().equals(t.appId())).findFirst().orElse(null);
    }

    /**
     * The release that came just before ours when it is not the one the order check saw ({@code checkedReleaseId},
     * null when the target ran nothing): something landed in between. Empty when ours is not listed or is the
     * oldest listed, or nothing landed.
     */
    static Optional<Release> landedBetween(List<Release> newestFirst, String ourRelease, String checkedReleaseId) {
        int ours = -1;
        for (int i = 0; i < newestFirst.size(); i++) {
            if (newestFirst.get(i).id().equals(ourRelease)) {
                ours = i;
            }
        }
        if (ours < 0 || ours + 1 >= newestFirst.size()) {
            return Optional.empty();
        }
        Release previous = newestFirst.get(ours + 1);
        return previous.id().equals(checkedReleaseId) ? Optional.empty() : Optional.of(previous);
    }

    /**
     * Why a target's new release does not count as deployed, or null when it succeeded and runs {@code commit}.
     *
     * @param runs the commit the release's slug or image records
     */
    static String releaseFailure(Release release, String runs, Commit commit, String artifactNoun) {
        if (!release.isSucceeded()) {
            return "release v" + release.version() + " " + release.status()
                    + (release.outputStreamUrl() == null ? "" : " in its release phase");
        }
        if (!commit.sha().equalsIgnoreCase(String.valueOf(runs))) {
            return "release v" + release.version() + " runs a " + artifactNoun + " of " + Commit.abbreviate(runs)
                    + ", not " + commit.shortSha();
        }
        return null;
    }

    /**
     * Why a target whose smoke check failed is not rolled back, or null when it is: only when rolling back is on,
     * the target ran a release before ours, and it still runs ours.
     */
    static String rollbackRefusal(boolean rollbackOnFailure, Running before, Optional<Running> now,
            String ourReleaseId, String app) {
        if (!rollbackOnFailure) {
            return "not rolled back (rollbackOnFailure=false)";
        }
        if (before == null) {
            return "not rolled back: this was the app's first release";
        }
        if (now.isEmpty() || !now.get().release().id().equals(ourReleaseId)) {
            return "not rolled back: " + app + " now runs " + now.map(r -> "v" + r.version()).orElse("no release")
                    + ", which this deploy did not create";
        }
        return null;
    }

    /** All targets in one step, or, with a smoke check, one target at a time. */
    static List<List<App>> batches(boolean smokeCheck, List<App> targets) {
        return smokeCheck ? targets.stream().map(List::of).toList() : List.of(targets);
    }

    /**
     * The wait before the next look at a promotion's targets, {@code elapsed} after it was created. Every moment a
     * look comes late is added to commit to production, and a promotion is a copy that often ends within a second:
     * in the first second the targets are asked every {@link #DENSE_TARGET_POLL}, as long as the account has at
     * least {@link #DENSE_POLL_RATE_LIMIT} requests of its hourly limit left (at most 20 requests a promotion).
     * After that, or with less left, the wait is half the time elapsed (so no end is noticed later than half the
     * promotion's own time after it), between {@code min} and {@code max}.
     */
    static Duration nextTargetPoll(Duration elapsed, int rateLimitRemaining, Duration min, Duration max) {
        if (elapsed.compareTo(DENSE_TARGET_PERIOD) < 0 && rateLimitRemaining >= DENSE_POLL_RATE_LIMIT) {
            return DENSE_TARGET_POLL;
        }
        Duration half = elapsed.dividedBy(2);
        return half.compareTo(min) < 0 ? min : half.compareTo(max) > 0 ? max : half;
    }

    /**
     * Whether what the targets ran when the run was resolved still holds for the first batch: read less than
     * {@code fresh} ago, with no wait for the prepare build in between.
     */
    static boolean stillFresh(boolean firstBatch, Duration waitedForPrepare, Instant readAt, Instant now,
            Duration fresh) {
        return firstBatch && waitedForPrepare.isZero() && Duration.between(readAt, now).compareTo(fresh) < 0;
    }

    /** The targets not reported yet, which a failure before them leaves undeployed. */
    static List<App> notAttempted(List<App> targets, Set<String> reported) {
        return targets.stream().filter(target -> !reported.contains(target.name())).toList();
    }
}
