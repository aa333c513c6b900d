package io.github.herokupipeline.pipeline.promote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.common.PrepareRecord;
import io.github.herokupipeline.pipeline.common.SourceSettings;
import io.github.herokupipeline.pipeline.promote.PromoteReport.TargetResult;
import io.github.herokupipeline.simulator.HerokuSimulator.BuildScript;
import io.github.herokupipeline.simulator.RecordedRequest;
import io.github.herokupipeline.source.SourceException;
import io.github.herokupipeline.testing.Await;
import io.github.herokupipeline.testing.PipelineFixture;
import io.github.herokupipeline.testing.TestRepo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

/** Every decision path of promote, against the simulator. */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"cedar", "fir"})
@Execution(ExecutionMode.CONCURRENT) // each test has its own simulator, repository and instance
class PromotionServerTest {

    @Parameter
    String generation;


    private static final String OTHER_SHA = "d4e5f6a7".repeat(5);

    @TempDir
    Path temp;

    private PipelineFixture f;

    @BeforeEach
    void start() throws IOException {
        f = new PipelineFixture(temp, generation);
    }

    @AfterEach
    void stop() throws IOException {
        f.close();
    }

    private String prepareAndAwait() throws Exception {
        PrepareRecord record = f.prepare();
        Await.until(() -> f.sim.build(record.buildId()).status(), s -> !s.equals("pending"), Duration.ofSeconds(10));
        return record.buildId();
    }

    private List<RecordedRequest> promotionPosts() {
        return f.sim.apiRequests().stream().filter(r -> r.is("POST", "/pipeline-promotions")).toList();
    }

    @Test
    void preparedBuild_succeeded_promotesExactlyItsRelease() throws Exception {
        String buildId = prepareAndAwait();
        String releaseId = f.sim.build(buildId).releaseId();

        PromoteReport report = f.promote(f.promoteTo("foo-staging"));

        assertThat(report.success()).isTrue();
        assertThat(report.decision()).isEqualTo(PromoteReport.PROMOTE);
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(f.sha);
        assertThat(promotionPosts()).singleElement()
                .satisfies(post -> assertThat(post.body()).contains("\"release\":{\"id\":\"" + releaseId + "\"}"));
        assertThat(f.sim.builds("foo-staging")).as("no rebuild on the target").isEmpty();
        assertThat(f.reporter.text()).contains("Promoting release v1 of foo-prepare (build " + buildId.substring(0, 8)
                + " for " + f.sha.substring(0, 8) + ", " + f.artifactNoun() + ") to foo-staging");
        assertThat(report.targets()).singleElement().satisfies(t -> {
            assertThat(t.outcome()).isEqualTo(TargetResult.PROMOTED);
            assertThat(t.commit()).isEqualTo(f.sha);
        });
        String json = Files.readString(f.source().workDirectory().resolve("promote-foo-prepare.json"), StandardCharsets.UTF_8);
        assertThat(json).contains("\"decision\": \"promote\"").contains("\"success\": true");
    }

    @Test
    void preparedBuild_stillRunning_isAwaitedWithItsLogStreamed() throws Exception {
        f.sim.timing().buildMillis = 2000;
        f.sim.timing().buildLogLines = 1; // five lines, 400 ms apart: quieter than the 300 ms heartbeat
        f.prepare();

        PromoteReport report = f.promote(f.promoteTo("foo-staging"));

        assertThat(report.success()).isTrue();
        assertThat(report.waitedForPrepareSeconds()).isGreaterThan(0.5);
        boolean fir = "fir".equals(generation);
        assertThat(f.reporter.text()).contains("Waiting for build")
                .contains(fir ? "INFO [foo-prepare] ===> FETCHING SOURCE" : "INFO [foo-prepare] -----> Building")
                .contains(fir ? "INFO [foo-prepare] ===> EXPORTING" : "INFO [foo-prepare] -----> Launching");
        assertThat(f.reporter.text()).as("heartbeat while the log is quiet").contains("... still waiting for build");
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(f.sha);
    }

    @Test
    void race_aNewerCommitLandsOnThePrepareApp_ourReleaseIsStillPromoted() throws Exception {
        f.sim.timing().buildMillis = 300;
        f.prepare();
        f.sim.createApp("unused"); // keeps app ids distinct from ordering assumptions
        f.sim.appHandle("foo-prepare").nextBuild(BuildScript.succeeding(600));
        f.sim.startBuild("foo-prepare", OTHER_SHA); // lands while our promotion is in flight
        f.sim.faults().delayNext("POST", "/pipeline-promotions", 1, 700);

        f.promote(f.promoteTo("foo-staging"));

        assertThat(f.sim.currentRelease("foo-prepare").commit()).as("the newer build is current on prepare")
                .isEqualTo(OTHER_SHA);
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(f.sha);
    }

    @Test
    void noPrepareBuild_buildsOnTheTargets() throws Exception {
        PromoteReport report = f.promote(f.promoteTo("foo-staging", "foo-production"));

        assertThat(report.decision()).isEqualTo(PromoteReport.BUILD);
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(f.sha);
        assertThat(f.sim.currentRelease("foo-production").commit()).isEqualTo(f.sha);
        assertThat(promotionPosts()).isEmpty();
        assertThat(f.reporter.text()).contains("has no build at all: building " + f.sha.substring(0, 8)
                + " on foo-staging, foo-production");
        assertThat(report.targets()).extracting(TargetResult::outcome).containsOnly(TargetResult.BUILT);
    }

    @Test
    void stalePrepareBuild_ofAnotherCommit_buildsOnTheTarget_sayingWhy() throws Exception {
        f.sim.startBuild("foo-prepare", OTHER_SHA);
        f.sim.awaitIdle(Duration.ofSeconds(10));

        f.promote(f.promoteTo("foo-staging"));

        assertThat(f.reporter.text()).contains("The newest prepare build on foo-prepare is for d4e5f6a7, HEAD is "
                + f.sha.substring(0, 8) + ": building " + f.sha.substring(0, 8) + " on foo-staging");
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(f.sha);
    }

    @Test
    void noPrepareBuild_withOnMissingPrepareFail_fails() {
        PromoteSettings settings = withPolicies(f.promoteTo("foo-staging"), PromoteSettings.OnMissingPrepare.FAIL,
                PromoteSettings.OnPrepareFailure.FAIL);
        assertThatThrownBy(() -> f.promote(settings)).isInstanceOf(DeployException.class)
                .hasMessageContaining("Nothing to promote").hasMessageContaining("onMissingPrepare");
        assertThat(f.sim.builds("foo-staging")).isEmpty();
    }

    @Test
    void failedPrepareBuild_failsWithItsLogTailAndBuildId() throws Exception {
        f.sim.appHandle("foo-prepare").nextBuild(BuildScript.failing("[ERROR] COMPILATION ERROR: App.java:[3,1]"));
        String buildId = prepareAndAwait();

        assertThatThrownBy(() -> f.promote(f.promoteTo("foo-staging"))).isInstanceOf(DeployException.class)
                .hasMessageContaining(buildId).hasMessageContaining("COMPILATION ERROR")
                .hasMessageContaining("onPrepareFailure");
        assertThat(f.sim.builds("foo-staging")).isEmpty();
        assertThat(Files.readString(f.source().workDirectory().resolve("promote-foo-prepare.json"))).contains("\"success\": false");
    }

    @Test
    void failedPrepareBuild_withOnPrepareFailureBuild_buildsOnTheTarget() throws Exception {
        f.sim.appHandle("foo-prepare").nextBuild(BuildScript.failing("flaky"));
        prepareAndAwait();

        PromoteReport report = f.promote(withPolicies(f.promoteTo("foo-staging"),
                PromoteSettings.OnMissingPrepare.BUILD, PromoteSettings.OnPrepareFailure.BUILD));

        assertThat(report.decision()).isEqualTo(PromoteReport.BUILD);
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(f.sha);
    }

    @Test
    void oneOfTwoTargetsFails_theBuildFailsNamingIt_evenThoughThePromotionCompleted() throws Exception {
        prepareAndAwait();
        f.sim.faults().failPromotionTo("foo-production-eu", "User does not have access to that app");

        assertThatThrownBy(() -> f.promote(f.promoteTo("foo-production", "foo-production-eu")))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("failed on 1 of 2 target app(s)")
                .hasMessageContaining("foo-production-eu: failed - User does not have access to that app")
                .hasMessageContaining("foo-production: promoted");
        assertThat(f.sim.currentRelease("foo-production").commit()).isEqualTo(f.sha);
        assertThat(f.sim.currentRelease("foo-production-eu")).isNull();
    }

    @Test
    void failedReleasePhaseOnTheTarget_failsTheBuild() throws Exception {
        prepareAndAwait();
        f.sim.appHandle("foo-staging").releasePhase(300, true);

        assertThatThrownBy(() -> f.promote(f.promoteTo("foo-staging"))).isInstanceOf(DeployException.class)
                .hasMessageContaining("foo-staging: failed - release v1 failed in its release phase");
        assertThat(f.reporter.text()).contains("[foo-staging release] Error: migration failed");
    }

    @Test
    void slowReleasePhase_isFollowedToTheEnd() throws Exception {
        prepareAndAwait();
        f.sim.appHandle("foo-staging").releasePhase(800, false);

        PromoteReport report = f.promote(f.promoteTo("foo-staging"));

        assertThat(report.success()).isTrue();
        assertThat(f.reporter.text()).contains("[foo-staging release] Running release command");
        assertThat(f.sim.currentRelease("foo-staging").status()).isEqualTo("succeeded");
        assertThat(report.targets().get(0).releaseSeconds()).isGreaterThan(0.6);
        assertThat(f.reporter.text()).containsPattern("foo-staging +promoted, release v1 succeeded, [0-9.]+s \\(release [0-9.]+s\\)");
    }

    @Test
    void buildTimeout_failsClearly() throws Exception {
        f.sim.timing().buildMillis = 2000;
        f.prepare();
        PromoteSettings settings = f.promoteTo("foo-staging");
        PromoteSettings quick = new PromoteSettings(settings.prepareApp(), settings.targetApps(), settings.source(),
                settings.onMissingPrepare(), settings.onPrepareFailure(), Duration.ofMillis(400),
                settings.promotionTimeout(), false, List.of(), null);

        assertThatThrownBy(() -> f.promote(quick)).isInstanceOf(DeployException.class)
                .hasMessageContaining("still pending after").hasMessageContaining("buildTimeout");
    }

    @Test
    void promotionTimeout_failsClearly() throws Exception {
        prepareAndAwait();
        f.sim.timing().promotionMillis = 3000;
        PromoteSettings settings = f.promoteTo("foo-staging");
        PromoteSettings quick = new PromoteSettings(settings.prepareApp(), settings.targetApps(), settings.source(),
                settings.onMissingPrepare(), settings.onPrepareFailure(), settings.buildTimeout(),
                Duration.ofMillis(500), false, List.of(), null);

        assertThatThrownBy(() -> f.promote(quick)).isInstanceOf(DeployException.class)
                .hasMessageContaining("still has pending targets").hasMessageContaining("promotionTimeout");
    }

    @Test
    void dryRun_sendsOnlyGetRequests() throws Exception {
        prepareAndAwait();
        f.sim.clearRequests();
        PromoteSettings settings = f.promoteTo("foo-staging", "foo-production");
        PromoteSettings dry = new PromoteSettings(settings.prepareApp(), settings.targetApps(), settings.source(),
                settings.onMissingPrepare(), settings.onPrepareFailure(), settings.buildTimeout(),
                settings.promotionTimeout(), true, List.of(), null);

        PromoteReport report = f.promote(dry);

        assertThat(report.decision()).isEqualTo(PromoteReport.DRY_RUN);
        assertThat(f.sim.requests()).isNotEmpty().allMatch(r -> r.method().equals("GET"));
        assertThat(f.reporter.text()).contains("[dry run] would promote release v1 of foo-prepare");
        assertThat(f.sim.currentRelease("foo-staging")).isNull();
    }

    @Test
    void drift_isWarnedBeforeThePromotion_andShownByTheDryRun() throws Exception {
        prepareAndAwait();
        f.sim.appHandle("foo-staging").buildpacks("heroku/nodejs");
        f.sim.appHandle("foo-prepare").webDynos(1);
        PromoteSettings settings = f.promoteTo("foo-staging");
        PromoteSettings dryRun = new PromoteSettings(settings.prepareApp(), settings.targetApps(), settings.source(),
                settings.onMissingPrepare(), settings.onPrepareFailure(), settings.buildTimeout(),
                settings.promotionTimeout(), true, List.of(), null);

        f.promote(dryRun);

        assertThat(f.reporter.text()).contains("WARN foo-staging uses buildpacks [heroku/nodejs] but the prepare app"
                + " foo-prepare uses [heroku/jvm]").contains("WARN The prepare app foo-prepare runs 1 web dyno(s)");
    }

    @Test
    void targetAlreadyRunsTheCommit_isANoOp() throws Exception {
        f.sim.seedRelease("foo-staging", f.sha);
        f.sim.clearRequests();

        PromoteReport report = f.promote(f.promoteTo("foo-staging"));

        assertThat(report.decision()).isEqualTo(PromoteReport.UNCHANGED);
        assertThat(f.sim.apiRequests()).allMatch(r -> r.method().equals("GET"));
        assertThat(f.reporter.text()).contains("foo-staging already runs " + f.sha.substring(0, 8));
    }

    @Test
    void expiredPrepareRelease_fallsBackToABuild() throws Exception {
        String buildId = prepareAndAwait();
        f.sim.expireRelease("foo-prepare", f.sim.build(buildId).releaseId());

        PromoteReport report = f.promote(f.promoteTo("foo-staging"));

        assertThat(report.decision()).isEqualTo(PromoteReport.BUILD);
        assertThat(report.reason()).contains("has expired");
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(f.sha);
    }

    @Test
    void worksWithoutPrepareJson_findingTheBuildByCommit() throws Exception {
        prepareAndAwait();
        Files.delete(f.source().workDirectory().resolve(PrepareRecord.fileName("foo-prepare")));

        PromoteReport report = f.promote(f.promoteTo("foo-staging"));

        assertThat(report.decision()).isEqualTo(PromoteReport.PROMOTE);
    }

    @Test
    void anOlderSucceededBuild_winsOverANewerFailedRetryOfTheSameCommit() throws Exception {
        String succeeded = prepareAndAwait();
        f.sim.appHandle("foo-prepare").nextBuild(BuildScript.failing("flaky network"));
        String retry = f.sim.startBuild("foo-prepare", f.sha, f.checksumOfHead());
        Await.until(() -> f.sim.build(retry).status(), s -> !s.equals("pending"), Duration.ofSeconds(10));
        Files.delete(f.source().workDirectory().resolve(PrepareRecord.fileName("foo-prepare")));

        PromoteReport report = f.promote(f.promoteTo("foo-staging"));

        assertThat(report.decision()).isEqualTo(PromoteReport.PROMOTE);
        assertThat(report.prepareBuildId()).isEqualTo(succeeded);
    }

    @Test
    void aBuildLabelledWithTheCommit_butMadeFromOtherContent_isNeverShipped() throws Exception {
        String foreign = f.sim.startBuild("foo-prepare", f.sha, "SHA256:" + "0".repeat(64));
        Await.until(() -> f.sim.build(foreign).status(), s -> !s.equals("pending"), Duration.ofSeconds(10));

        PromoteReport report = f.promote(f.promoteTo("foo-staging"));

        assertThat(report.decision()).isEqualTo(PromoteReport.BUILD);
        assertThat(report.reason()).contains("no build on foo-prepare was made from the archive of "
                + f.sha.substring(0, 8));
        assertThat(f.reporter.text()).contains("is labelled " + f.sha.substring(0, 8)
                + " but was not made from this commit's archive");
        assertThat(f.sim.apiRequests()).noneMatch(r -> r.is("POST", "/pipeline-promotions"));
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(f.sha);
    }

    @Test
    void aBuildLabelledWithTheCommit_butMadeFromOtherContent_failsWhenNothingMayBeBuilt() throws Exception {
        String foreign = f.sim.startBuild("foo-prepare", f.sha);
        Await.until(() -> f.sim.build(foreign).status(), s -> !s.equals("pending"), Duration.ofSeconds(10));

        assertThatThrownBy(() -> f.promote(withPolicies(f.promoteTo("foo-staging"),
                PromoteSettings.OnMissingPrepare.FAIL, PromoteSettings.OnPrepareFailure.FAIL)))
                .isInstanceOf(DeployException.class).hasMessageContaining("Nothing to promote: no build on foo-prepare"
                        + " was made from the archive of " + f.sha.substring(0, 8));
        assertThat(f.sim.currentRelease("foo-staging")).isNull();
    }

    @Test
    void aContainerStackTarget_isRefusedBeforeAnyWriteRequest() throws Exception {
        prepareAndAwait();
        f.sim.appHandle("foo-staging").stack("container");
        f.sim.clearRequests();

        assertThatThrownBy(() -> f.promote(f.promoteTo("foo-staging"))).isInstanceOf(DeployException.class)
                .hasMessageContaining("The target app 'foo-staging' is on the container stack")
                .hasMessageContaining("heroku/roadmap#222").hasMessageNotContaining("stack:set");

        assertThat(f.sim.apiRequests()).allMatch(r -> r.method().equals("GET"));
        assertThat(f.reporter.text()).doesNotContain("stack:set");
    }

    @Test
    void aContainerStackPrepareApp_isRefusedBeforeAnythingIsUploadedOrBuilt() throws Exception {
        f.sim.appHandle("foo-prepare").stack("container");

        assertThatThrownBy(() -> f.promote(f.promoteTo("foo-staging"))).isInstanceOf(DeployException.class)
                .hasMessageContaining("The prepare app 'foo-prepare' is on the container stack");
        assertThatThrownBy(() -> f.prepare()).isInstanceOf(DeployException.class)
                .hasMessageContaining("The prepare app 'foo-prepare' is on the container stack");

        // reads, and the upload URL prepare asks for beside its app check
        assertThat(f.sim.apiRequests()).allMatch(r -> r.method().equals("GET") || r.is("POST", "/sources"));
        assertThat(f.sim.requests()).noneMatch(r -> r.path().startsWith("/blobs/"));
    }

    @Test
    void targetOutsideThePipeline_isRejectedUpFront() throws Exception {
        f.sim.createApp("lonely");
        f.sim.createPipeline("bar");
        f.sim.createApp("bar-staging");
        f.sim.couple("bar-staging", "bar", "staging");

        assertThatThrownBy(() -> f.promote(f.promoteTo("lonely"))).isInstanceOf(DeployException.class)
                .hasMessageContaining("'lonely' is not in a Heroku pipeline");
        assertThatThrownBy(() -> f.promote(f.promoteTo("bar-staging"))).isInstanceOf(DeployException.class)
                .hasMessageContaining("is in pipeline 'bar'").hasMessageContaining("pipeline 'foo'");
        assertThat(f.sim.apiRequests()).allMatch(r -> r.method().equals("GET"));
    }

    @Test
    void targetOfTheOtherGeneration_isRefusedBeforeAnythingChanges() throws Exception {
        String other = "fir".equals(generation) ? "cedar" : "fir";
        prepareAndAwait();
        f.sim.appHandle("foo-production").generation(other);
        f.sim.clearRequests();

        assertThatThrownBy(() -> f.promote(f.promoteTo("foo-staging", "foo-production")))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("The prepare app 'foo-prepare' is a " + generation + "-generation app")
                .hasMessageContaining("the target 'foo-production' is a " + other + "-generation app")
                .hasMessageContaining("<prepareApp>");
        assertThat(f.sim.apiRequests()).allMatch(r -> r.method().equals("GET"));
        assertThat(f.sim.currentRelease("foo-staging")).isNull();
    }

    @Test
    void githubStepSummary_getsMarkdown() throws Exception {
        prepareAndAwait();
        Path summary = temp.resolve("summary.md");
        PromoteSettings settings = f.promoteTo("foo-staging");
        f.promote(new PromoteSettings(settings.prepareApp(), settings.targetApps(), settings.source(),
                settings.onMissingPrepare(), settings.onPrepareFailure(), settings.buildTimeout(),
                settings.promotionTimeout(), false, List.of(), summary));

        assertThat(Files.readString(summary)).contains("### Heroku pipeline foo-prepare -> foo-staging: success").contains("| foo-staging |");
    }

    private static PromoteSettings withPolicies(PromoteSettings s, PromoteSettings.OnMissingPrepare missing,
            PromoteSettings.OnPrepareFailure failure) {
        return new PromoteSettings(s.prepareApp(), s.targetApps(), s.source(), missing, failure, s.buildTimeout(),
                s.promotionTimeout(), s.dryRun(), s.buildpacks(), s.githubStepSummary());
    }

    @Test
    void notAGitRepository_failsBeforeAnyRequest() throws IOException {
        Path plain = Files.createDirectories(temp.resolve("plain"));
        assertThatThrownBy(() -> f.promote(promoteFrom(plain, "foo-prepare")))
                .isInstanceOf(SourceException.class).hasMessageContaining("not inside a git repository");
        assertThat(f.sim.apiRequests()).isEmpty();
    }

    @Test
    void aRepositoryProblem_isReportedBeforeAnAppProblemFoundBesideIt() throws IOException {
        Path empty = temp.resolve("empty");
        TestRepo.init(empty);
        assertThatThrownBy(() -> f.promote(promoteFrom(empty, "no-such-app")))
                .isInstanceOf(SourceException.class).hasMessageContaining("has no commit yet");
    }

    /** A promote to foo-staging of the project in {@code directory}. */
    private static PromoteSettings promoteFrom(Path directory, String prepareApp) {
        return new PromoteSettings(prepareApp, List.of("foo-staging"), new SourceSettings(directory, null, null, false,
                directory.resolve("t")), PromoteSettings.OnMissingPrepare.BUILD, PromoteSettings.OnPrepareFailure.FAIL,
                Duration.ofSeconds(5), Duration.ofSeconds(5), false, List.of(), null);
    }
}
