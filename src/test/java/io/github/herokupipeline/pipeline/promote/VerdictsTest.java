package io.github.herokupipeline.pipeline.promote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.Artifact;
import io.github.herokupipeline.heroku.model.Build;
import io.github.herokupipeline.heroku.model.PromotionTarget;
import io.github.herokupipeline.heroku.model.Ref;
import io.github.herokupipeline.heroku.model.Release;
import io.github.herokupipeline.heroku.model.SourceBlob;
import io.github.herokupipeline.pipeline.common.CommitLookup.Running;
import io.github.herokupipeline.source.Commit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The verdicts of promote, without a server: which prepared build is used and whether its release can be promoted
 * ({@link PreparedChoice}), and whether each target's promotion, release and rollback went as they must
 * ({@link DeploymentVerdicts}).
 */
class VerdictsTest {

    private static final String SHA = "60883d9e8947a57e04dc9124f25df004866a2051";
    private static final String OTHER = "1111111111111111111111111111111111111111";
    private static final Commit COMMIT = new Commit(SHA, "Add the app", 0);
    private static final App STAGING = new App("staging-id", "foo-staging", null, null, null, null);
    private static final App PRODUCTION = new App("production-id", "foo-production", null, null, null, null);

    private static Build build(String id, String status, String version, boolean slug) {
        return new Build(id, status, null, new SourceBlob(null, version, null, null), null,
                slug ? new Ref("slug-" + id, null) : null, null, null, null, null, null);
    }

    private static Release release(String id, int version, String status, String slug, List<Artifact> artifacts,
            String stream) {
        return new Release(id, version, status, false, slug == null ? null : new Ref(slug, null), artifacts, null,
                null, stream, false, null, null, null);
    }

    private static Release release(String id, int version, String status) {
        return release(id, version, status, "slug-" + id, null, null);
    }

    private static Running running(String releaseId, int version) {
        return new Running(release(releaseId, version, Release.SUCCEEDED), null, SHA, null);
    }

    // ------------------------------------------------------------------ which prepared build

    @Test
    void choose_prefersSucceeded_thenPending_thenTheRecord_thenTheNewest() {
        Build failedNewest = build("b3", Build.FAILED, SHA, false);
        Build pending = build("b2", Build.PENDING, SHA, false);
        Build succeeded = build("b1", Build.SUCCEEDED, SHA, true);
        Build record = build("r", Build.FAILED, SHA, false);

        assertThat(PreparedChoice.choose(List.of(failedNewest, pending, succeeded), record)).containsSame(succeeded);
        assertThat(PreparedChoice.choose(List.of(failedNewest, pending), record)).containsSame(pending);
        assertThat(PreparedChoice.choose(List.of(failedNewest), record)).containsSame(record);
        assertThat(PreparedChoice.choose(List.of(failedNewest, build("b0", Build.FAILED, SHA, false)), null))
                .containsSame(failedNewest);
        assertThat(PreparedChoice.choose(List.of(), null)).isEmpty();
        Build olderSucceeded = build("b0", Build.SUCCEEDED, SHA, true);
        assertThat(PreparedChoice.choose(List.of(succeeded, olderSucceeded), null)).containsSame(succeeded);
        Build olderPending = build("b0", Build.PENDING, SHA, false);
        assertThat(PreparedChoice.choose(List.of(pending, olderPending), null)).containsSame(pending);
    }

    @Test
    void labelled_isTheBuildsOfTheSha_ignoringCase() {
        Build ours = build("b1", Build.SUCCEEDED, SHA.toUpperCase(java.util.Locale.ROOT), true);
        Build theirs = build("b2", Build.SUCCEEDED, OTHER, true);
        assertThat(PreparedChoice.labelled(List.of(theirs, ours), SHA)).containsExactly(ours);
        assertThat(PreparedChoice.labelled(null, SHA)).isEmpty();
    }

    @Test
    void whyMissing_namesOtherContent_orTheNewestBuild_orNone() {
        assertThat(PreparedChoice.whyMissing("foo-prepare", COMMIT, 2, List.of()))
                .isEqualTo("no build on foo-prepare was made from the archive of 60883d9e (2 labelled with it were"
                        + " made from other content)");
        assertThat(PreparedChoice.whyMissing("foo-prepare", COMMIT, 0, List.of(build("b", Build.SUCCEEDED, OTHER,
                true), build("c", Build.SUCCEEDED, SHA, true))))
                .isEqualTo("the newest prepare build on foo-prepare is for 11111111, HEAD is 60883d9e");
        assertThat(PreparedChoice.whyMissing("foo-prepare", COMMIT, 0, List.of()))
                .isEqualTo("foo-prepare has no build at all");
    }

    @Test
    void aRelease_isUsableOnlyWhenNotExpired_succeeded_runningSomething_andThisCommit() {
        Build withSlug = build("build-1234", Build.SUCCEEDED, SHA, true);
        Build withoutSlug = build("build-5678", Build.SUCCEEDED, SHA, false);

        assertThat(PreparedChoice.expired("foo-prepare", withSlug, release("r", 7, Release.EXPIRED)))
                .isEqualTo("release v7 of foo-prepare (build build-12) has expired");
        assertThat(PreparedChoice.expired("foo-prepare", withSlug, release("r", 7, Release.SUCCEEDED))).isNull();

        assertThat(PreparedChoice.unusable("foo-prepare", withSlug, release("r", 7, Release.FAILED), "slug"))
                .isEqualTo("release v7 of foo-prepare is failed");
        Release runsNothing = release("r", 8, Release.SUCCEEDED, null, null, null);
        assertThat(PreparedChoice.unusable("foo-prepare", withoutSlug, runsNothing, "image"))
                .isEqualTo("release v8 of foo-prepare (build build-56) runs no image");
        assertThat(PreparedChoice.unusable("foo-prepare", withSlug, runsNothing, "slug")).isNull();
        assertThat(PreparedChoice.unusable("foo-prepare", withoutSlug, release("r", 9, Release.SUCCEEDED, null,
                List.of(new Artifact(Artifact.OCI_IMAGE, "img")), null), "image")).isNull();
        assertThat(PreparedChoice.unusable("foo-prepare", withoutSlug, release("r", 9, Release.SUCCEEDED),
                "slug")).isNull();

        assertThat(PreparedChoice.otherCommit(withSlug, SHA.toUpperCase(java.util.Locale.ROOT), COMMIT, "slug"))
                .isNull();
        assertThat(PreparedChoice.otherCommit(withSlug, OTHER, COMMIT, "slug"))
                .isEqualTo("the slug of build build-12 is for 11111111, not 60883d9e");
        assertThat(PreparedChoice.otherCommit(withSlug, null, COMMIT, "image"))
                .isEqualTo("the image of build build-12 is for (no version), not 60883d9e");
    }

    // ------------------------------------------------------------------ each target's deployment

    @Test
    void promotionFailure_isNullOnlyForASucceededTarget() {
        assertThat(DeploymentVerdicts.promotionFailure(null))
                .isEqualTo("Heroku reported no promotion target for this app");
        assertThat(DeploymentVerdicts.promotionFailure(new PromotionTarget("t", Ref.id("a"),
                PromotionTarget.SUCCEEDED, null, Ref.id("r"), null))).isNull();
        assertThat(DeploymentVerdicts.promotionFailure(new PromotionTarget("t", Ref.id("a"),
                PromotionTarget.FAILED, "Release command failed", null, null))).isEqualTo("Release command failed");
        assertThat(DeploymentVerdicts.promotionFailure(new PromotionTarget("t", Ref.id("a"),
                PromotionTarget.FAILED, null, null, null))).isEqualTo("promotion failed");
    }

    @Test
    void targetOf_findsTheAppsOwnTarget() {
        PromotionTarget staging = new PromotionTarget("t1", Ref.id("staging-id"), PromotionTarget.SUCCEEDED, null,
                null, null);
        PromotionTarget production = new PromotionTarget("t2", Ref.id("production-id"), PromotionTarget.FAILED,
                null, null, null);
        assertThat(DeploymentVerdicts.targetOf(PRODUCTION, List.of(staging, production))).isSameAs(production);
        assertThat(DeploymentVerdicts.targetOf(PRODUCTION, List.of(staging))).isNull();
    }

    @Test
    void landedBetween_isTheReleaseJustBeforeOurs_whenTheCheckSawAnother() {
        Release ours = release("ours", 12, Release.SUCCEEDED);
        Release landed = release("landed", 11, Release.SUCCEEDED);
        Release checked = release("checked", 10, Release.SUCCEEDED);
        List<Release> newestFirst = List.of(ours, landed, checked);

        assertThat(DeploymentVerdicts.landedBetween(newestFirst, "ours", "checked")).containsSame(landed);
        assertThat(DeploymentVerdicts.landedBetween(List.of(ours, checked), "ours", "checked")).isEmpty();
        assertThat(DeploymentVerdicts.landedBetween(List.of(ours, landed), "ours", null)).containsSame(landed);
        assertThat(DeploymentVerdicts.landedBetween(List.of(ours), "ours", null)).as("nothing before ours").isEmpty();
        assertThat(DeploymentVerdicts.landedBetween(newestFirst, "gone", "checked")).as("ours not listed")
                .isEmpty();
        Release newer = release("newer", 13, Release.SUCCEEDED);
        assertThat(DeploymentVerdicts.landedBetween(List.of(newer, ours, landed, checked), "ours", "checked"))
                .as("a release after ours does not count").containsSame(landed);
        assertThat(DeploymentVerdicts.landedBetween(List.of(ours, checked, landed), "ours", "checked"))
                .as("only the one just before ours").isEmpty();
    }

    @Test
    void releaseFailure_isNullOnlyForASucceededReleaseOfThisCommit() {
        assertThat(DeploymentVerdicts.releaseFailure(release("r", 5, Release.SUCCEEDED), SHA, COMMIT, "slug"))
                .isNull();
        assertThat(DeploymentVerdicts.releaseFailure(release("r", 5, Release.SUCCEEDED),
                SHA.toUpperCase(java.util.Locale.ROOT), COMMIT, "slug")).isNull();
        assertThat(DeploymentVerdicts.releaseFailure(release("r", 5, Release.FAILED, "s", null, "https://stream"),
                SHA, COMMIT, "slug")).isEqualTo("release v5 failed in its release phase");
        assertThat(DeploymentVerdicts.releaseFailure(release("r", 5, Release.FAILED), SHA, COMMIT, "slug"))
                .isEqualTo("release v5 failed");
        assertThat(DeploymentVerdicts.releaseFailure(release("r", 5, Release.SUCCEEDED), OTHER, COMMIT, "image"))
                .isEqualTo("release v5 runs a image of 11111111, not 60883d9e");
        assertThat(DeploymentVerdicts.releaseFailure(release("r", 5, Release.SUCCEEDED), null, COMMIT, "slug"))
                .isEqualTo("release v5 runs a slug of (no version), not 60883d9e");
    }

    @Test
    void rollback_onlyWhenOn_withAnEarlierRelease_andOursStillRunning() {
        Running before = running("before", 4);
        Optional<Running> oursRunning = Optional.of(running("ours", 5));

        assertThat(DeploymentVerdicts.rollbackRefusal(true, before, oursRunning, "ours", "foo-staging")).isNull();
        assertThat(DeploymentVerdicts.rollbackRefusal(false, before, oursRunning, "ours", "foo-staging"))
                .isEqualTo("not rolled back (rollbackOnFailure=false)");
        assertThat(DeploymentVerdicts.rollbackRefusal(true, null, oursRunning, "ours", "foo-staging"))
                .isEqualTo("not rolled back: this was the app's first release");
        assertThat(DeploymentVerdicts.rollbackRefusal(true, before, Optional.of(running("another", 6)), "ours",
                "foo-staging"))
                .isEqualTo("not rolled back: foo-staging now runs v6, which this deploy did not create");
        assertThat(DeploymentVerdicts.rollbackRefusal(true, before, Optional.empty(), "ours", "foo-staging"))
                .isEqualTo("not rolled back: foo-staging now runs no release, which this deploy did not create");
    }

    @Test
    void batches_areAllTargetsAtOnce_orOneAtATimeWithASmokeCheck() {
        assertThat(DeploymentVerdicts.batches(false, List.of(STAGING, PRODUCTION)))
                .containsExactly(List.of(STAGING, PRODUCTION));
        assertThat(DeploymentVerdicts.batches(true, List.of(STAGING, PRODUCTION)))
                .containsExactly(List.of(STAGING), List.of(PRODUCTION));
    }

    @Test
    void promotionPolls_areDenseInTheFirstSecond_whileTheRateLimitHasRoomToSpare() {
        Duration min = Duration.ofMillis(50);
        Duration max = Duration.ofSeconds(2);
        assertThat(DeploymentVerdicts.nextTargetPoll(Duration.ZERO, 4500, min, max)).isEqualTo(Duration.ofMillis(50));
        assertThat(DeploymentVerdicts.nextTargetPoll(Duration.ofMillis(999), 1000, min, max))
                .isEqualTo(Duration.ofMillis(50));
        // the first second is over: half the time elapsed
        assertThat(DeploymentVerdicts.nextTargetPoll(Duration.ofSeconds(1), 4500, min, max))
                .isEqualTo(Duration.ofMillis(500));
        assertThat(DeploymentVerdicts.nextTargetPoll(Duration.ofMillis(3000), 4500, min, max))
                .isEqualTo(Duration.ofMillis(1500));
        assertThat(DeploymentVerdicts.nextTargetPoll(Duration.ofMillis(4002), 4500, min, max)).isEqualTo(max);
    }

    @Test
    void promotionPolls_backOffFromTheStart_whenTheRateLimitRunsShort() {
        Duration min = Duration.ofMillis(50);
        Duration max = Duration.ofSeconds(2);
        assertThat(DeploymentVerdicts.nextTargetPoll(Duration.ZERO, 999, min, max)).isEqualTo(min);
        assertThat(DeploymentVerdicts.nextTargetPoll(Duration.ofMillis(99), 999, min, max)).isEqualTo(min);
        assertThat(DeploymentVerdicts.nextTargetPoll(Duration.ofMillis(102), 999, min, max))
                .isEqualTo(Duration.ofMillis(51));
        assertThat(DeploymentVerdicts.nextTargetPoll(Duration.ofMillis(600), 999, min, max))
                .isEqualTo(Duration.ofMillis(300));
        assertThat(DeploymentVerdicts.nextTargetPoll(Duration.ofSeconds(10), 0, min, max)).isEqualTo(max);
    }

    @Test
    void whatTheTargetsRan_isReusedOnlyForTheFirstBatch_soonAfter_withoutAWait() {
        Instant read = Instant.parse("2026-12-01T00:00:00Z");
        Duration fresh = Duration.ofSeconds(2);
        assertThat(DeploymentVerdicts.stillFresh(true, Duration.ZERO, read, read.plusMillis(1999), fresh)).isTrue();
        assertThat(DeploymentVerdicts.stillFresh(true, Duration.ZERO, read, read.plusMillis(2000), fresh)).isFalse();
        assertThat(DeploymentVerdicts.stillFresh(false, Duration.ZERO, read, read, fresh)).isFalse();
        assertThat(DeploymentVerdicts.stillFresh(true, Duration.ofMillis(1), read, read, fresh)).isFalse();
    }

    @Test
    void notAttempted_areTheTargetsNotReportedYet_inOrder() {
        assertThat(DeploymentVerdicts.notAttempted(List.of(STAGING, PRODUCTION), Set.of("foo-staging")))
                .containsExactly(PRODUCTION);
        assertThat(DeploymentVerdicts.notAttempted(List.of(STAGING, PRODUCTION), Set.of())).containsExactly(STAGING,
                PRODUCTION);
    }
}
