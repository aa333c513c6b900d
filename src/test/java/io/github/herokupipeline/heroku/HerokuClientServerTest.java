package io.github.herokupipeline.heroku;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.Build;
import io.github.herokupipeline.heroku.model.Generation;
import io.github.herokupipeline.heroku.model.PipelineCoupling;
import io.github.herokupipeline.heroku.model.PipelinePromotion;
import io.github.herokupipeline.heroku.model.PromotionTarget;
import io.github.herokupipeline.heroku.model.Release;
import io.github.herokupipeline.heroku.model.Slug;
import io.github.herokupipeline.heroku.model.Source;
import io.github.herokupipeline.heroku.model.SourceBlob;
import io.github.herokupipeline.simulator.HerokuSimulator;
import io.github.herokupipeline.simulator.RecordedRequest;
import io.github.herokupipeline.testing.Await;
import io.github.herokupipeline.testing.FakeTime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client over real HTTP against the simulator: every operation, retries, pagination, streams, errors. */
class HerokuClientServerTest {

    private static final String SHA = "60883d9e8947a57e04dc9124f25df004866a2051";
    private static final String KEY = "sentinel-key-7f3a9c1e";

    @TempDir
    Path temp;

    private HerokuSimulator sim;
    private FakeTime time;
    private final List<String> debugLines = new CopyOnWriteArrayList<>();
    private HerokuClient client;

    @BeforeEach
    void start() throws IOException {
        sim = HerokuSimulator.start();
        sim.acceptKey(KEY);
        sim.createStandardPipeline("foo");
        time = new FakeTime();
        client = newClient(KEY);
    }

    private HerokuClient newClient(String key) {
        return new HerokuClient(HerokuClientConfig.builder(sim.apiUrl(), key)
                .clock(time)
                .sleeper(time)
                .maxRetryTime(Duration.ofSeconds(30))
                .debugLog(debugLines::add)
                .build());
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        sim.close();
        assertThat(String.join("\n", debugLines)).doesNotContain(KEY);
    }

    @Test
    void everyRequest_sendsVersion3AcceptBearerKeyAndUserAgent() throws IOException {
        client.getApp("foo-prepare");

        RecordedRequest request = sim.apiRequests().get(0);
        assertThat(request.header("Accept")).isEqualTo("application/vnd.heroku+json; version=3");
        assertThat(request.authorized()).isTrue();
        assertThat(request.header("User-Agent")).startsWith("heroku-pipeline-maven-plugin");
    }

    @Test
    void apps_configVars_pipelines_andCouplings() throws IOException {
        App app = client.getApp("foo-staging");
        assertThat(app.name()).isEqualTo("foo-staging");
        assertThat(app.stackName()).isEqualTo("heroku-24");
        assertThat(app.generation()).isEqualTo(Generation.CEDAR);
        assertThat(client.getConfigVars("foo-staging")).isEmpty();

        PipelineCoupling coupling = client.getPipelineCoupling("foo-staging");
        assertThat(coupling.stage()).isEqualTo("staging");
        assertThat(coupling.appId()).isEqualTo(app.id());
        assertThat(client.getPipeline(coupling.pipelineId()).name()).isEqualTo("foo");
        assertThat(client.listPipelineCouplings(coupling.pipelineId())).extracting(PipelineCoupling::stage)
                .containsExactlyInAnyOrder("development", "staging", "production");
    }

    @Test
    void updateConfigVars_setsAndRemoves_throughPatch() throws IOException {
        client.updateConfigVars("foo-staging", java.util.Map.of("FEATURE_X", "on", "OLD", "1"));
        java.util.Map<String, String> changes = new java.util.HashMap<>();
        changes.put("OLD", null);

        assertThat(client.updateConfigVars("foo-staging", changes)).containsOnly(java.util.Map.entry("FEATURE_X", "on"));
        RecordedRequest patch = sim.apiRequests().get(1);
        assertThat(patch.method()).isEqualTo("PATCH");
        assertThat(patch.body()).isEqualTo("{\"OLD\":null}");
    }

    @Test
    void sourceUploadAndBuild_thenSlugReleaseAndLog() throws Exception {
        Path archive = temp.resolve("source.tar.gz");
        Files.write(archive, "not really a tarball".getBytes(StandardCharsets.UTF_8));
        String checksum = "SHA256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(archive)));

        Source source = client.createSource();
        client.uploadSource(source.putUrl(), archive);
        Build build = client.createBuild("foo-prepare", new Build.CreateRequest(
                new SourceBlob(source.getUrl(), SHA, checksum, "Fix the bug"), null));
        assertThat(build.isPending()).isTrue();
        assertThat(build.version()).isEqualTo(SHA);

        RecordedRequest upload = sim.requests().stream().filter(r -> r.method().equals("PUT")).findFirst()
                .orElseThrow();
        assertThat(upload.authorized()).as("the key must not go to the upload URL").isFalse();
        assertThat(upload.header("Accept")).doesNotContain("heroku");
        assertThat(upload.header("Content-Type")).as("pre-signed URLs are signed for no content type").isNull();
        assertThat(upload.header("Content-Length")).isEqualTo(Long.toString(Files.size(archive)));
        assertThat(sim.sourceBytes(source.getUrl())).isEqualTo(Files.readAllBytes(archive));

        List<String> lines = new ArrayList<>();
        client.streamOutput(build.outputStreamUrl(), lines::add, Instant.now().plusSeconds(30));
        assertThat(lines).first().asString().contains("Building");
        assertThat(lines).last().asString().contains("Launching");

        Build done = Await.until(() -> client.getBuild("foo-prepare", build.id()), b -> !b.isPending(),
                Duration.ofSeconds(10));
        assertThat(done.isSucceeded()).isTrue();
        Slug slug = client.getSlug("foo-prepare", done.slug().id());
        assertThat(slug.commit()).isEqualTo(SHA);
        Release release = client.getRelease("foo-prepare", done.release().id());
        assertThat(release.slugId()).isEqualTo(slug.id());
        assertThat(release.description()).isEqualTo("Deploy 60883d9e");
        assertThat(client.getRelease("foo-prepare", Integer.toString(release.version())).id())
                .isEqualTo(release.id());
    }

    @Test
    void listBuilds_newestFirst_withRange() throws IOException {
        sim.startBuild("foo-prepare", "a".repeat(40));
        sim.startBuild("foo-prepare", "b".repeat(40));

        List<Build> builds = client.listBuilds("foo-prepare", 10);

        assertThat(builds).extracting(Build::version).containsExactly("b".repeat(40), "a".repeat(40));
        assertThat(sim.apiRequests().get(0).header("Range")).isEqualTo("started_at ..; max=10, order=desc");
    }

    @Test
    void listReleases_followsNextRangeOverThreePages() throws IOException {
        for (int i = 0; i < 7; i++) {
            sim.seedRelease("foo-staging", Integer.toString(i).repeat(40));
        }

        HerokuHttp http = new HerokuHttp(client.config());
        List<Release> releases = http.list(http.call("list releases", "GET", "apps", "foo-staging", "releases"),
                "version ..; max=3, order=desc", new com.google.gson.reflect.TypeToken<List<Release>>() {}.getType(),
                100);
        http.close();

        assertThat(releases).extracting(Release::version).containsExactly(7, 6, 5, 4, 3, 2, 1);
        List<RecordedRequest> pages = sim.apiRequests();
        assertThat(pages).hasSize(3);
        assertThat(pages).extracting(RecordedRequest::status).containsExactly(206, 206, 200);
        assertThat(pages.get(1).header("Range")).isEqualTo("version ]5..; max=3, order=desc");
    }

    @Test
    void listReleases_newestFirstStopsAtMax() throws IOException {
        for (int i = 0; i < 5; i++) {
            sim.seedRelease("foo-staging", Integer.toString(i).repeat(40));
        }
        assertThat(client.listReleases("foo-staging", 2)).extracting(Release::version).containsExactly(5, 4);
        assertThat(sim.apiRequests().get(0).header("Range")).isEqualTo("version ..; max=2, order=desc");
    }

    @Test
    void createRelease_andRollback() throws IOException {
        String first = sim.seedRelease("foo-staging", "1".repeat(40));
        sim.seedRelease("foo-staging", "2".repeat(40));
        String slugId = client.getRelease("foo-staging", first).slugId();

        Release created = client.createRelease("foo-production", slugId, "Copy of v1");
        assertThat(created.slugId()).isEqualTo(slugId);
        assertThat(created.description()).isEqualTo("Copy of v1");

        Release rolledBack = client.rollback("foo-staging", first);
        assertThat(rolledBack.description()).isEqualTo("Rollback to v1");
        assertThat(sim.currentRelease("foo-staging").commit()).isEqualTo("1".repeat(40));
    }

    @Test
    void cancelBuild_usesTheCancelVariant() throws IOException {
        String buildId = sim.startBuild("foo-prepare", SHA);

        Build cancelled = client.cancelBuild("foo-prepare", buildId);

        assertThat(cancelled.status()).isEqualTo("failed");
        assertThat(sim.apiRequests().get(0).header("Accept"))
                .isEqualTo("application/vnd.heroku+json; version=3.cancel-build");
    }

    @Test
    void promotion_ofAnExactRelease_andItsTargets() throws Exception {
        String releaseId = sim.seedRelease("foo-prepare", SHA);
        sim.seedRelease("foo-prepare", "f".repeat(40)); // newer, current: must not be what is promoted
        PipelineCoupling coupling = client.getPipelineCoupling("foo-prepare");
        String staging = client.getApp("foo-staging").id();

        PipelinePromotion promotion = client.createPipelinePromotion(coupling.pipelineId(), coupling.appId(),
                releaseId, List.of(staging));
        assertThat(promotion.status()).isEqualTo("pending");
        assertThat(promotion.sourceReleaseId()).isEqualTo(releaseId);

        List<PromotionTarget> targets = Await.until(() -> client.listPromotionTargets(promotion.id()),
                list -> list.stream().noneMatch(PromotionTarget::isPending), Duration.ofSeconds(10));
        assertThat(targets).singleElement().satisfies(t -> assertThat(t.isSucceeded()).isTrue());
        assertThat(client.getPipelinePromotion(promotion.id()).status()).isEqualTo("completed");
        assertThat(sim.currentRelease("foo-staging").commit()).isEqualTo(SHA);
        RecordedRequest create = sim.apiRequests().stream().filter(r -> r.is("POST", "/pipeline-promotions"))
                .findFirst().orElseThrow();
        assertThat(create.body()).contains("\"release\":{\"id\":\"" + releaseId + "\"}");
    }

    @Test
    void rateLimited_429WithRetryAfter_thenSucceeds() throws IOException {
        sim.faults().rateLimitNext("GET", "/apps/foo-prepare", 1, 7);

        assertThat(client.getApp("foo-prepare").name()).isEqualTo("foo-prepare");

        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(7));
        assertThat(sim.apiRequests()).extracting(RecordedRequest::status).containsExactly(429, 200);
    }

    @Test
    void retryAfterZero_waitsTheNormalBackoff_notAHotLoop() throws IOException {
        sim.faults().rateLimitNext("GET", "/apps/foo-prepare", 3, 0);

        assertThat(client.getApp("foo-prepare").name()).isEqualTo("foo-prepare");

        assertThat(time.sleeps()).hasSize(3).allSatisfy(sleep -> assertThat(sleep).isPositive());
        assertThat(time.sleeps().get(2)).isGreaterThan(time.sleeps().get(0));
    }

    @Test
    void hugeRetryAfter_isClampedToTheRetryBudget() throws IOException {
        sim.faults().rateLimitNext("GET", "/apps/foo-prepare", 1, "9223372036854775807");

        assertThat(client.getApp("foo-prepare").name()).isEqualTo("foo-prepare");

        assertThat(time.sleeps()).hasSize(1);
        assertThat(time.slept()).isLessThanOrEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void retryAfterPastTheBudget_triesOnceMoreAtTheEnd_thenGivesUp() {
        sim.faults().rateLimitNext("GET", "/apps/foo-prepare", 1000, 3600);

        assertThatThrownBy(() -> client.getApp("foo-prepare")).isInstanceOf(HerokuApiException.class)
                .hasMessageContaining("HTTP 429");

        assertThat(time.slept()).isEqualTo(Duration.ofSeconds(30));
        assertThat(sim.apiRequests()).hasSize(2);
    }

    @Test
    void unavailable_503ThreeTimes_thenSucceeds() throws IOException {
        sim.faults().failNext("GET", "/apps/foo-prepare", 3, 503);

        assertThat(client.getApp("foo-prepare").name()).isEqualTo("foo-prepare");

        assertThat(time.sleeps()).hasSize(3);
        assertThat(time.sleeps().get(2)).isGreaterThan(time.sleeps().get(0));
    }

    @Test
    void unavailable_forever_failsWithinTheRetryBudget() {
        sim.faults().failNext("GET", "/apps/foo-prepare", 1000, 503);

        assertThatThrownBy(() -> client.getApp("foo-prepare"))
                .isInstanceOf(HerokuApiException.class)
                .hasMessageContaining("get app 'foo-prepare'")
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("gave up after")
                .hasMessageContaining("Request-Id");
        assertThat(time.slept()).isLessThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(sim.apiRequests().size()).isBetween(3, 20);
    }

    @Test
    void postPromotion_notRetriedAfter500() throws IOException {
        String releaseId = sim.seedRelease("foo-prepare", SHA);
        PipelineCoupling coupling = client.getPipelineCoupling("foo-prepare");
        String staging = client.getApp("foo-staging").id();
        sim.clearRequests();
        sim.faults().failNext("POST", "/pipeline-promotions", 1, 500);

        assertThatThrownBy(() -> client.createPipelinePromotion(coupling.pipelineId(), coupling.appId(), releaseId,
                List.of(staging))).isInstanceOf(HerokuApiException.class).hasMessageContaining("HTTP 500");

        assertThat(sim.apiRequests()).hasSize(1);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void post_isRetriedOn429_becauseNothingWasCreated() throws IOException {
        sim.faults().rateLimitNext("POST", "/sources", 1, 1);
        assertThat(client.createSource().putUrl()).isNotBlank();
        assertThat(sim.apiRequests()).extracting(RecordedRequest::status).containsExactly(429, 201);
    }

    @Test
    void ioErrors_onIdempotentRequests_areRetried() throws IOException {
        sim.faults().dropNext("GET", "/apps/foo-prepare", 4);
        assertThat(client.getApp("foo-prepare").name()).isEqualTo("foo-prepare");
        assertThat(sim.apiRequests()).hasSize(5);
        assertThat(time.sleeps()).isNotEmpty();
    }

    @Test
    void streamCut_isResumedWithRange_withoutLosingOrRepeatingLines() throws Exception {
        sim.timing().buildLogLines = 12;
        String buildId = sim.startBuild("foo-prepare", SHA);
        sim.faults().cutStream(buildId, 4);
        String url = client.getBuild("foo-prepare", buildId).outputStreamUrl();

        List<String> lines = new ArrayList<>();
        client.streamOutput(url, lines::add, Instant.now().plusSeconds(60));

        Await.until(() -> sim.build(buildId).status(), s -> !s.equals("pending"), Duration.ofSeconds(10));
        List<String> expected = sim.log(buildId).lines().toList();
        assertThat(lines).containsExactlyElementsOf(expected);
        List<RecordedRequest> streamReads = sim.requests().stream().filter(r -> r.path().startsWith("/streams/"))
                .toList();
        assertThat(streamReads).hasSizeGreaterThanOrEqualTo(2);
        assertThat(streamReads.get(1).header("Range")).matches("bytes=\\d+-");
        assertThat(streamReads.get(0).authorized()).as("stream on the API origin may carry the key").isTrue();
    }

    @Test
    void unauthorized_saysSoWithoutTheKey() throws IOException {
        try (HerokuClient wrongKey = newClient("wrong-key-0000")) {
            assertThatThrownBy(() -> wrongKey.getApp("foo-prepare"))
                    .isInstanceOf(HerokuApiException.Unauthorized.class)
                    .hasMessageContaining("get app 'foo-prepare'")
                    .hasMessageContaining("HTTP 401 unauthorized")
                    .hasMessageContaining("Invalid credentials provided")
                    .hasMessageNotContaining("wrong-key-0000");
        }
    }

    @Test
    void notFound_andInvalidParams_areTyped() {
        assertThatThrownBy(() -> client.getApp("nope")).isInstanceOf(HerokuApiException.NotFound.class)
                .hasMessageContaining("Couldn't find that app.");
        assertThatThrownBy(() -> client.createBuild("foo-prepare",
                new Build.CreateRequest(new SourceBlob(null, SHA, null, null), null)))
                .isInstanceOf(HerokuApiException.InvalidParams.class)
                .hasMessageContaining("source_blob.url");
    }

    @Test
    void nonJsonErrorBody_stillGivesAUsefulMessage() {
        sim.faults().failNextWithHtml("GET", "/apps/foo-prepare", 1, 404);
        assertThatThrownBy(() -> client.getApp("foo-prepare"))
                .isInstanceOf(HerokuApiException.NotFound.class)
                .hasMessageContaining("Bad Gateway");
    }

    @Test
    void lowRateLimitRemaining_spacesRequests() throws IOException {
        sim.rateLimitCapacity(10);
        client.getApp("foo-prepare");
        client.getApp("foo-prepare");
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(800));
    }

    @Test
    void missingVersionHeader_isRejectedLikeHeroku() throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(sim.apiUrl() + "/apps/foo-prepare"))
                        .header("Authorization", "Bearer " + KEY).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(406);
        assertThat(response.body()).contains("not_acceptable");
    }

    @Test
    void config_refusesPlainHttpToARemoteHost() {
        assertThatThrownBy(() -> HerokuClientConfig.builder("http://api.example.com", KEY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plain http");
        assertThat(HerokuClientConfig.builder("http://localhost:1234/", KEY).build().baseUrl())
                .hasToString("http://localhost:1234");
        assertThat(HerokuClientConfig.builder("https://api.heroku.com", KEY).build().toString())
                .doesNotContain(KEY);
    }
}
