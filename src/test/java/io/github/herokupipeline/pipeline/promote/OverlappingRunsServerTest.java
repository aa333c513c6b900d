package io.github.herokupipeline.pipeline.promote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.common.PrepareRecord;
import io.github.herokupipeline.pipeline.common.SourceSettings;
import io.github.herokupipeline.pipeline.prepare.Preparation;
import io.github.herokupipeline.pipeline.prepare.PrepareSettings;
import io.github.herokupipeline.pipeline.promote.PromoteReport.TargetResult;
import io.github.herokupipeline.pipeline.promote.PromoteSettings.OnNewerCommit;
import io.github.herokupipeline.simulator.HerokuSimulator;
import io.github.herokupipeline.testing.Await;
import io.github.herokupipeline.testing.PipelineFixture;
import io.github.herokupipeline.testing.TestRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Two CI runs overlap: run A ships commit A while run B ships B, a child of A. Whatever finishes first, no target
 * goes back in time. History: parent P, then A, then B on main; D branches off P.
 */
@Execution(ExecutionMode.CONCURRENT) // each test has its own simulator, repository and instance
class OverlappingRunsServerTest {

    private static final String FOREIGN_SHA = "d4e5f6a7".repeat(5);

    @TempDir
    Path temp;

    private PipelineFixture f;
    private String parent;
    private String a;
    private String b;
    private String diverged;

    @BeforeEach
    void start() throws IOException {
        f = new PipelineFixture(temp);
        parent = f.sha;
        a = f.repo.write("a.txt", "A").commitAll("Commit A");
        f.repo.git("checkout", "-q", "-b", "other", parent);
        diverged = f.repo.write("d.txt", "D").commitAll("Commit D");
        f.repo.git("checkout", "-q", "main");
        b = f.repo.write("b.txt", "B").commitAll("Commit B");
    }

    @AfterEach
    void stop() throws IOException {
        f.close();
    }

    private SourceSettings at(Path root, String commit) {
        return new SourceSettings(root, null, commit, false, root.resolve("target/heroku-pipeline"));
    }

    private PromoteSettings ship(String commit, OnNewerCommit policy) {
        return ship(at(f.repo.root(), commit), policy);
    }

    /** The promote another CI run sends from its own checkout at {@code clone} (its HEAD). */
    private PromoteSettings shipFrom(Path clone) {
        return ship(at(clone, null), OnNewerCommit.SKIP);
    }

    private PromoteSettings ship(SourceSettings source, OnNewerCommit policy) {
        PromoteSettings base = f.promoteTo("foo-staging");
        return new PromoteSettings(base.prepareApp(), base.targetApps(), source, base.onMissingPrepare(),
                base.onPrepareFailure(), base.buildTimeout(), base.promotionTimeout(), false, List.of(), null, null,
                policy);
    }

    /** A clone of the test repository at {@code branch}, into {@code name}, with git's {@code options}. */
    private Path clone(String name, String branch, String... options) throws Exception {
        Path clone = temp.resolve(name);
        List<String> command = new java.util.ArrayList<>(List.of("clone", "-q"));
        command.addAll(List.of(options));
        command.addAll(List.of("--branch", branch, f.repo.root().toUri().toString(), clone.toString()));
        TestRepo.open(temp).git(command.toArray(String[]::new));
        return clone;
    }

    private PrepareRecord prepare(String commit, boolean cancelSuperseded) throws Exception {
        return new Preparation(f.client, f.reporter, f.waiting).prepare(new PrepareSettings("foo-prepare",
                at(f.repo.root(), commit), List.of(), cancelSuperseded));
    }

    private void prepared(String commit) throws Exception {
        PrepareRecord record = new Preparation(f.client, f.reporter, f.waiting).prepare(new PrepareSettings(
                "foo-prepare", at(f.repo.root(), commit), List.of(), false));
        Await.until(() -> f.sim.build(record.buildId()).status(), s -> !s.equals("pending"), Duration.ofSeconds(10));
    }

    @Test
    void targetAhead_isLeftAlone_reportedAsSkipped_andTheRunSucceeds() throws Exception {
        prepared(a);
        f.sim.seedRelease("foo-staging", b);

        PromoteReport report = f.promote(ship(a, OnNewerCommit.SKIP));

        assertThat(report.success()).isTrue();
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(b);
        assertThat(f.sim.apiRequests()).noneMatch(r -> r.is("POST", "/pipeline-promotions"));
        assertThat(f.reporter.text()).contains("foo-staging already runs " + b.substring(0, 8)
                + ", 1 commit ahead of " + a.substring(0, 8) + ": leaving it (heroku.onNewerCommit=skip)");
        assertThat(report.targets()).singleElement().satisfies(t -> {
            assertThat(t.outcome()).isEqualTo(TargetResult.SKIPPED);
            assertThat(t.note()).contains("1 commit ahead");
        });
        assertThat(Files.readString(at(f.repo.root(), a).workDirectory().resolve("promote-foo-prepare.json")))
                .contains("\"outcome\": \"skipped\"");
    }

    @Test
    void targetAhead_withFail_failsTheBuild_withoutChangingIt() throws Exception {
        prepared(a);
        f.sim.seedRelease("foo-staging", b);

        assertThatThrownBy(() -> f.promote(ship(a, OnNewerCommit.FAIL))).isInstanceOf(DeployException.class)
                .hasMessageContaining("1 commit ahead of " + a.substring(0, 8))
                .hasMessageContaining("heroku.onNewerCommit=fail");
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(b);
    }

    @Test
    void targetAhead_withDeploy_isTakenBackOnPurpose() throws Exception {
        prepared(a);
        f.sim.seedRelease("foo-staging", b);

        PromoteReport report = f.promote(ship(a, OnNewerCommit.DEPLOY));

        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(a);
        assertThat(report.targets()).singleElement().satisfies(t -> {
            assertThat(t.outcome()).isEqualTo(TargetResult.PROMOTED);
            assertThat(t.note()).contains("deployed anyway");
        });
    }

    @Test
    void targetBehind_isDeployed_withoutANote() throws Exception {
        prepared(a);
        f.sim.seedRelease("foo-staging", parent);

        PromoteReport report = f.promote(ship(a, OnNewerCommit.SKIP));

        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(a);
        assertThat(report.targets()).singleElement().satisfies(t -> assertThat(t.note()).isNull());
    }

    @Test
    void targetOnAnotherBranch_isDeployed_sayingTheOrderIsUnrelated() throws Exception {
        prepared(a);
        f.sim.seedRelease("foo-staging", diverged);

        PromoteReport report = f.promote(ship(a, OnNewerCommit.SKIP));

        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(a);
        assertThat(f.reporter.text()).contains("foo-staging runs " + diverged.substring(0, 8)
                + ", which is on another line of history than " + a.substring(0, 8));
        assertThat(report.targets().get(0).note()).contains("neither descends from the other");
    }

    @Test
    void targetOnACommitGitDoesNotKnow_isDeployed_sayingTheOrderCouldNotBeChecked() throws Exception {
        prepared(a);
        f.sim.seedRelease("foo-staging", FOREIGN_SHA);

        f.promote(ship(a, OnNewerCommit.SKIP));

        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(a);
        assertThat(f.reporter.text()).contains("which local git history does not have (another branch")
                .contains("could not be checked: deploying");
    }

    @Test
    void anOlderCloneWithoutTheNewerCommit_neverTakesATargetBack_byWhatTheNewerBuildRecorded() throws Exception {
        f.repo.git("branch", "at-a", a);
        Path clone = clone("older-clone", "at-a", "--single-branch");
        prepared(b);
        f.promote(ship(b, OnNewerCommit.SKIP));
        prepared(a);

        PromoteReport report = f.promote(shipFrom(clone));

        assertThat(report.success()).isTrue();
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(b);
        assertThat(report.targets()).singleElement().satisfies(t -> {
            assertThat(t.outcome()).isEqualTo(TargetResult.SKIPPED);
            assertThat(t.note()).contains("which local git history does not have")
                    .contains("but it is newer than " + a.substring(0, 8) + " by what its build recorded on Heroku")
                    .contains("first-parent depth 3 against 2");
        });
    }

    @Test
    void aShallowClone_neverTakesATargetBack_evenWhenBothCommitsShareTheirSecond() throws Exception {
        long second = 1_760_000_000L;
        String older = f.repo.write("c.txt", "C").commitAllAt("Commit C", second);
        String newer = f.repo.write("d.txt", "D").commitAllAt("Commit D", second);
        f.repo.git("branch", "at-older", older);
        Path shallow = clone("shallow-clone", "at-older", "--depth", "1");
        prepared(newer);
        f.promote(ship(newer, OnNewerCommit.SKIP));
        prepared(older);

        PromoteReport report = f.promote(shipFrom(shallow));

        assertThat(report.success()).isTrue();
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(newer);
        assertThat(report.targets()).singleElement().satisfies(t -> {
            assertThat(t.outcome()).isEqualTo(TargetResult.SKIPPED);
            assertThat(t.note()).contains("a shallow clone")
                    .contains("but it is newer than " + older.substring(0, 8) + " by what its build recorded on"
                            + " Heroku (its first parent is " + older.substring(0, 8) + ";");
        });
    }

    @Test
    void aShallowClone_leavesCommitsOfTheSameSecondWithoutALink_toOnUnknownOrder() throws Exception {
        long second = 1_760_000_000L;
        String older = f.repo.write("c.txt", "C").commitAllAt("Commit C", second);
        String between = f.repo.write("d.txt", "D").commitAllAt("Commit D", second);
        String newer = f.repo.write("e.txt", "E").commitAllAt("Commit E", second);
        f.repo.git("branch", "at-older", older);
        Path shallow = clone("shallow-clone", "at-older", "--depth", "1");
        prepared(newer);
        f.promote(ship(newer, OnNewerCommit.SKIP));
        prepared(older);
        PromoteSettings fromShallowClone = shipFrom(shallow).withOnUnknownOrder(PromoteSettings.OnUnknownOrder.FAIL);

        assertThatThrownBy(() -> f.promote(fromShallowClone)).isInstanceOf(DeployException.class)
                .hasMessageContaining("committed within the same second")
                .hasMessageContaining("heroku.onUnknownOrder=fail");

        assertThat(between).isNotEqualTo(newer);
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(newer);
    }

    @Test
    void aReleaseDeployedByOtherMeans_isLeftAlone_whenOnUnknownOrderSaysSkip() throws Exception {
        prepared(a);
        f.sim.seedRelease("foo-staging", FOREIGN_SHA);

        PromoteReport report = f.promote(ship(a, OnNewerCommit.SKIP)
                .withOnUnknownOrder(PromoteSettings.OnUnknownOrder.SKIP));

        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(FOREIGN_SHA);
        assertThat(report.targets()).singleElement().satisfies(t -> assertThat(t.outcome())
                .isEqualTo(TargetResult.SKIPPED));
        assertThat(f.reporter.text()).contains("nor does any build of it on Heroku record its place in history")
                .contains("leaving it (heroku.onUnknownOrder=skip)");
    }

    @Test
    void twoRunsWhoseChecksBothPass_endOnTheNewerCommit_theOlderReportedSuperseded() throws Exception {
        prepared(a);
        prepared(b);
        f.sim.seedRelease("foo-staging", parent);
        f.sim.faults().holdNextPromotionTo("foo-staging", 4000); // run A's promotion lands after run B's
        java.util.concurrent.atomic.AtomicReference<PromoteReport> older = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread runA = new Thread(() -> {
            try {
                older.set(f.promote(ship(a, OnNewerCommit.SKIP)));
            } catch (Exception e) {
                failed.set(e);
            }
        }, "run A");
        runA.start();
        Await.until(() -> f.sim.apiRequests().stream().anyMatch(r -> r.is("POST", "/pipeline-promotions")),
                sent -> sent, Duration.ofSeconds(20));

        PromoteReport newer = f.promote(ship(b, OnNewerCommit.SKIP));
        runA.join(60_000);

        assertThat(failed.get()).isNull();
        assertThat(newer.success()).isTrue();
        assertThat(older.get().success()).isTrue();
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(b);
        assertThat(older.get().targets()).singleElement().satisfies(t -> {
            assertThat(t.outcome()).isEqualTo(TargetResult.SUPERSEDED);
            assertThat(t.note()).contains(b.substring(0, 8) + " (release v").contains("was put back");
        });
        assertThat(f.reporter.text()).contains("between the order check and the release of " + a.substring(0, 8)
                + ": putting " + b.substring(0, 8) + " back");
    }

    @Test
    void shallowClone_saysHowToFetchTheHistory() throws Exception {
        Path clone = clone("shallow", "main", "--depth", "1");
        f.sim.seedRelease("foo-staging", a);

        f.promote(shipFrom(clone));

        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(b);
        assertThat(f.reporter.text()).contains("a shallow clone: fetch the full history, e.g. fetch-depth: 0");
    }

    @Test
    void dryRun_showsTheSkip_andChangesNothing() throws Exception {
        prepared(a);
        f.sim.seedRelease("foo-staging", b);
        f.sim.clearRequests();
        PromoteSettings base = ship(a, OnNewerCommit.SKIP);
        PromoteSettings dryRun = new PromoteSettings(base.prepareApp(), base.targetApps(), base.source(),
                base.onMissingPrepare(), base.onPrepareFailure(), base.buildTimeout(), base.promotionTimeout(),
                true, List.of(), null, null, OnNewerCommit.SKIP);

        PromoteReport report = f.promote(dryRun);

        assertThat(report.decision()).isEqualTo(PromoteReport.DRY_RUN);
        assertThat(report.targets()).singleElement()
                .satisfies(t -> assertThat(t.outcome()).isEqualTo(TargetResult.SKIPPED));
        assertThat(f.reporter.text()).contains("[dry run] foo-staging already runs " + b.substring(0, 8));
        assertThat(f.sim.apiRequests()).allMatch(r -> r.method().equals("GET"));
    }

    @Test
    void newerRunShipsWhileThisOneWaitsForItsBuild_theTargetStaysOnTheNewerCommit() throws Exception {
        f.sim.timing().buildMillis = 1500;
        new Preparation(f.client, f.reporter, f.waiting).prepare(new PrepareSettings("foo-prepare",
                at(f.repo.root(), a), List.of(), false));
        Thread newerRun = new Thread(() -> {
            try {
                Thread.sleep(300);
                f.sim.seedRelease("foo-staging", b); // run B ships first while run A waits for its build
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        newerRun.start();

        PromoteReport report = f.promote(ship(a, OnNewerCommit.SKIP));
        newerRun.join();

        assertThat(report.waitedForPrepareSeconds()).isGreaterThan(0.3);
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(b);
        assertThat(report.targets()).singleElement()
                .satisfies(t -> assertThat(t.outcome()).isEqualTo(TargetResult.SKIPPED));
    }

    @Test
    void aPrepareBuildCancelledByANewerCommitsPrepare_isMissingNotFailed_andTheRunStillShips() throws Exception {
        f.sim.timing().buildMillis = 2000;
        PrepareRecord runA = prepare(a, false);
        PrepareRecord runB = prepare(b, true); // run B supersedes run A's build

        PromoteReport report = f.promote(ship(a, OnNewerCommit.SKIP));

        assertThat(f.sim.build(runA.buildId()).status()).isEqualTo("failed");
        assertThat(report.success()).isTrue();
        assertThat(report.decision()).isEqualTo(PromoteReport.BUILD);
        assertThat(report.reason()).contains("was cancelled by the prepare of " + b.substring(0, 8) + " (build "
                + runB.buildId().substring(0, 8) + "), a newer commit");
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(a);
    }

    @Test
    void aPrepareBuildThatReallyFailed_stillFailsTheRun() throws Exception {
        f.sim.appHandle("foo-prepare").nextBuild(HerokuSimulator.BuildScript.failing("[ERROR] compilation failed"));
        PrepareRecord runA = prepare(a, false);
        Await.until(() -> f.sim.build(runA.buildId()).status(), s -> !s.equals("pending"), Duration.ofSeconds(10));
        prepare(b, true); // a newer prepare after the failure has nothing of A's to cancel

        assertThatThrownBy(() -> f.promote(ship(a, OnNewerCommit.SKIP))).isInstanceOf(DeployException.class)
                .hasMessageContaining("failed; the targets would fail the same way");
    }
}
