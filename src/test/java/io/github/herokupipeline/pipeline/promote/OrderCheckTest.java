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
}
