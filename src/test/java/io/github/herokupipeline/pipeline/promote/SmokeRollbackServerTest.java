package io.github.herokupipeline.pipeline.promote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.herokupipeline.pipeline.check.Rollback;
import io.github.herokupipeline.pipeline.check.SmokeCheck;
import io.github.herokupipeline.pipeline.check.SmokeSettings;
import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.common.PrepareRecord;
import io.github.herokupipeline.pipeline.common.Waiting;
import io.github.herokupipeline.simulator.RecordedRequest;
import io.github.herokupipeline.testing.Await;
import io.github.herokupipeline.testing.FakeTime;
import io.github.herokupipeline.testing.PipelineFixture;
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
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Smoke checks after each target's release, automatic rollback, and the rollback goal's workflow. */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"cedar", "fir"})
@Execution(ExecutionMode.CONCURRENT) // each test has its own simulator, repository and instance
class SmokeRollbackServerTest {

    @Parameter
    String generation;


    private static final String OLD_SHA = "0123abcd".repeat(5);

    @TempDir
    Path temp;

    private PipelineFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new PipelineFixture(temp, generation);
        PrepareRecord record = f.prepare();
        Await.until(() -> f.sim.build(record.buildId()).status(), s -> !s.equals("pending"), Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() throws IOException {
        f.close();
    }

    /** A smoke check that gives up after one second: long enough for two attempts. */
    private PromoteSettings smoke(String pattern, String... targets) {
        return smokeWithin(Duration.ofSeconds(1), pattern, targets);
    }

    private PromoteSettings smokeWithin(Duration timeout, String pattern, String... targets) {
        return f.promoteTo(targets).withSmoke(new SmokeSettings(f.sim.apiUrl() + "/web/{app}/health", "2xx",
                pattern, timeout, true));
    }

    @Test
    void aBootingAppIsAskedEveryTwentiethOfASecondWhileAppsBoot_thenAtMostEveryTwoSeconds() throws Exception {
        String booting = "b0071e55".repeat(5);
        f.sim.seedRelease("foo-production", booting);
        f.sim.webApp(booting, 503, "booting", 0);
        FakeTime time = new FakeTime();
        SmokeCheck check = new SmokeCheck(new SmokeSettings(f.sim.apiUrl() + "/web/{app}/health", "2xx", null,
                Duration.ofSeconds(12), false), f.reporter, new Waiting(time, time, Duration.ofSeconds(30)), List.of());

        SmokeCheck.Outcome outcome = check.check(f.client.getApp("foo-production"), booting);

        assertThat(outcome.passed()).isFalse();
        List<Duration> expected = new java.util.ArrayList<>(java.util.Collections.nCopies(60, Duration.ofMillis(50)));
        expected.addAll(List.of(Duration.ofMillis(75), Duration.ofNanos(112_500_000), Duration.ofNanos(168_750_000),
                Duration.ofNanos(253_125_000), Duration.ofNanos(379_687_500), Duration.ofNanos(569_531_250),
                Duration.ofNanos(854_296_875), Duration.ofNanos(1_281_445_312), Duration.ofNanos(1_922_167_968),
                Duration.ofSeconds(2)));
        assertThat(time.sleeps()).containsExactlyElementsOf(expected);
    }

    @Test
    void whatTheNextTargetRuns_isReadBesideTheSmokeCheck_andNotAgainBeforeItsPromotion() throws Exception {
        ProductionReads reads = promoteToStagingThenProduction(300);

        assertThat(reads.afterStagingPassed()).as("read while staging booted, less than 2 s before").isEmpty();
        assertThat(reads.beforeStagingPassed()).as("the run's look-up, then the early read")
                .hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void whatTheNextTargetRuns_isReadAgain_afterASmokeCheckOfMoreThanTwoSeconds() throws Exception {
        ProductionReads reads = promoteToStagingThenProduction(3000);

        assertThat(reads.afterStagingPassed()).as("a read started over 2 s before is not trusted").hasSize(1);
    }

    /** The reads of what production runs, before staging's smoke check passed and from then to its promotion. */
    private record ProductionReads(List<RecordedRequest> beforeStagingPassed,
            List<RecordedRequest> afterStagingPassed) {}

    /** Promotes to staging, then production, each booting in {@code bootMillis}; production's reads meanwhile. */
    private ProductionReads promoteToStagingThenProduction(long bootMillis) throws Exception {
        f.sim.seedRelease("foo-production", OLD_SHA);
        f.sim.webApp(f.sha, 200, "{\"status\":\"ok\"}", bootMillis);
        f.sim.clearRequests();

        PromoteReport report = f.promote(smokeWithin(Duration.ofSeconds(10), null, "foo-staging", "foo-production"));

        assertThat(report.success()).isTrue();
        List<RecordedRequest> requests = f.sim.requests();
        java.time.Instant stagingPassed = last(requests, "GET", "/web/foo-staging/.*").received();
        java.time.Instant productionPromoted = last(requests, "POST", "/pipeline-promotions").received();
        List<RecordedRequest> reads = requests.stream().filter(r -> r.is("GET", "/apps/foo-production/releases"))
                .toList();
        return new ProductionReads(reads.stream().filter(r -> r.received().isBefore(stagingPassed)).toList(),
                reads.stream().filter(r -> r.received().isAfter(stagingPassed)
                        && r.received().isBefore(productionPromoted)).toList());
    }

    private static RecordedRequest last(List<RecordedRequest> requests, String method, String path) {
        return requests.stream().filter(r -> r.is(method, path)).reduce((first, second) -> second).orElseThrow();
    }

    @Test
    void anUnusableSmokeUrl_failsBeforeAnyTargetChanges() throws Exception {
        f.sim.clearRequests();
        PromoteSettings settings = f.promoteTo("foo-staging").withSmoke(new SmokeSettings("htps://{app}.example.com/",
                "2xx", null, Duration.ofSeconds(1), true));

        assertThatThrownBy(() -> f.promote(settings)).isInstanceOf(DeployException.class)
                .hasMessageContaining("<smokeUrl> 'htps://{app}.example.com/' is not usable");

        assertThat(f.sim.apiRequests()).isEmpty();
        assertThat(f.sim.currentRelease("foo-staging")).isNull();
    }

    @Test
    void smokeCheck_passesAfterRetries_whileTheAppBoots() throws Exception {
        f.sim.webApp(f.sha, 200, "{\"status\":\"ok\"}", 1200);

        PromoteReport report = f.promote(smokeWithin(Duration.ofSeconds(10), "\"status\":\"ok\"", "foo-staging"));

        assertThat(report.success()).isTrue();
        assertThat(f.reporter.text()).contains("foo-staging: smoke check attempt 1: HTTP 503")
                .containsPattern("smoke check attempt \\d+: HTTP 200");
        assertThat(report.targets()).singleElement().satisfies(t -> assertThat(t.smoke()).contains("passed"));
    }

    @Test
    void smokeCheckFails_theTargetIsRolledBackToItsPreviousRelease() throws Exception {
        f.sim.seedRelease("foo-staging", OLD_SHA);
        f.sim.webApp(f.sha, 500, "Internal Server Error", 0);
        f.sim.appHandle("foo-staging").releasePhase(200, false);

        assertThatThrownBy(() -> f.promote(smoke(null, "foo-staging"))).isInstanceOf(DeployException.class)
                .hasMessageContaining("smoke check of " + f.sim.apiUrl() + "/web/foo-staging/health failed")
                .hasMessageContaining("HTTP 500, expected 2xx")
                .hasMessageContaining("rolled back from v2 to v1 (" + OLD_SHA.substring(0, 8) + "), new release v3 succeeded");
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(OLD_SHA);
        assertThat(f.sim.currentRelease("foo-staging").description()).isEqualTo("Rollback to v1");
        assertThat(f.reporter.text()).contains("[foo-staging release] Running release command");
        assertThat(Files.readString(f.source().workDirectory().resolve("promote-foo-prepare.json")))
                .contains("\"rollback\": \"foo-staging: rolled back from v2 to v1");
    }

    @Test
    void aDeployDuringTheWaitForThePrepareBuild_isWhatARollbackGoesBackTo() throws Exception {
        String someoneElses = "5e1f5e1f".repeat(5);
        f.sim.seedRelease("foo-staging", OLD_SHA);
        f.sim.webApp(f.sha, 500, "down", 0);
        f.sim.timing().buildMillis = 1500;
        f.repo.write("CHANGELOG.md", "a new commit, so a new prepare build\n");
        String head = f.repo.commitAll("Another change");
        f.sim.webApp(head, 500, "down", 0);
        f.prepare();
        java.util.concurrent.ScheduledExecutorService other = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor();
        try {
            other.schedule(() -> f.sim.seedRelease("foo-staging", someoneElses), 400,
                    java.util.concurrent.TimeUnit.MILLISECONDS);

            assertThatThrownBy(() -> f.promote(smoke(null, "foo-staging"))).isInstanceOf(DeployException.class)
                    .hasMessageContaining("rolled back from v3 to v2");
        } finally {
            other.shutdownNow();
        }
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(someoneElses);
    }

    @Test
    void bodyPatternMismatch_failsTheSmokeCheck() throws Exception {
        f.sim.seedRelease("foo-staging", OLD_SHA);
        f.sim.webApp(f.sha, 200, "<h1>Maintenance</h1>", 0);

        assertThatThrownBy(() -> f.promote(smoke("\"status\":\"ok\"", "foo-staging")))
                .isInstanceOf(DeployException.class).hasMessageContaining("does not match");
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(OLD_SHA);
    }

    @Test
    void underPreboot_aCheckThatDoesNotNameTheCommit_passesOnTheOldRelease_andPromoteSaysSo() throws Exception {
        f.sim.seedRelease("foo-staging", OLD_SHA);
        f.sim.preboot("foo-staging", 60_000);

        PromoteReport report = f.promote(smoke("\"status\":\"ok\"", "foo-staging"));

        assertThat(report.success()).isTrue();
        assertThat(f.reporter.text()).contains("foo-staging has preboot on: for some minutes after a release its old"
                + " dynos keep answering, so the smoke check may pass on the release it replaces")
                .contains("<smokeBodyPattern>{commit}</smokeBodyPattern>")
                .contains("smoke check response body: {\"status\":\"ok\",\"app\":\"foo-staging\",\"commit\":\""
                        + OLD_SHA + "\"}");
        assertThat(f.sim.apiRequests()).filteredOn(r -> r.is("GET", "/apps/foo-staging/features/preboot")).hasSize(1);
    }

    @Test
    void underPreboot_aCheckThatNamesTheCommit_passesOnlyOnceTheNewReleaseAnswers() throws Exception {
        f.sim.seedRelease("foo-staging", OLD_SHA);
        f.sim.preboot("foo-staging", 2000); // over a second past the tenth attempt

        PromoteReport report = f.promote(smokeWithin(Duration.ofSeconds(10), "\"commit\":\"{commit}\"",
                "foo-staging"));

        assertThat(report.success()).isTrue();
        String notYet = ": HTTP 200, but the body does not match /\"commit\":\"{commit}\"/ ({commit}: " + f.sha + ")";
        assertThat(f.reporter.text()).as("the same answer again is logged at debug level, every tenth at info")
                .contains("INFO foo-staging: smoke check attempt 1" + notYet)
                .contains("DEBUG foo-staging: smoke check attempt 2" + notYet)
                .contains("INFO foo-staging: smoke check attempt 10" + notYet)
                .containsPattern("INFO foo-staging: smoke check attempt \\d+: HTTP 200\n");
        assertThat(f.reporter.text()).contains("foo-staging has preboot on: the new release receives requests only some"
                + " minutes after its dynos booted, and <smokeTimeout> (-Dheroku.smokeTimeout) 10s may run out"
                + " before, failing the check and rolling back a good release. Set it to 6m or more.");
        List<RecordedRequest> checks = f.sim.requests().stream().filter(r -> r.is("GET", "/web/foo-staging/.*"))
                .toList();
        java.time.Instant promoted = last(f.sim.requests(), "POST", "/pipeline-promotions").received();
        assertThat(Duration.between(promoted, checks.get(checks.size() - 1).received()))
                .as("the passing attempt came after the router switched")
                .isGreaterThanOrEqualTo(Duration.ofMillis(2000));
    }

    @Test
    void aPrebootFeatureThatCannotBeRead_neitherWarnsNorHoldsUpTheDeploy() throws Exception {
        f.sim.seedRelease("foo-staging", OLD_SHA);
        f.sim.preboot("foo-staging", 60_000);
        f.sim.faults().failNext("GET", "/apps/foo-staging/features/preboot", 1, 404);

        PromoteReport report = f.promote(smoke(null, "foo-staging"));

        assertThat(report.success()).isTrue();
        assertThat(f.reporter.text()).doesNotContain("preboot on");
    }

    @Test
    void aCheckThatNamesTheCommit_failsOnAnAppThatAnswersForAnotherCommit() throws Exception {
        f.sim.seedRelease("foo-staging", OLD_SHA);
        f.sim.webApp(f.sha, 200, "{\"status\":\"ok\",\"commit\":\"" + OLD_SHA + "\"}", 0);

        assertThatThrownBy(() -> f.promote(smoke("\"commit\":\"{commit}\"", "foo-staging")))
                .isInstanceOf(DeployException.class).hasMessageContaining("does not match")
                .hasMessageContaining("({commit}: " + f.sha + ")").hasMessageContaining("rolled back from v2 to v1");
        assertThat(f.reporter.text()).doesNotContain("preboot on");
    }

    @Test
    void failedRollback_isReportedWithTheSmokeFailure() throws Exception {
        f.sim.seedRelease("foo-staging", OLD_SHA);
        f.sim.webApp(f.sha, 500, "down", 0);
        f.sim.faults().failNext("POST", "/apps/foo-staging/releases", 1, 422);

        assertThatThrownBy(() -> f.promote(smoke(null, "foo-staging"))).isInstanceOf(DeployException.class)
                .hasMessageContaining("HTTP 500").hasMessageContaining("foo-staging: rollback failed");
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(f.sha);
    }

    @Test
    void firstTargetFails_theSecondIsNotTouched() throws Exception {
        f.sim.seedRelease("foo-production", OLD_SHA);
        f.sim.seedRelease("foo-production-eu", OLD_SHA);
        f.sim.webApp(f.sha, 500, "down", 0);

        assertThatThrownBy(() -> f.promote(smoke(null, "foo-production", "foo-production-eu")))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("foo-production-eu: not attempted");
        assertThat(f.sim.currentRelease("foo-production").commit()).isEqualTo(OLD_SHA);
        assertThat(f.sim.releases("foo-production-eu")).hasSize(1);
        long promotions = f.sim.apiRequests().stream().filter(r -> r.is("POST", "/pipeline-promotions")).count();
        assertThat(promotions).isEqualTo(1);
    }

    @Test
    void firstReleaseOfAnApp_isNotRolledBack() throws Exception {
        f.sim.webApp(f.sha, 500, "down", 0);

        assertThatThrownBy(() -> f.promote(smoke(null, "foo-staging"))).isInstanceOf(DeployException.class)
                .hasMessageContaining("not rolled back: this was the app's first release");
    }

    @Test
    void fallbackBuild_isSmokeCheckedToo() throws Exception {
        f.sim.seedRelease("foo-staging", OLD_SHA);
        f.sim.webApp(f.sha, 500, "down", 0);
        PromoteSettings settings = smoke(null, "foo-staging");
        PromoteSettings noPrepare = new PromoteSettings("foo-prepare", settings.targetApps(), settings.source(),
                settings.onMissingPrepare(), settings.onPrepareFailure(), settings.buildTimeout(),
                settings.promotionTimeout(), false, List.of(), null, settings.smoke(), PromoteSettings.OnNewerCommit.SKIP);
        f.sim.expireRelease("foo-prepare", f.sim.builds("foo-prepare").get(0).releaseId());

        assertThatThrownBy(() -> f.promote(noPrepare)).isInstanceOf(DeployException.class)
                .hasMessageContaining("rolled back from v2 to v1");
        assertThat(f.sim.builds("foo-staging")).hasSize(1);
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(OLD_SHA);
    }

    @Test
    void rollbackGoal_goesBackToThePreviousRelease_orTheOneNamed() throws Exception {
        f.sim.seedRelease("foo-staging", "1".repeat(40));
        f.sim.seedRelease("foo-staging", "2".repeat(40));
        f.sim.seedRelease("foo-staging", "3".repeat(40));
        Rollback rollback = new Rollback(f.client, f.reporter, f.waiting);

        List<Rollback.Result> previous = rollback.rollBack(List.of("foo-staging"), null, Duration.ofSeconds(10));
        assertThat(previous).singleElement().satisfies(r -> assertThat(r.describe())
                .isEqualTo("foo-staging: rolled back from v3 to v2 (22222222), new release v4 succeeded"));
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo("2".repeat(40));

        rollback.rollBack(List.of("foo-staging"), "v1", Duration.ofSeconds(10));
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo("1".repeat(40));

        assertThatThrownBy(() -> rollback.rollBack(List.of("foo-staging"), "v99", Duration.ofSeconds(10)))
                .isInstanceOf(DeployException.class).hasMessageContaining("no release 'v99'");
    }
}
