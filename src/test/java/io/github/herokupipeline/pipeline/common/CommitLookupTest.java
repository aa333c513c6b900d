package io.github.herokupipeline.pipeline.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.HerokuClientConfig;
import io.github.herokupipeline.heroku.model.Artifact;
import io.github.herokupipeline.heroku.model.Build;
import io.github.herokupipeline.heroku.model.Ref;
import io.github.herokupipeline.heroku.model.Release;
import io.github.herokupipeline.heroku.model.SourceBlob;
import io.github.herokupipeline.simulator.HerokuSimulator;
import io.github.herokupipeline.source.Commit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a release or build runs, read from its slug (Cedar) or OCI image (Fir), each artifact fetched once. */
class CommitLookupTest {

    private static final String SHA = "60883d9e8947a57e04dc9124f25df004866a2051";
    private static final String OTHER = "1111111111111111111111111111111111111111";

    private HerokuSimulator sim;
    private HerokuClient client;

    @BeforeEach
    void start() throws Exception {
        sim = HerokuSimulator.start();
        sim.createStandardPipeline("foo");
        sim.createStandardPipeline("fir");
        sim.useGeneration("fir", "fir");
        client = new HerokuClient(HerokuClientConfig.builder(sim.apiUrl(), HerokuSimulator.DEFAULT_KEY).build());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        sim.close();
    }

    @Test
    void running_isTheCurrentReleasesCommit_onCedarAndFir_eachArtifactReadOnce() throws Exception {
        sim.seedRelease("foo-staging", OTHER);
        sim.seedRelease("foo-staging", SHA);
        sim.seedRelease("fir-staging", SHA);
        CommitLookup lookup = new CommitLookup(client);

        CommitLookup.Running cedar = lookup.running("foo-staging").orElseThrow();
        assertThat(cedar.commit()).isEqualTo(SHA);
        assertThat(cedar.stack()).isEqualTo("heroku-24");
        assertThat(cedar.artifact().isSlug()).isTrue();
        CommitLookup.Running fir = lookup.running("fir-staging").orElseThrow();
        assertThat(fir.commit()).isEqualTo(SHA);
        assertThat(fir.artifact().isSlug()).isFalse();
        assertThat(lookup.running("foo-production")).as("runs nothing yet").isEmpty();

        sim.clearRequests();
        assertThat(lookup.describe("foo-staging", cedar.release()).commit()).isEqualTo(SHA);
        assertThat(sim.apiRequests()).as("the slug is known already").isEmpty();
        Release nothing = new Release("r", 1, Release.SUCCEEDED, true, null, null, null, null, null, false, null,
                null, null);
        assertThat(lookup.describe("foo-staging", nothing).commit()).isNull();
    }

    @Test
    void ofBuild_isTheSlugTheBuildNames_onCedar_andTheReleasesImage_onFir() throws Exception {
        CommitLookup lookup = new CommitLookup(client);
        for (String app : List.of("foo-prepare", "fir-prepare")) {
            String id = sim.startBuild(app, SHA);
            Build done = io.github.herokupipeline.testing.Await.until(() -> client.getBuild(app, id),
                    build -> !build.isPending(), Duration.ofSeconds(10));
            CommitLookup.Running running = lookup.ofBuild(app, done).orElseThrow();
            assertThat(running.commit()).as(app).isEqualTo(SHA);
            assertThat(running.release().id()).isEqualTo(done.release().id());
            assertThat(running.artifact().isSlug()).isEqualTo(app.startsWith("foo"));
        }
        Build noRelease = new Build("b", Build.FAILED, null, new SourceBlob(null, SHA, null, null), null, null,
                null, null, null, null, null);
        assertThat(lookup.ofBuild("foo-prepare", noRelease)).isEmpty();
    }

    @Test
    void ofBuild_onCedar_readsTheBuildsSlug_whenTheReleaseNamesNone() throws Exception {
        String slugRelease = sim.seedRelease("foo-prepare", SHA);
        String slug = client.getRelease("foo-prepare", slugRelease).slugId();
        client.updateConfigVars("foo-production", java.util.Map.of("A", "1")); // a release without a slug
        Release bare = client.listReleases("foo-production", 1).get(0);
        assertThat(bare.artifact()).isNull();
        Build build = new Build("b", Build.SUCCEEDED, null, new SourceBlob(null, SHA, null, null),
                Ref.id(bare.id()), Ref.id(slug), null, null, null, null, null);

        CommitLookup.Running running = new CommitLookup(client).ofBuild("foo-production", build).orElseThrow();
        assertThat(running.commit()).isEqualTo(SHA);
        assertThat(running.artifact().id()).isEqualTo(slug);
        assertThat(running.release().id()).isEqualTo(bare.id());
    }

    @Test
    void aSupersededMarker_atTheVeryStart_stillNamesTheCancelledBuild() {
        Build cancelled = new Build("cancelled-id", Build.FAILED, null, new SourceBlob(null, OTHER, null, null),
                null, null, null, null, null, null, null);
        Build canceller = new Build("new", Build.PENDING, null, new SourceBlob(null, SHA, null,
                Superseded.describe(new Commit(SHA, "", 0), List.of(cancelled))), null, null, null, null, null,
                null, null);
        assertThat(canceller.sourceBlob().versionDescription()).startsWith(Superseded.MARKER);
        assertThat(Superseded.cancelledBy(cancelled, List.of(canceller))).containsSame(canceller);
    }

    @Test
    void theSlugsOfSucceededBuilds_areKnownWithoutARequest_theOthersAreRead() throws Exception {
        String made = client.getRelease("foo-staging", sim.seedRelease("foo-staging", SHA)).slug().id();
        String other = client.getRelease("foo-production", sim.seedRelease("foo-production", OTHER)).slug().id();
        CommitLookup lookup = new CommitLookup(client);
        lookup.noteSlugsOf(List.of(
                new Build("a", Build.SUCCEEDED, null, new SourceBlob(null, SHA, null, null), null, Ref.id(made), null,
                        "heroku-24", null, null, null),
                // a failed build, and one without a label, tell nothing
                new Build("b", Build.FAILED, null, new SourceBlob(null, SHA, null, null), null, Ref.id(other), null,
                        "heroku-24", null, null, null),
                new Build("c", Build.SUCCEEDED, null, new SourceBlob(null, null, null, null), null, Ref.id(other),
                        null, "heroku-24", null, null, null),
                // nor does one that names no slug (a Fir build), or a slug without an id
                new Build("d", Build.SUCCEEDED, null, new SourceBlob(null, SHA, null, null), null, null, null,
                        "heroku-24", null, null, null),
                new Build("e", Build.SUCCEEDED, null, new SourceBlob(null, SHA, null, null), null, Ref.id(null), null,
                        "heroku-24", null, null, null)));
        sim.clearRequests();

        assertThat(lookup.describe("foo-staging", new Artifact(Artifact.SLUG, made)).commit()).isEqualTo(SHA);
        assertThat(sim.requests()).isEmpty();
        assertThat(lookup.describe("foo-production", new Artifact(Artifact.SLUG, other)).commit()).isEqualTo(OTHER);
        assertThat(sim.requests()).hasSize(1);
    }
}
