package io.github.herokupipeline.pipeline.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.herokupipeline.heroku.HerokuApiException;
import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.HerokuClientConfig;
import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.Formation;
import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.simulator.HerokuSimulator;
import io.github.herokupipeline.simulator.RecordedRequest;
import io.github.herokupipeline.testing.RecordingReporter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * {@code setup} against the simulator: a prepare app made from nothing (personal, team, Fir space), each step on its
 * own, the dry run, the run that changes nothing, and the errors that change nothing.
 */
@Execution(ExecutionMode.CONCURRENT)
class SetupServerTest {

    private static final String IMAGEMAGICK = "7.1.1-secret-looking-value";
    private static final String SHA = "60883d9e8947a57e04dc9124f25df004866a2051";

    private HerokuSimulator sim;
    private HerokuClient client;
    private final RecordingReporter reporter = new RecordingReporter();
    private final List<String> httpDebug = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        sim = HerokuSimulator.start();
        client = new HerokuClient(HerokuClientConfig.builder(sim.apiUrl(), HerokuSimulator.DEFAULT_KEY)
                .debugLog(httpDebug::add).build());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        sim.close();
    }

    /** A pipeline of staging and production only, as a team has it before the plugin. */
    private void stagingAndProduction() {
        sim.createPipeline("foo");
        sim.createApp("foo-staging").region("eu").buildpacks("heroku/nodejs", "heroku/jvm")
                .config("IMAGEMAGICK_VERSION", IMAGEMAGICK);
        sim.createApp("foo-production").region("eu").buildpacks("heroku/nodejs", "heroku/jvm")
                .config("IMAGEMAGICK_VERSION", IMAGEMAGICK).config("DATABASE_URL", "postgres://runtime-only")
                .config("MAVEN_CUSTOM_OPTS", "-DskipTests");
        sim.couple("foo-staging", "foo", "staging");
        sim.couple("foo-production", "foo", "production");
    }

    private SetupSettings settings(boolean dryRun, String... buildConfigVars) {
        return new SetupSettings("foo-prepare", List.of("foo-staging", "foo-production"), null,
                Arrays.asList(buildConfigVars), dryRun);
    }

    private Setup.Result setUp(SetupSettings settings) throws Exception {
        sim.clearRequests();
        return new Setup(client, reporter).setUp(settings);
    }

    private List<RecordedRequest> writes() {
        return sim.apiRequests().stream().filter(r -> !r.method().equals("GET")).toList();
    }

    @Test
    void fromNothing_createsCouplesAndCopies_thenAfterTheFirstDeployScalesToZero_thenChangesNothing()
            throws Exception {
        stagingAndProduction();

        Setup.Result first = setUp(settings(false, "IMAGEMAGICK_VERSION", "MAVEN_CUSTOM_OPTS"));

        assertThat(sim.placement("foo-prepare")).containsExactly(null, null, "eu", "heroku-24", "cedar");
        assertThat(sim.couplingOf("foo-prepare")).isEqualTo("foo/development");
        assertThat(sim.buildpacks("foo-prepare")).containsExactly("heroku/nodejs", "heroku/jvm");
        assertThat(sim.config("foo-prepare")).containsOnlyKeys("IMAGEMAGICK_VERSION", "MAVEN_CUSTOM_OPTS")
                .containsEntry("IMAGEMAGICK_VERSION", IMAGEMAGICK);
        assertThat(first.changes()).hasSize(4);
        assertThat(writes()).extracting(r -> r.method() + " " + r.path()).containsExactly("POST /apps",
                "POST /pipeline-couplings", "PUT /apps/foo-prepare/buildpack-installations",
                "PATCH /apps/foo-prepare/config-vars");
        assertThat(reporter.infoText()).contains("run setup again after the first deploy");

        sim.seedRelease("foo-prepare", SHA); // the first deploy: Heroku gives web one dyno
        assertThat(sim.formation("foo-prepare")).containsEntry("web", 1);
        Setup.Result second = setUp(settings(false, "IMAGEMAGICK_VERSION", "MAVEN_CUSTOM_OPTS"));
        assertThat(second.changes()).singleElement().asString().contains("web=1");
        assertThat(sim.formation("foo-prepare")).containsEntry("web", 0);
        assertThat(writes()).extracting(r -> r.method() + " " + r.path())
                .containsExactly("PATCH /apps/foo-prepare/formation");

        Setup.Result third = setUp(settings(false, "IMAGEMAGICK_VERSION", "MAVEN_CUSTOM_OPTS"));
        assertThat(third.changedNothing()).isTrue();
        assertThat(writes()).isEmpty();
        assertThat(reporter.infoText()).contains("nothing to change");

        assertThat(reporter.text()).doesNotContain(IMAGEMAGICK).doesNotContain("-DskipTests")
                .doesNotContain("postgres://");
        assertThat(String.join("\n", httpDebug)).doesNotContain(IMAGEMAGICK).doesNotContain("-DskipTests");
    }

    @Test
    void aTeamApp_isCreatedForTheTeamInTheReferenceRegion() throws Exception {
        stagingAndProduction();
        sim.createTeam("acme");
        sim.appHandle("foo-production").team("acme");

        setUp(settings(false));

        assertThat(sim.placement("foo-prepare")).containsExactly("acme", null, "eu", "heroku-24", "cedar");
        RecordedRequest create = writes().get(0);
        assertThat(create.path()).isEqualTo("/teams/apps");
        assertThat(create.body()).contains("\"team\":\"acme\"").contains("\"region\":\"eu\"")
                .doesNotContain("space");
    }

    @Test
    void aFirApp_isCreatedInTheReferenceSpace_andKeepsItsBuildpacksInProjectToml() throws Exception {
        sim.createSpace("acme-fir", "acme", "virginia", "fir");
        sim.createPipeline("foo");
        sim.createApp("foo-staging").space("acme-fir");
        sim.createApp("foo-production").space("acme-fir");
        sim.couple("foo-staging", "foo", "staging");
        sim.couple("foo-production", "foo", "production");
        sim.useGeneration("foo", "fir");

        setUp(settings(false));

        assertThat(sim.placement("foo-prepare")).containsExactly("acme", "acme-fir", "virginia", "cnb", "fir");
        assertThat(sim.couplingOf("foo-prepare")).isEqualTo("foo/development");
        RecordedRequest create = writes().get(0);
        assertThat(create.path()).isEqualTo("/teams/apps");
        assertThat(create.body()).contains("\"space\":\"acme-fir\"").doesNotContain("region")
                .doesNotContain("stack");
        assertThat(writes()).noneMatch(r -> r.path().endsWith("/buildpack-installations"));
        assertThat(reporter.infoText()).contains("project.toml");
    }

    @Test
    void eachStepAlone_repairsOnlyItsDrift() throws Exception {
        stagingAndProduction();
        setUp(settings(false, "IMAGEMAGICK_VERSION"));
        sim.seedRelease("foo-prepare", SHA);
        setUp(settings(false, "IMAGEMAGICK_VERSION"));

        sim.appHandle("foo-production").buildpacks("heroku/nodejs", "heroku/jvm", "heroku/metrics");
        setUp(settings(false, "IMAGEMAGICK_VERSION"));
        assertThat(writes()).extracting(RecordedRequest::path)
                .containsExactly("/apps/foo-prepare/buildpack-installations");
        assertThat(sim.buildpacks("foo-prepare")).containsExactly("heroku/nodejs", "heroku/jvm", "heroku/metrics");

        sim.appHandle("foo-production").config("IMAGEMAGICK_VERSION", "7.2");
        setUp(settings(false, "IMAGEMAGICK_VERSION"));
        assertThat(writes()).extracting(RecordedRequest::path).containsExactly("/apps/foo-prepare/config-vars");
        assertThat(writes().get(0).body()).isEqualTo("{\"IMAGEMAGICK_VERSION\":\"7.2\"}");

        sim.appHandle("foo-prepare").webDynos(2);
        setUp(settings(false, "IMAGEMAGICK_VERSION"));
        assertThat(writes()).extracting(RecordedRequest::path).containsExactly("/apps/foo-prepare/formation");

        sim.appHandle("foo-prepare").stack("heroku-22");
        setUp(settings(false, "IMAGEMAGICK_VERSION"));
        assertThat(writes()).extracting(r -> r.method() + " " + r.path()).containsExactly("PATCH /apps/foo-prepare");
        assertThat(sim.placement("foo-prepare").get(3)).isEqualTo("heroku-24");

        sim.createApp("foo-prepare-2");
        setUp(new SetupSettings("foo-prepare-2", List.of("foo-staging", "foo-production"), null, List.of(), false));
        assertThat(writes()).extracting(RecordedRequest::path).contains("/pipeline-couplings")
                .doesNotContain("/apps");
        assertThat(sim.couplingOf("foo-prepare-2")).isEqualTo("foo/development");
    }

    @Test
    void aRunThatFailsPartWay_isCompletedByTheNext() throws Exception {
        stagingAndProduction();
        sim.faults().failNext("PUT", "/apps/foo-prepare/buildpack-installations", 1, 403);

        assertThatThrownBy(() -> setUp(settings(false, "IMAGEMAGICK_VERSION")))
                .isInstanceOf(HerokuApiException.Forbidden.class);
        assertThat(sim.hasApp("foo-prepare")).isTrue();
        assertThat(sim.config("foo-prepare")).isEmpty();

        Setup.Result again = setUp(settings(false, "IMAGEMAGICK_VERSION"));

        assertThat(again.changes()).hasSize(2);
        assertThat(writes()).extracting(r -> r.method() + " " + r.path()).containsExactly(
                "PUT /apps/foo-prepare/buildpack-installations", "PATCH /apps/foo-prepare/config-vars");
        assertThat(sim.couplingOf("foo-prepare")).isEqualTo("foo/development");
        assertThat(sim.buildpacks("foo-prepare")).containsExactly("heroku/nodejs", "heroku/jvm");
        assertThat(sim.config("foo-prepare")).containsOnlyKeys("IMAGEMAGICK_VERSION");
    }

    @Test
    void aDryRun_printsThePlan_andSendsOnlyGets() throws Exception {
        stagingAndProduction();

        Setup.Result plan = setUp(settings(true, "IMAGEMAGICK_VERSION"));

        assertThat(sim.apiRequests()).allMatch(r -> r.method().equals("GET"));
        assertThat(sim.hasApp("foo-prepare")).isFalse();
        assertThat(plan.changes()).hasSize(4);
        assertThat(reporter.infoText()).contains("[dry run] App: would create foo-prepare like foo-production")
                .contains("[dry run] Pipeline: would add foo-prepare to pipeline foo at stage development")
                .contains("would copy IMAGEMAGICK_VERSION from foo-production")
                .contains("nothing was changed").doesNotContain(IMAGEMAGICK);
    }

    @Test
    void aListedConfigVarTheReferenceLacks_isAWarning_andNoOtherVarIsTouched() throws Exception {
        stagingAndProduction();
        setUp(settings(false, "IMAGEMAGICK_VERSION", "NODE_BUILD_FLAGS"));

        assertThat(reporter.lines()).anyMatch(line -> line.startsWith("WARN ") && line.contains("NODE_BUILD_FLAGS")
                && line.contains("not set on foo-production"));
        assertThat(sim.config("foo-prepare")).containsOnlyKeys("IMAGEMAGICK_VERSION");
    }

    @Test
    void targetsInNoPipeline_fail_changingNothing() throws Exception {
        sim.createApp("foo-staging");
        sim.createApp("foo-production");

        assertThatThrownBy(() -> setUp(settings(false))).isInstanceOf(DeployException.class)
                .hasMessageContaining("foo-staging, foo-production are in no pipeline")
                .hasMessageContaining("heroku pipelines:create <name> -a foo-production -s production")
                .hasMessageContaining("Nothing was changed");
        assertThat(writes()).isEmpty();
        assertThat(sim.hasApp("foo-prepare")).isFalse();
    }

    @Test
    void targetsInDifferentPipelines_fail_changingNothing() throws Exception {
        stagingAndProduction();
        sim.createPipeline("bar");
        sim.couple("foo-staging", "bar", "staging");

        assertThatThrownBy(() -> setUp(settings(false))).isInstanceOf(DeployException.class)
                .hasMessageContaining("foo-staging in bar, foo-production in foo");
        assertThat(writes()).isEmpty();
    }

    @Test
    void aPrepareAppInAnotherPipeline_fails_changingNothing() throws Exception {
        stagingAndProduction();
        sim.createPipeline("bar");
        sim.createApp("foo-prepare");
        sim.couple("foo-prepare", "bar", "development");

        assertThatThrownBy(() -> setUp(settings(false))).isInstanceOf(DeployException.class)
                .hasMessageContaining("foo-prepare is in pipeline bar, not in foo")
                .hasMessageContaining("heroku pipelines:remove -a foo-prepare");
        assertThat(writes()).isEmpty();
    }

    @Test
    void anUnknownReferenceApp_namesSetupFrom() throws Exception {
        stagingAndProduction();

        assertThatThrownBy(() -> setUp(new SetupSettings("foo-prepare", List.of("foo-staging"), "foo-prod",
                List.of(), false))).isInstanceOf(DeployException.class)
                .hasMessageContaining("'foo-prod'").hasMessageContaining("<setupFrom>");
        assertThat(writes()).isEmpty();
    }

    @Test
    void aPrepareAppThatIsATarget_fails() throws Exception {
        stagingAndProduction();

        assertThatThrownBy(() -> setUp(new SetupSettings("foo-staging", List.of("foo-staging", "foo-production"),
                null, List.of(), false))).isInstanceOf(DeployException.class)
                .hasMessageContaining("must be an app of its own");
    }

    @Test
    void theSimulator_answersTheDocumentedErrors() throws Exception {
        stagingAndProduction();
        sim.createApp("foo-prepare");

        assertThatThrownBy(() -> client.createApp(new App.CreateRequest("foo-prepare", "eu", null)))
                .isInstanceOf(HerokuApiException.InvalidParams.class).hasMessageContaining("already taken");
        String pipeline = client.getPipelineCoupling("foo-staging").pipelineId();
        assertThatThrownBy(() -> client.createPipelineCoupling("foo-staging", pipeline, "development"))
                .isInstanceOf(HerokuApiException.InvalidParams.class).hasMessageContaining("already coupled");
        assertThatThrownBy(() -> client.updateFormation("foo-prepare", List.of(new Formation.Update("worker", 0))))
                .isInstanceOf(HerokuApiException.NotFound.class).hasMessageContaining("process type");
        assertThatThrownBy(() -> client.createTeamApp(new App.TeamCreateRequest("foo-other", "nobody", "us", null,
                null))).isInstanceOf(HerokuApiException.NotFound.class);
        List<String> types = new ArrayList<>();
        client.listFormation("foo-prepare").forEach(f -> types.add(f.type()));
        assertThat(types).containsExactly("web");
    }
}
