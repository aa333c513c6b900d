package io.github.herokupipeline.pipeline.promote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.Generation;
import io.github.herokupipeline.heroku.model.Ref;
import io.github.herokupipeline.heroku.model.Release;
import io.github.herokupipeline.pipeline.common.CommitLookup.Running;
import io.github.herokupipeline.pipeline.common.OrderEvidence;
import io.github.herokupipeline.pipeline.common.SourceSettings;
import io.github.herokupipeline.pipeline.promote.OrderCheck.Verdict;
import io.github.herokupipeline.pipeline.promote.PromoteReport.TargetResult;
import io.github.herokupipeline.pipeline.promote.PromoteSettings.OnNewerCommit;
import io.github.herokupipeline.source.Commit;
import io.github.herokupipeline.source.CommitOrder;
import io.github.herokupipeline.testing.RecordingReporter;
import io.github.herokupipeline.testing.TestRepo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order check's verdict for each relation and policy, against a real local history, without a server. */
class OrderCheckTest {

    @TempDir
    Path temp;

    private TestRepo repo;
    private String older;
    private String shipping;
    private String newer;
    private final RecordingReporter reporter = new RecordingReporter();
    private final App target = new App("id", "foo-staging", null, null, null, null);

    @BeforeEach
    void history() throws Exception {
        repo = TestRepo.init(temp.resolve("app"));
        older = repo.write("a", "1").commitAll("Older");
        shipping = repo.write("a", "2").commitAll("Shipping");
        repo.write("a", "3").commitAll("Newer 1");
        newer = repo.write("a", "4").commitAll("Newer 2");
        repo.git("checkout", "-q", shipping);
    }

    private PromoteContext run(OnNewerCommit policy) {
        PromoteSettings settings = new PromoteSettings("foo-prepare", List.of("foo-staging"),
                new SourceSettings(repo.root(), null, null, false, temp.resolve("work")),
                PromoteSettings.OnMissingPrepare.BUILD, PromoteSettings.OnPrepareFailure.FAIL, Duration.ofMinutes(1),
                Duration.ofMinutes(1), false, List.of(), null).withOnNewerCommit(policy);
        return new PromoteContext(settings, new Commit(shipping, "Shipping", 0), null, "pipeline", Generation.CEDAR,
                List.of(target), Map.of(), Instant.EPOCH);
    }

    private static Running running(String commit) {
        return new Running(new Release("r", 12, Release.SUCCEEDED, true, new Ref("slug", null), null, null, null,
                null, false, null, null, null), null, commit, "heroku-24");
    }

    private Verdict check(OnNewerCommit policy, String runs) throws Exception {
        return new OrderCheck(reporter).check(run(policy), target, runs == null ? null : running(runs), false);
    }

    @Test
    void nothingRunning_orNoCommit_deploys() throws Exception {
        assertThat(check(OnNewerCommit.SKIP, null)).isEqualTo(Verdict.deploy(null));
        assertThat(new OrderCheck(reporter).check(run(OnNewerCommit.SKIP), target, running(null), false).deploy())
                .isTrue();
    }

    @Test
    void theSameCommit_isLeftAsAlreadyRunning() throws Exception {
        Verdict verdict = check(OnNewerCommit.DEPLOY, shipping);
        assertThat(verdict.deploy()).isFalse();
        assertThat(verdict.result().outcome()).isEqualTo(TargetResult.ALREADY_RUNNING);
        assertThat(verdict.result().releaseVersion()).isEqualTo(12);
    }

    @Test
    void anOlderCommit_isDeployedOver() throws Exception {
        assertThat(check(OnNewerCommit.SKIP, older)).isEqualTo(Verdict.deploy(null));
    }

    @Test
    void aNewerCommit_isSkipped_failed_orDeployedOver_asThePolicySays() throws Exception {
        Verdict skip = check(OnNewerCommit.SKIP, newer);
        assertThat(skip.deploy()).isFalse();
        assertThat(skip.result().outcome()).isEqualTo(TargetResult.SKIPPED);
        assertThat(skip.result().note()).contains("2 commits ahead of " + shipping.substring(0, 8));
        assertThat(skip.result().commit()).isEqualTo(newer);

        Verdict fail = check(OnNewerCommit.FAIL, newer);
        assertThat(fail.deploy()).isFalse();
        assertThat(fail.result().outcome()).isEqualTo(TargetResult.FAILED);
        assertThat(fail.result().error()).contains("2 commits ahead").contains("heroku.onNewerCommit=fail");

        Verdict deploy = check(OnNewerCommit.DEPLOY, newer);
        assertThat(deploy.deploy()).isTrue();
        assertThat(deploy.note()).contains("deployed anyway (heroku.onNewerCommit=deploy)");
        assertThat(reporter.text()).contains("WARN foo-staging already runs " + newer.substring(0, 8)
                + ", 2 commits ahead").contains("INFO foo-staging already runs");
    }

    @Test
    void oneCommitAhead_isSaidInTheSingular() throws Exception {
        String next = repo.git("rev-list", "-n", "1", "--skip", "1", newer).strip();
        assertThat(check(OnNewerCommit.SKIP, next).result().note()).contains("1 commit ahead of");
    }

    @Test
    void aCommitNotInLocalHistory_isDeployed_sayingWhy() throws Exception {
        Verdict verdict = check(OnNewerCommit.SKIP, "d4e5f6a7".repeat(5));
        assertThat(verdict.deploy()).isTrue();
        assertThat(verdict.note()).contains("which local git history does not have")
                .contains("not fetched").doesNotContain("shallow");
    }

    @Test
    void aCommitNotInLocalHistory_isJudgedByTheEvidenceItsBuildRecorded() throws Exception {
        String unseen = "d4e5f6a7".repeat(5);
        long ourTime = Long.parseLong(repo.git("log", "-1", "--format=%ct", shipping).strip());
        PromoteContext run = run(OnNewerCommit.SKIP);
        Commit ours = new Commit(shipping, "Shipping", ourTime);
        PromoteContext timed = new PromoteContext(run.settings(), ours, null, "pipeline", Generation.CEDAR,
                List.of(target), Map.of(), Instant.EPOCH);

        Verdict newer = new OrderCheck(reporter, (prepare, app, commit) -> java.util.Optional.of(
                new OrderEvidence(ourTime + 60, 5))).check(timed, target, running(unseen), false);
        assertThat(newer.deploy()).isFalse();
        assertThat(newer.result().outcome()).isEqualTo(TargetResult.SKIPPED);
        assertThat(newer.result().note()).contains("but it is newer than " + shipping.substring(0, 8))
                .contains("first-parent depth 5 against 2");

        Verdict older = new OrderCheck(reporter, (prepare, app, commit) -> java.util.Optional.of(
                new OrderEvidence(ourTime - 60, 1))).check(timed, target, running(unseen), false);
        assertThat(older.deploy()).isTrue();
        assertThat(older.note()).contains("it is older than");
    }

    @Test
    void noEvidenceAtAll_isDecidedByOnUnknownOrder() throws Exception {
        String unseen = "d4e5f6a7".repeat(5);
        PromoteSettings base = run(OnNewerCommit.SKIP).settings();
        for (PromoteSettings.OnUnknownOrder policy : PromoteSettings.OnUnknownOrder.values()) {
            PromoteContext context = new PromoteContext(base.withOnUnknownOrder(policy),
                    new Commit(shipping, "Shipping", 0), null, "pipeline", Generation.CEDAR, List.of(target),
                    Map.of(), Instant.EPOCH);
            Verdict verdict = new OrderCheck(reporter).check(context, target, running(unseen), false);
            switch (policy) {
                case DEPLOY -> assertThat(verdict.deploy()).isTrue();
                case SKIP -> assertThat(verdict.result().outcome()).isEqualTo(TargetResult.SKIPPED);
                case FAIL -> assertThat(verdict.result().error()).contains("heroku.onUnknownOrder=fail");
            }
        }
    }

    @Test
    void evidence_newerNeedsMoreDepthAndNoEarlierTime_orALaterTimeWithoutDepths() {
        OrderEvidence ours = new OrderEvidence(1000, 10);
        assertThat(ours.relationOf(new OrderEvidence(1000, 11))).isEqualTo(CommitOrder.Relation.AHEAD);
        assertThat(ours.relationOf(new OrderEvidence(999, 11))).isEqualTo(CommitOrder.Relation.DIVERGED);
        assertThat(ours.relationOf(new OrderEvidence(1000, 9))).isEqualTo(CommitOrder.Relation.BEHIND);
        assertThat(ours.relationOf(new OrderEvidence(1001, 9))).isEqualTo(CommitOrder.Relation.DIVERGED);
        assertThat(ours.relationOf(new OrderEvidence(2000, 10))).isEqualTo(CommitOrder.Relation.DIVERGED);
        assertThat(ours.relationOf(new OrderEvidence(1001, null))).isEqualTo(CommitOrder.Relation.AHEAD);
        assertThat(new OrderEvidence(1000, null).relationOf(new OrderEvidence(999, 3)))
                .isEqualTo(CommitOrder.Relation.BEHIND);
        assertThat(ours.relationOf(new OrderEvidence(1000, null))).isEqualTo(CommitOrder.Relation.UNKNOWN);
        String x = "a".repeat(40);
        String y = "b".repeat(40);
        OrderEvidence parent = new OrderEvidence(1000, null, null, x);
        OrderEvidence child = new OrderEvidence(1000, null, x, y);
        assertThat(parent.relationOf(child)).isEqualTo(CommitOrder.Relation.AHEAD);
        assertThat(child.relationOf(parent)).isEqualTo(CommitOrder.Relation.BEHIND);
        assertThat(new OrderEvidence(1000, 10, null, x).relationOf(new OrderEvidence(999, 9, x, y)))
                .as("the parent link wins over clocks and depths").isEqualTo(CommitOrder.Relation.AHEAD);
        assertThat(OrderEvidence.parse("Fix" + child.marker())).contains(new OrderEvidence(1000, null, x, null));
        assertThat(OrderEvidence.parse("Fix it" + new OrderEvidence(42, 7).marker())).contains(new OrderEvidence(42, 7));
        assertThat(OrderEvidence.parse("Fix it" + new OrderEvidence(42, null).marker()))
                .contains(new OrderEvidence(42, null));
        assertThat(OrderEvidence.parse("Fix [heroku-pipeline order: t=x]")).isEmpty();
        assertThat(OrderEvidence.parse(null)).isEmpty();
    }

    @Test
    void anotherLineOfHistory_isDeployed_sayingWhy() throws Exception {
        repo.git("checkout", "-q", "-b", "side", older);
        String side = repo.write("b", "side").commitAll("Side");
        repo.git("checkout", "-q", shipping);
        Verdict verdict = check(OnNewerCommit.SKIP, side);
        assertThat(verdict.deploy()).isTrue();
        assertThat(verdict.note()).contains("on another line of history");
    }

    @Test
    void everyVerdict_isLoggedOnce_atTheRightLevel_withTheDryRunPrefix() throws Exception {
        new OrderCheck(reporter).check(run(OnNewerCommit.SKIP), target, running(shipping), false);
        assertThat(reporter.lines()).containsExactly("INFO foo-staging already runs " + shipping.substring(0, 8)
                + " (release v12, deployed meanwhile): nothing to do there");

        RecordingReporter skip = new RecordingReporter();
        new OrderCheck(skip).check(run(OnNewerCommit.SKIP), target, running(newer), true);
        assertThat(skip.lines()).singleElement().asString().startsWith("INFO [dry run] foo-staging already runs")
                .endsWith(": leaving it (heroku.onNewerCommit=skip)");

        RecordingReporter fail = new RecordingReporter();
        new OrderCheck(fail).check(run(OnNewerCommit.FAIL), target, running(newer), false);
        assertThat(fail.lines()).singleElement().asString().startsWith("WARN foo-staging already runs")
                .endsWith(": not deploying the older commit over it (heroku.onNewerCommit=fail)");

        RecordingReporter deploy = new RecordingReporter();
        new OrderCheck(deploy).check(run(OnNewerCommit.DEPLOY), target, running(newer), true);
        assertThat(deploy.lines()).singleElement().asString().startsWith("WARN [dry run] foo-staging already runs")
                .endsWith(": deploying the older commit anyway (heroku.onNewerCommit=deploy)");

        repo.git("checkout", "-q", "-b", "side", older);
        String side = repo.write("b", "side").commitAll("Side");
        repo.git("checkout", "-q", shipping);
        RecordingReporter diverged = new RecordingReporter();
        new OrderCheck(diverged).check(run(OnNewerCommit.SKIP), target, running(side), true);
        assertThat(diverged.lines()).singleElement().asString().startsWith("INFO [dry run] foo-staging runs")
                .endsWith("(neither descends from the other): deploying");
    }

    @Test
    void unknownOrder_isLoggedAsItsPolicySays() throws Exception {
        String unseen = "d4e5f6a7".repeat(5);
        PromoteSettings base = run(OnNewerCommit.SKIP).settings();
        Map<PromoteSettings.OnUnknownOrder, String> expected = Map.of(
                PromoteSettings.OnUnknownOrder.DEPLOY, "INFO [dry run] ",
                PromoteSettings.OnUnknownOrder.SKIP, "INFO [dry run] ",
                PromoteSettings.OnUnknownOrder.FAIL, "WARN [dry run] ");
        for (PromoteSettings.OnUnknownOrder policy : PromoteSettings.OnUnknownOrder.values()) {
            RecordingReporter log = new RecordingReporter();
            PromoteContext context = new PromoteContext(base.withOnUnknownOrder(policy),
                    new Commit(shipping, "Shipping", 0), null, "pipeline", Generation.CEDAR, List.of(target),
                    Map.of(), Instant.EPOCH);
            Verdict verdict = new OrderCheck(log).check(context, target, running(unseen), true);
            assertThat(log.lines()).singleElement().asString().startsWith(expected.get(policy))
                    .contains("could not be checked");
            assertThat(verdict.deploy()).isEqualTo(policy == PromoteSettings.OnUnknownOrder.DEPLOY);
        }
    }

    @Test
    void evidence_aboutTheParentLink_isNamed_andEqualTimesWithoutALink_goToOnUnknownOrder() throws Exception {
        String unseen = "d4e5f6a7".repeat(5);
        long ourTime = 1_000;
        PromoteContext base = run(OnNewerCommit.SKIP);
        PromoteContext timed = new PromoteContext(base.settings().withOnUnknownOrder(
                PromoteSettings.OnUnknownOrder.SKIP), new Commit(shipping, "Shipping", ourTime), null, "pipeline",
                Generation.CEDAR, List.of(target), Map.of(), Instant.EPOCH);

        Verdict child = new OrderCheck(reporter, (prepare, app, commit) -> java.util.Optional.of(
                new OrderEvidence(ourTime, null, shipping, null))).check(timed, target, running(unseen), false);
        assertThat(child.deploy()).isFalse();
        assertThat(child.result().note()).contains("(its first parent is " + shipping.substring(0, 8) + "; ");

        Verdict parent = new OrderCheck(reporter, (prepare, app, commit) -> java.util.Optional.of(
                new OrderEvidence(ourTime, null, null, older))).check(timed, target, running(older), false);
        assertThat(parent.deploy()).as("known locally: git decides").isTrue();

        Verdict sameSecond = new OrderCheck(reporter, (prepare, app, commit) -> java.util.Optional.of(
                new OrderEvidence(ourTime, null))).check(timed, target, running(unseen), false);
        assertThat(sameSecond.deploy()).isFalse();
        assertThat(sameSecond.result().note()).contains("committed within the same second")
                .contains("committed at 1970-01-01T00:16:40Z against");
    }

    @Test
    void isNewer_byLocalHistory_elseByEvidence_neverForTheSameCommitOrNothing() throws Exception {
        PromoteContext context = run(OnNewerCommit.SKIP);
        OrderCheck check = new OrderCheck(reporter);
        assertThat(check.isNewer(context, target, running(newer))).isTrue();
        assertThat(check.isNewer(context, target, running(older))).isFalse();
        assertThat(check.isNewer(context, target, running(shipping))).isFalse();
        assertThat(check.isNewer(context, target, null)).isFalse();
        assertThat(check.isNewer(context, target, running(null))).isFalse();

        String unseen = "d4e5f6a7".repeat(5);
        assertThat(check.isNewer(context, target, running(unseen))).as("no evidence").isFalse();
        PromoteContext timed = new PromoteContext(context.settings(), new Commit(shipping, "Shipping", 1_000), null,
                "pipeline", Generation.CEDAR, List.of(target), Map.of(), Instant.EPOCH);
        assertThat(new OrderCheck(reporter, (prepare, app, commit) -> java.util.Optional.of(
                new OrderEvidence(2_000, null))).isNewer(timed, target, running(unseen))).isTrue();
        assertThat(new OrderCheck(reporter, (prepare, app, commit) -> java.util.Optional.of(
                new OrderEvidence(500, null))).isNewer(timed, target, running(unseen))).isFalse();
        assertThat(new OrderCheck(reporter, (prepare, app, commit) -> {
            throw new java.io.IOException("Heroku is away");
        }).isNewer(timed, target, running(unseen))).isFalse();
        assertThat(reporter.text()).contains("DEBUG Could not read the builds of d4e5f6a7: Heroku is away");
    }

    @Test
    void evidence_ofABuild_isTheFirstMarkerOfTheCommitsOwnBuilds() {
        String x = "a".repeat(40);
        io.github.herokupipeline.heroku.model.Build other = new io.github.herokupipeline.heroku.model.Build("b2",
                "succeeded", null, new io.github.herokupipeline.heroku.model.SourceBlob(null, "c".repeat(40), null,
                "Other" + new OrderEvidence(5, 5).marker()), null, null, null, null, null, null, null);
        io.github.herokupipeline.heroku.model.Build unmarked = new io.github.herokupipeline.heroku.model.Build("b1",
                "succeeded", null, new io.github.herokupipeline.heroku.model.SourceBlob(null, x, null, "Plain"), null,
                null, null, null, null, null, null);
        io.github.herokupipeline.heroku.model.Build marked = new io.github.herokupipeline.heroku.model.Build("b0",
                "succeeded", null, new io.github.herokupipeline.heroku.model.SourceBlob(null, x.toUpperCase(
                        java.util.Locale.ROOT), null, "Ours" + new OrderEvidence(7, 3).marker()), null, null, null,
                null, null, null, null);
        io.github.herokupipeline.heroku.model.Build noBlob = new io.github.herokupipeline.heroku.model.Build("b",
                "succeeded", null, null, null, null, null, null, null, null, null);

        assertThat(OrderEvidence.of(x, List.of(other, noBlob, unmarked, marked)))
                .contains(new OrderEvidence(7, 3, null, x));
        assertThat(OrderEvidence.of(x, List.of(other))).isEmpty();
        assertThat(OrderEvidence.of(null, List.of(marked))).isEmpty();
        assertThat(new OrderEvidence(1000, 10).relationOf(new OrderEvidence(999, 10)))
                .as("equal depths are never ordered by time").isEqualTo(CommitOrder.Relation.DIVERGED);
        assertThat(new CommitOrder(CommitOrder.Relation.AHEAD, 1, false).isAhead()).isTrue();
        assertThat(new CommitOrder(CommitOrder.Relation.BEHIND, 1, false).isAhead()).isFalse();
        assertThat(new CommitOrder(CommitOrder.Relation.BEHIND, 1, false).isBehind()).isTrue();
        assertThat(new CommitOrder(CommitOrder.Relation.AHEAD, 1, false).isBehind()).isFalse();
    }
}
