package io.github.herokupipeline.pipeline.promote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.HerokuClientConfig;
import io.github.herokupipeline.pipeline.common.PrepareRecord;
import io.github.herokupipeline.simulator.HerokuSimulator;
import io.github.herokupipeline.simulator.RecordedRequest;
import io.github.herokupipeline.testing.Await;
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
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On a real network each request costs a round trip: with 150 ms per request, the number of requests the plugin
 * waits for one after another decides how long it takes. Counted from the simulator's record of when each request
 * arrived and was answered, not timed.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"cedar", "fir"})
class RoundTripsServerTest {

    /** A commit no fixture repository has. A rewrite of the fixture's id could leave it unchanged: ids vary by run. */
    private static final String FOREIGN_SHA = "d4e5f6a7".repeat(5);

    @Parameter
    String generation;

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

    @Test
    void standalonePromoteOfAFinishedBuild_waitsForAtMostSixRoundTrips() throws Exception {
        String older = f.sha;
        f.repo.write("CHANGELOG.md", "# Changes\n").commitAll("Add a changelog");
        prepareAndFinish();
        f.sim.seedRelease("foo-production", older); // an older commit the checkout has: ordered by local history

        List<RecordedRequest> requests = standalonePromoteOnARealNetwork("foo-staging", "foo-production");

        assertThat(RecordedRequest.sequentialRoundTrips(requests)).as(describe(requests)).isLessThanOrEqualTo(6);
    }

    @Test
    void targetsOnASlugOfAPrepareBuild_costNoRequestToTellTheirCommit_onCedar() throws Exception {
        prepareAndFinish();
        f.promote(f.promoteTo("foo-staging", "foo-production")); // the targets now run a prepared slug
        f.repo.write("CHANGELOG.md", "# Changes\n").commitAll("Add a changelog");
        prepareAndFinish();

        List<RecordedRequest> requests = standalonePromoteOnARealNetwork("foo-staging", "foo-production");

        if ("cedar".equals(generation)) {
            // the prepare app's builds, listed beside the apps, name the slugs they made and their commits
            assertThat(requests).noneMatch(r -> r.method().equals("GET") && r.path().contains("/slugs/"));
            assertThat(RecordedRequest.sequentialRoundTrips(requests)).as(describe(requests)).isLessThanOrEqualTo(5);
        } else {
            assertThat(RecordedRequest.sequentialRoundTrips(requests)).as(describe(requests)).isLessThanOrEqualTo(6);
        }
    }

    @Test
    void aTargetOnACommitTheCheckoutLacks_costsOneRoundTripMore_forTheEvidenceOnHeroku() throws Exception {
        prepareAndFinish();
        f.sim.seedRelease("foo-production", FOREIGN_SHA);

        List<RecordedRequest> requests = standalonePromoteOnARealNetwork("foo-staging", "foo-production");

        // the builds of that commit are read (the prepare app's and the target's, side by side) to order it
        assertThat(requests).anyMatch(r -> r.is("GET", "/apps/foo-production/builds"));
        assertThat(RecordedRequest.sequentialRoundTrips(requests)).as(describe(requests)).isLessThanOrEqualTo(7);
    }

    @Test
    void afterAWaitForTheBuild_theTargetsAreReadBesideTheCheckOfItsRelease() throws Exception {
        f.sim.timing().buildMillis = 1500;
        f.prepare();

        List<RecordedRequest> requests = standalonePromoteOnARealNetwork("foo-staging");

        RecordedRequest promotion = requests.stream().filter(r -> r.is("POST", "/pipeline-promotions")).findFirst()
                .orElseThrow();
        RecordedRequest lastRelease = requests.stream().filter(r -> r.is("GET", "/apps/foo-prepare/releases/.*")
                && r.received().isBefore(promotion.received())).reduce((first, second) -> second).orElseThrow();
        RecordedRequest targetRead = requests.stream().filter(r -> r.is("GET", "/apps/foo-staging/releases")
                && r.received().isBefore(promotion.received())).reduce((first, second) -> second).orElseThrow();
        assertThat(targetRead.received()).as(describe(requests)).isBefore(lastRelease.at());
    }

    @Test
    void standalonePromoteInALaterJob_withoutThePrepareRecord_waitsForAtMostSixRoundTrips() throws Exception {
        prepareAndFinish();
        Files.delete(f.source().workDirectory().resolve(PrepareRecord.fileName("foo-prepare")));

        List<RecordedRequest> requests = standalonePromoteOnARealNetwork("foo-staging");

        // the prepare app's builds are listed beside the apps, as the recorded build is in the test above
        assertThat(RecordedRequest.sequentialRoundTrips(requests)).as(describe(requests)).isLessThanOrEqualTo(6);
    }

    private void prepareAndFinish() throws Exception {
        PrepareRecord record = f.prepare();
        Await.until(() -> f.sim.build(record.buildId()).status(), s -> !s.equals("pending"), Duration.ofSeconds(10));
    }

    /** A promote with a client of its own, at 150 ms per request; what the simulator received meanwhile. */
    private List<RecordedRequest> standalonePromoteOnARealNetwork(String... targets) throws Exception {
        f.sim.timing().latencyMillis = 150;
        f.sim.timing().promotionMillis = 10; // Heroku copies within one round trip: count our requests, not its work
        f.sim.clearRequests();
        try (HerokuClient standalone = new HerokuClient(HerokuClientConfig.builder(f.sim.apiUrl(),
                HerokuSimulator.DEFAULT_KEY).build())) {
            new Promotion(standalone, f.reporter, f.waiting).promote(f.promoteTo(targets));
        }
        return f.sim.requests();
    }

    private static String describe(List<RecordedRequest> requests) {
        StringBuilder text = new StringBuilder("requests:");
        for (RecordedRequest request : requests) {
            text.append("\n  ").append(request.received()).append(" .. ").append(request.at()).append(' ')
                    .append(request.method()).append(' ').append(request.path());
        }
        return text.toString();
    }
}
