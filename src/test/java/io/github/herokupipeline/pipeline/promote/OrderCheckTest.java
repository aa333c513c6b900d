package io.github.herokupipeline.pipeline.promote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.Generation;
import io.github.herokupipeline.heroku.model.Ref;
import io.github.herokupipeline.heroku.model.Release;
import io.github.herokupipeline.pipeline.common.CommitLookup.Running;
import io.github.herokupipeline.pipeline.common.SourceSettings;
import io.github.herokupipeline.pipeline.promote.OrderCheck.Verdict;
import io.github.herokupipeline.pipeline.promote.PromoteReport.TargetResult;
import io.github.herokupipeline.pipeline.promote.PromoteSettings.OnNewerCommit;
import io.github.herokupipeline.source.Commit;
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
    void anotherLineOfHistory_isDeployed_sayingWhy() throws Exception {
        repo.git("checkout", "-q", "-b", "side", older);
        String side = repo.write("b", "side").commitAll("Side");
        repo.git("checkout", "-q", shipping);
        Verdict verdict = check(OnNewerCommit.SKIP, side);
        assertThat(verdict.deploy()).isTrue();
        assertThat(verdict.note()).contains("on another line of history");
    }
}
