package io.github.herokupipeline.pipeline.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.status.StatusReport.AppStatus;
import io.github.herokupipeline.pipeline.status.StatusReport.PromotionPreview;
import io.github.herokupipeline.source.LogEntry;
import io.github.herokupipeline.testing.PipelineFixture;
import io.github.herokupipeline.testing.TestRepo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

/** The status goal against the simulator, for both generations: what runs where, and what would ship. */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"cedar", "fir"})
@Execution(ExecutionMode.CONCURRENT) // each test has its own simulator, repository and instance
class PipelineOverviewServerTest {

    @Parameter
    String generation;

    @TempDir
    Path temp;

    private PipelineFixture f;
    private String first;
    private String second;
    private String head;

    @BeforeEach
    void start() throws IOException {
        f = new PipelineFixture(temp, generation);
        first = f.sha;
        second = f.repo.write("a.txt", "a").commitAll("Second commit");
        head = f.repo.write("b.txt", "b").commitAll("Third commit");
    }

    @AfterEach
    void stop() throws IOException {
        f.close();
    }

    private PipelineOverview.Settings settings(String prepareApp, String pipeline, Path project) {
        return new PipelineOverview.Settings(prepareApp, pipeline, project, project.resolve("target/heroku-pipeline"),
                null);
    }

    private StatusReport status() throws Exception {
        f.sim.clearRequests();
        StatusReport report = new PipelineOverview(f.client, f.reporter).status(settings("foo-prepare", null,
                f.repo.root()));
        assertThat(f.sim.apiRequests()).as("status only reads").allMatch(r -> r.method().equals("GET"));
        return report;
    }

    @Test
    void theStepSummary_showsCommitSubjectsAsWritten_neverAsMarkdown() throws Exception {
        String subject = "Fix [login](https://evil.example) <img src=x> | `code` ## not a heading";
        f.repo.write("d.txt", "d").commitAll(subject);
        Path summary = temp.resolve("summary.md");
        new PipelineOverview(f.client, f.reporter).status(new PipelineOverview.Settings("foo-prepare", null,
                f.repo.root(), f.repo.root().resolve("target/heroku-pipeline"), summary));

        String markdown = Files.readString(summary);
        assertThat(markdown).contains("Fix \\[login\\]\\(https://evil.example\\) &lt;img src=x&gt; \\| \\`code\\`"
                .replace("&gt;", ">") + " \\#\\# not a heading");
        assertThat(markdown).doesNotContain("[login](").doesNotContain("<img");
    }

    private static AppStatus app(StatusReport report, String name) {
        return report.apps().stream().filter(a -> a.app().equals(name)).findFirst().orElseThrow();
    }

    private static PromotionPreview preview(StatusReport report, String to) {
        return report.promotions().stream().filter(p -> p.toApp().equals(to)).findFirst().orElseThrow();
    }

    @Test
    void everyApp_byStage_withItsCommit_andWhatEachPromotionWouldShip() throws Exception {
        f.sim.seedRelease("foo-prepare", head);
        f.sim.seedRelease("foo-staging", second);
        f.sim.seedRelease("foo-production", first);
        f.sim.seedRelease("foo-production-eu", first);

        StatusReport report = status();

        assertThat(report.generation()).isEqualTo(generation);
        assertThat(report.apps()).extracting(AppStatus::app)
                .containsExactly("foo-prepare", "foo-staging", "foo-production", "foo-production-eu");
        assertThat(report.apps()).extracting(AppStatus::stage)
                .containsExactly("development", "staging", "production", "production");
        assertThat(app(report, "foo-prepare").relationToHead()).isEqualTo("same");
        assertThat(app(report, "foo-staging")).satisfies(a -> {
            assertThat(a.relationToHead()).isEqualTo("behind");
            assertThat(a.commitsFromHead()).isEqualTo(1);
            assertThat(a.subject()).isEqualTo("Second commit");
            assertThat(a.releasedBy()).isEqualTo("ci@example.com");
        });
        assertThat(preview(report, "foo-staging").commits()).extracting(LogEntry::subject)
                .containsExactly("Third commit");
        assertThat(preview(report, "foo-production").fromApp()).isEqualTo("foo-staging");
        assertThat(preview(report, "foo-production").commits()).extracting(LogEntry::subject)
                .containsExactly("Second commit");
        assertThat(f.reporter.text()).contains("STAGE").contains("foo-staging").contains("1 behind")
                .contains("HEAD -> staging (foo-staging) would ship 1 commit:");
        String json = Files.readString(f.repo.root().resolve("target/heroku-pipeline/status.json"),
                StandardCharsets.UTF_8);
        assertThat(json).contains("\"relation_to_head\": \"behind\"").contains("\"commits_from_head\": 1")
                .contains("\"released_by\": \"ci@example.com\"");
    }

    @Test
    void appAheadOfHead_andOnACommitGitDoesNotKnow() throws Exception {
        String newer = f.repo.write("c.txt", "c").commitAll("Newer than HEAD");
        f.repo.git("checkout", "-q", head);
        f.sim.seedRelease("foo-staging", newer);
        f.sim.seedRelease("foo-production", "d4e5f6a7".repeat(5));

        StatusReport report = status();

        assertThat(app(report, "foo-staging").relationToHead()).isEqualTo("ahead");
        assertThat(preview(report, "foo-staging").note()).contains("foo-staging is 1 commit(s) ahead");
        assertThat(app(report, "foo-production").relationToHead()).isEqualTo("unknown");
        assertThat(preview(report, "foo-production").note()).contains("is not in local git history");
        assertThat(report.warnings()).anyMatch(w -> w.contains("local git history does not have"));
    }

    @Test
    void shallowClone_saysHowToFetchTheHistory() throws Exception {
        Path clone = temp.resolve("shallow");
        TestRepo.open(temp).git("clone", "-q", "--depth", "1", f.repo.root().toUri().toString(), clone.toString());
        f.sim.seedRelease("foo-staging", first);

        StatusReport report = new PipelineOverview(f.client, f.reporter).status(settings("foo-prepare", null, clone));

        assertThat(report.shallow()).isTrue();
        assertThat(report.warnings()).anyMatch(w -> w.contains("shallow clone") && w.contains("fetch-depth: 0"));
    }

    @Test
    void emptyStage_andReviewApps_areLeftOut_andHeadGoesToTheNextStage() throws Exception {
        f.sim.createPipeline("bar");
        for (String[] app : new String[][] {{"bar-prepare", "development"}, {"bar-production", "production"}}) {
            f.sim.createApp(app[0]);
            f.sim.couple(app[0], "bar", app[1]);
        }
        f.sim.createApp("bar-pr-12");
        f.sim.couple("bar-pr-12", "bar", "review");
        f.sim.useGeneration("bar", generation);

        StatusReport report = new PipelineOverview(f.client, f.reporter).status(settings("bar-prepare", null,
                f.repo.root()));

        assertThat(report.apps()).extracting(AppStatus::app).containsExactly("bar-prepare", "bar-production");
        assertThat(report.promotions()).singleElement().satisfies(p -> {
            assertThat(p.fromStage()).isEqualTo("HEAD");
            assertThat(p.toApp()).isEqualTo("bar-production");
            assertThat(p.note()).contains("runs nothing yet");
        });
    }

    @Test
    void pipelineByName_needsNoPrepareApp() throws Exception {
        f.sim.seedRelease("foo-production", head);

        StatusReport report = new PipelineOverview(f.client, f.reporter).status(settings(null, "foo",
                f.repo.root()));

        assertThat(report.pipeline()).isEqualTo("foo");
        assertThat(report.prepareApp()).isNull();
        assertThat(app(report, "foo-production").relationToHead()).isEqualTo("same");
        assertThat(report.prepareBuilds()).isEmpty();
    }

    @Test
    void drift_stackBuildpacksAndWebDynosOnThePrepareApp_areFlagged() throws Exception {
        f.sim.appHandle("foo-staging").stack("heroku-22");
        f.sim.appHandle("foo-production").buildpacks("heroku/nodejs", "heroku/jvm");
        f.sim.appHandle("foo-prepare").webDynos(2);

        StatusReport report = status();

        assertThat(report.warnings()).anyMatch(w -> w.startsWith("foo-staging runs stack heroku-22"))
                .anyMatch(w -> w.startsWith("foo-production uses buildpacks [heroku/nodejs, heroku/jvm]"))
                .anyMatch(w -> w.contains("foo-prepare runs 2 web dyno(s)"))
                .noneMatch(w -> w.startsWith("foo-production-eu"));
        assertThat(report.warnings()).allMatch(w -> w.contains("`mvn heroku-pipeline:setup` repairs it"));
    }

    @Test
    void drift_buildConfigVars_areFlaggedByName_neverByValue() throws Exception {
        f.sim.appHandle("foo-production").config("IMAGEMAGICK_VERSION", "7.1-value-one")
                .config("NODE_BUILD_FLAGS", "--value-two").config("RUNTIME_ONLY", "x");
        f.sim.appHandle("foo-prepare").config("IMAGEMAGICK_VERSION", "7.0-value-three");

        f.sim.clearRequests();
        StatusReport report = new PipelineOverview(f.client, f.reporter).status(new PipelineOverview.Settings(
                "foo-prepare", null, f.repo.root(), f.repo.root().resolve("target/heroku-pipeline"), null,
                List.of("IMAGEMAGICK_VERSION", "NODE_BUILD_FLAGS", "UNSET_EVERYWHERE")));

        assertThat(report.warnings()).filteredOn(w -> w.startsWith("Build config vars of foo-production"))
                .singleElement().satisfies(w -> assertThat(w)
                        .contains("NODE_BUILD_FLAGS not set on the prepare app foo-prepare")
                        .contains("IMAGEMAGICK_VERSION set on foo-prepare to another value than on foo-production")
                        .contains("mvn heroku-pipeline:setup").doesNotContain("RUNTIME_ONLY"));
        assertThat(report.warnings()).noneMatch(w -> w.startsWith("Build config vars of foo-staging"));
        String everything = f.reporter.text() + Files.readString(f.repo.root().resolve(
                "target/heroku-pipeline/status.json"));
        assertThat(everything).doesNotContain("value-one").doesNotContain("value-two").doesNotContain("value-three");
        assertThat(f.sim.apiRequests()).allMatch(r -> r.method().equals("GET"));
    }

    @Test
    void prepareBuilds_showWhetherHeadIsBuilt() throws Exception {
        f.sim.startBuild("foo-prepare", head);

        StatusReport report = status();

        assertThat(report.prepareBuilds()).singleElement().satisfies(b -> assertThat(b.commit()).isEqualTo(head));
        assertThat(f.reporter.text()).contains("Newest builds on foo-prepare:").contains("(HEAD)");
    }

    @Test
    void unknownPipeline_andAnAppOutsideIt_areClearErrors() {
        assertThatThrownBy(() -> new PipelineOverview(f.client, f.reporter).status(settings(null, "nope",
                f.repo.root()))).isInstanceOf(DeployException.class).hasMessageContaining("no pipeline 'nope'")
                .hasMessageContaining("-Dheroku.pipeline");
        f.sim.createStandardPipeline("bar");
        assertThatThrownBy(() -> new PipelineOverview(f.client, f.reporter).status(settings("foo-prepare", "bar",
                f.repo.root()))).isInstanceOf(DeployException.class)
                .hasMessageContaining("'foo-prepare' is not in pipeline 'bar'");
    }
}
