package io.github.herokupipeline.pipeline.prepare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.herokupipeline.heroku.HerokuApiException;
import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.HerokuClientConfig;
import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.common.PrepareRecord;
import io.github.herokupipeline.pipeline.common.SourceSettings;
import io.github.herokupipeline.simulator.HerokuSimulator;
import io.github.herokupipeline.simulator.RecordedRequest;
import io.github.herokupipeline.source.SourceException;
import io.github.herokupipeline.testing.Await;
import io.github.herokupipeline.testing.PipelineFixture;
import io.github.herokupipeline.testing.TestRepo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PreparationServerTest {

    @TempDir
    Path temp;

    private PipelineFixture f;

    @BeforeEach
    void start() throws IOException {
        f = new PipelineFixture(temp);
    }

    @AfterEach
    void stop() throws IOException {
        f.close();
    }

    @Test
    void prepare_startsABuildOfHead_andReturnsWhileItIsStillPending() throws Exception {
        f.sim.timing().buildMillis = 3000;

        PrepareRecord record = f.prepare();

        assertThat(f.sim.build(record.buildId()).status()).isEqualTo("pending");
        assertThat(record.commit()).isEqualTo(f.sha);
        assertThat(record.reused()).isFalse();
        RecordedRequest create = f.sim.apiRequests().stream().filter(r -> r.is("POST", "/apps/foo-prepare/builds"))
                .findFirst().orElseThrow();
        JsonObject blob = JsonParser.parseString(create.body()).getAsJsonObject().getAsJsonObject("source_blob");
        assertThat(blob.get("version").getAsString()).isEqualTo(f.sha);
        assertThat(blob.get("version_description").getAsString()).startsWith("Add the app [heroku-pipeline order: t=")
                .endsWith(" d=1]");
        byte[] uploaded = f.sim.sourceBytes(blob.get("url").getAsString());
        assertThat(blob.get("checksum").getAsString()).isEqualTo("SHA256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(uploaded)));
        assertThat(entries(uploaded)).containsExactlyInAnyOrder(".gitignore", "Procfile", "pom.xml");
        assertThat(PrepareRecord.read(f.source().workDirectory(), "foo-prepare")).contains(record);
        assertThat(f.reporter.text()).contains("Started build " + record.buildId());
        assertThat(f.reporter.lines()).as("a plain tree needs no JGit")
                .contains("DEBUG The source archive was read by git");
        try (var left = Files.list(f.source().workDirectory())) {
            assertThat(left.map(file -> file.getFileName().toString()))
                    .as("nothing of the archive stays once uploaded").noneMatch(name -> name.startsWith("source-"));
        }
    }

    @Test
    void aLargeFileThatDoesNotCompress_streamsFromGitIntoTheUpload_whoseLengthIsSentFirst() throws Exception {
        byte[] asset = new byte[3 * 1024 * 1024 + 5];
        new java.util.Random(5).nextBytes(asset);
        Files.write(f.repo.root().resolve("asset.bin"), asset);
        String sha = f.repo.commitAll("Add a large asset");

        PrepareRecord record = f.prepare();

        assertThat(record.commit()).isEqualTo(sha);
        RecordedRequest put = f.sim.requests().stream().filter(r -> r.method().equals("PUT")).findFirst()
                .orElseThrow();
        assertThat(put.header("Content-Length")).as("an object store wants the length first")
                .isEqualTo(String.valueOf(record.archiveBytes()));
        assertThat(put.header("Transfer-Encoding")).isNull();
        RecordedRequest create = f.sim.apiRequests().stream().filter(r -> r.is("POST", "/apps/foo-prepare/builds"))
                .findFirst().orElseThrow();
        JsonObject blob = JsonParser.parseString(create.body()).getAsJsonObject().getAsJsonObject("source_blob");
        byte[] uploaded = f.sim.sourceBytes(blob.get("url").getAsString());
        assertThat((long) uploaded.length).isEqualTo(record.archiveBytes());
        assertThat(blob.get("checksum").getAsString()).isEqualTo(record.checksum()).isEqualTo("SHA256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(uploaded)));
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(
                new ByteArrayInputStream(uploaded)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null && !entry.getName().equals("asset.bin")) {
                // the other files
            }
            assertThat(entry).isNotNull();
            assertThat(tar.readAllBytes()).isEqualTo(asset);
        }
        assertThat(f.reporter.text()).contains("read from git as it uploads");
        assertThat(f.reporter.lines()).as("JGit streams large files")
                .contains("DEBUG The source archive was read by JGit");
        assertThat(f.sim.build(record.buildId()).status()).isIn("pending", "succeeded");
        try (var left = Files.list(f.source().workDirectory())) {
            assertThat(left.map(file -> file.getFileName().toString()))
                    .as("the spool is removed once uploaded").noneMatch(name -> name.startsWith("source-"));
        }
    }

    @Test
    void await_givesUpAtItsLimit_andCutsTheWorkOff() throws Exception {
        f.sim.faults().delayNext("PUT", "/blobs/.*", 1, 20_000);
        HerokuClient own = new HerokuClient(HerokuClientConfig.builder(f.sim.apiUrl(), HerokuSimulator.DEFAULT_KEY)
                .build());
        PreparationInProgress work = new Preparation(own, f.reporter, f.waiting).start(new PrepareSettings(
                "foo-prepare", f.source(), List.of(), false), () -> { });
        long started = System.nanoTime();

        assertThatThrownBy(() -> work.await(Duration.ofMillis(500))).isInstanceOf(IOException.class)
                .hasMessageContaining("did not finish within");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(work.isDone()).isTrue();
        assertThat(f.sim.builds("foo-prepare")).isEmpty();
    }

    @Test
    void start_returnsBeforeTheUpload_andTheBuildIsCreatedInTheBackground() throws Exception {
        f.sim.faults().delayNext("PUT", "/blobs/.*", 1, 1500);

        PreparationInProgress work = new Preparation(f.client, f.reporter, f.waiting).start(new PrepareSettings(
                "foo-prepare", f.source(), List.of(), false), () -> { });

        assertThat(f.sim.builds("foo-prepare")).as("no build yet: the upload is still going on").isEmpty();
        assertThat(work.isDone()).isFalse();
        PrepareRecord record = work.await();
        assertThat(f.sim.builds("foo-prepare")).singleElement()
                .satisfies(b -> assertThat(b.id()).isEqualTo(record.buildId()));
    }

    @Test
    void theBuildIsCreatedAfterThreeRoundTrips_theBuildListAndTheUploadUrlAreAskedBesideTheAppCheck()
            throws Exception {
        f.sim.timing().latencyMillis = 150;
        f.sim.clearRequests();

        f.prepare();

        List<RecordedRequest> requests = f.sim.requests();
        // the app check with the build list and the upload URL beside it, the upload, the build
        assertThat(RecordedRequest.sequentialRoundTrips(requests)).as(requests.toString()).isEqualTo(3);
        assertThat(requests).filteredOn(r -> r.is("GET", "/apps/foo-prepare") || r.is("GET", "/apps/foo-prepare/builds")
                || r.is("POST", "/sources")).hasSize(3);
    }

    @Test
    void aFileNameThatIsNotUtf8_isRefusedBeforeAnythingIsWritten() throws Exception {
        f.repo.writeLatin1Name("").commitAll("Add a Latin-1 name");
        f.sim.clearRequests();

        assertThatThrownBy(() -> f.prepare()).isInstanceOf(SourceException.class)
                .hasMessageContaining("file names that are not valid UTF-8: caf").hasMessageContaining("git mv");

        // reads, and the upload URL asked for beside the app check: nothing uploaded, no build
        assertThat(f.sim.apiRequests()).allMatch(r -> r.method().equals("GET") || r.is("POST", "/sources"));
        assertThat(f.sim.requests()).noneMatch(r -> r.path().startsWith("/blobs/"));
    }

    @Test
    void aBuildLabelledWithTheCommit_butMadeFromOtherContent_isNotReused() throws Exception {
        f.sim.timing().buildMillis = 3000;
        String foreign = f.sim.startBuild("foo-prepare", f.sha, "SHA256:" + "0".repeat(64));

        PrepareRecord record = f.prepare();

        assertThat(record.buildId()).isNotEqualTo(foreign);
        assertThat(record.reused()).isFalse();
        assertThat(record.checksum()).isEqualTo(f.checksumOfHead());
        assertThat(f.reporter.text()).contains("but was not made from this commit's archive");
    }

    @Test
    void aBuildOfTheSameContent_isReused() throws Exception {
        f.sim.timing().buildMillis = 3000;
        String same = f.sim.startBuild("foo-prepare", f.sha, f.checksumOfHead());

        PrepareRecord record = f.prepare();

        assertThat(record.buildId()).isEqualTo(same);
        assertThat(record.reused()).isTrue();
    }

    @Test
    void anAppHerokuDoesNotKnow_isRefusedInTheBackground_beforeAnythingIsUploadedOrBuilt() throws Exception {
        PreparationInProgress work = new Preparation(f.client, f.reporter, f.waiting).start(new PrepareSettings(
                "nope", f.source(), List.of(), false), () -> { });

        assertThatThrownBy(work::await).isInstanceOf(DeployException.class).hasMessageContaining("'nope'");
        assertThat(work.refusal()).get().isInstanceOf(DeployException.class);
        assertNoUploadNorBuild();
        assertThat(f.reporter.text()).contains("Heroku has no app 'nope'").contains("Nothing was uploaded");
    }

    @Test
    void aRejectedKey_isARefusal_butAFailureAfterTheAppCheckIsNot() throws Exception {
        try (HerokuClient wrong = new HerokuClient(HerokuClientConfig.builder(f.sim.apiUrl(), "bad").build())) {
            PreparationInProgress work = new Preparation(wrong, f.reporter, f.waiting).start(new PrepareSettings(
                    "foo-prepare", f.source(), List.of(), false), () -> { });
            assertThatThrownBy(work::await).isInstanceOf(HerokuApiException.Unauthorized.class);
            assertThat(work.refusal()).get().isInstanceOf(HerokuApiException.Unauthorized.class);
        }
        f.sim.faults().failNext("POST", "/apps/foo-prepare/builds", 1, 422);
        PreparationInProgress work = new Preparation(f.client, f.reporter, f.waiting).start(new PrepareSettings(
                "foo-prepare", f.source(), List.of(), false), () -> { });
        assertThatThrownBy(work::await).isInstanceOf(HerokuApiException.class);
        assertThat(work.refusal()).isEmpty();
    }

    /** The goal returns once git has answered for the commit and the working tree; Heroku's answer comes later. */
    @Test
    void start_returnsBeforeTheAppCheckIsAnswered_andChecksTheAppBeforeTheBuild() throws Exception {
        f.sim.faults().delayNext("GET", "/apps/foo-prepare", 1, 3000);

        PreparationInProgress work = new Preparation(f.client, f.reporter, f.waiting).start(new PrepareSettings(
                "foo-prepare", f.source(), List.of(), false), () -> { });

        assertThat(work.isDone()).isFalse();
        assertNoUploadNorBuild();
        PrepareRecord record = work.await();
        assertThat(record.app()).isEqualTo("foo-prepare");
        assertThat(f.sim.builds("foo-prepare")).hasSize(1);
    }

    @Test
    void prepare_sendsRangeWhenListingBuilds_andNoKeyToTheUploadUrl() throws Exception {
        f.prepare();
        RecordedRequest list = f.sim.apiRequests().stream().filter(r -> r.is("GET", "/apps/foo-prepare/builds"))
                .findFirst().orElseThrow();
        assertThat(list.header("Range")).contains("order=desc");
        RecordedRequest put = f.sim.requests().stream().filter(r -> r.method().equals("PUT")).findFirst()
                .orElseThrow();
        assertThat(put.authorized()).isFalse();
    }

    @Test
    void prepare_again_forTheSameCommit_reusesTheBuild() throws Exception {
        f.sim.timing().buildMillis = 3000;
        PrepareRecord first = f.prepare();
        f.sim.clearRequests();

        PrepareRecord second = f.prepare();

        assertThat(second.buildId()).isEqualTo(first.buildId());
        assertThat(second.reused()).isTrue();
        assertThat(f.sim.builds("foo-prepare")).hasSize(1);
        assertNoUploadNorBuild();
        assertThat(f.reporter.text()).contains("reusing it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cedar", "fir"})
    void prepare_again_afterTheBuildSucceeded_reusesIt_whenItsSlugOrImageIsTheCommit(String generation)
            throws Exception {
        f.sim.useGeneration("foo", generation);
        PrepareRecord first = f.prepare();
        Await.until(() -> f.sim.build(first.buildId()).status(), s -> !s.equals("pending"), Duration.ofSeconds(10));
        f.sim.clearRequests();

        PrepareRecord second = f.prepare();

        assertThat(second.buildId()).isEqualTo(first.buildId());
        assertThat(second.reused()).isTrue();
        assertThat(f.reporter.text()).contains("already succeeded: reusing it");
        String artifactPath = "fir".equals(generation) ? "/apps/foo-prepare/oci-images/" : "/apps/foo-prepare/slugs/";
        assertThat(f.sim.apiRequests()).anyMatch(r -> r.method().equals("GET") && r.path().startsWith(artifactPath));
        assertNoUploadNorBuild();
    }

    @Test
    void prepare_cancelsOnlyPendingBuildsOfOlderCommits_andNamesThemInItsOwnBuild() throws Exception {
        String older = f.sha;
        String head = f.repo.write("a.txt", "A").commitAll("Commit A");
        String newer = f.repo.write("n.txt", "N").commitAll("Commit N");
        f.repo.git("checkout", "-q", head); // a re-run of an old job: HEAD is older than the newest commit
        f.sim.timing().buildMillis = 3000;
        String olderBuild = f.sim.startBuild("foo-prepare", older);
        String newerBuild = f.sim.startBuild("foo-prepare", newer);
        String foreignBuild = f.sim.startBuild("foo-prepare", "d4e5f6a7".repeat(5));

        PrepareRecord record = new Preparation(f.client, f.reporter, f.waiting).prepare(new PrepareSettings(
                "foo-prepare", f.source(), List.of(), true));

        assertThat(f.sim.build(olderBuild).status()).isEqualTo("failed");
        assertThat(f.sim.build(newerBuild).status()).as("a newer commit's build is never cancelled")
                .isEqualTo("pending");
        assertThat(f.sim.build(foreignBuild).status()).as("nor one git does not know").isEqualTo("pending");
        assertThat(f.reporter.text()).contains("Cancelled superseded build " + olderBuild);
        RecordedRequest create = f.sim.apiRequests().stream().filter(r -> r.is("POST", "/apps/foo-prepare/builds"))
                .findFirst().orElseThrow();
        assertThat(create.body()).contains("Commit A [heroku-pipeline superseded builds: " + olderBuild + "]");
        assertThat(f.sim.build(record.buildId()).version()).isEqualTo(head);
    }

    @Test
    void prepare_withoutCancelSuperseded_leavesOtherBuildsAlone() throws Exception {
        String older = f.sha;
        f.repo.write("a.txt", "A").commitAll("Commit A");
        f.sim.timing().buildMillis = 3000;
        String olderBuild = f.sim.startBuild("foo-prepare", older);

        f.prepare();

        assertThat(f.sim.build(olderBuild).status()).isEqualTo("pending");
    }

    @Test
    void prepare_withUncommittedChanges_failsListingThem() throws Exception {
        f.repo.write("Procfile", "web: changed\n");

        assertThatThrownBy(f::prepare).isInstanceOf(SourceException.class)
                .hasMessageContaining("Procfile").hasMessageContaining("allowDirty");
        assertThat(f.sim.builds("foo-prepare")).isEmpty();
    }

    @Test
    void prepare_withAllowDirty_warnsAndShipsTheCommittedContent() throws Exception {
        f.repo.write("Procfile", "web: changed\n");
        SourceSettings dirtyOk = new SourceSettings(f.repo.root(), null, null, true,
                f.source().workDirectory());

        PrepareRecord record = new Preparation(f.client, f.reporter, f.waiting).prepare(
                new PrepareSettings("foo-prepare", dirtyOk, List.of(), true));

        assertThat(record.buildId()).isNotNull();
        assertThat(f.reporter.text()).contains("WARN 1 tracked file(s) differ");
    }

    @Test
    void prepare_unknownApp_namesTheSetting() {
        assertThatThrownBy(() -> new Preparation(f.client, f.reporter, f.waiting).prepare(
                new PrepareSettings("nope", f.source(), List.of(), true)))
                .isInstanceOf(DeployException.class).hasMessageContaining("'nope'")
                .hasMessageContaining("-Dheroku.prepareApp");
    }

    @Test
    void prepare_badKey_isUnauthorized() throws IOException {
        try (HerokuClient wrong = new HerokuClient(HerokuClientConfig.builder(f.sim.apiUrl(), "bad").build())) {
            assertThatThrownBy(() -> new Preparation(wrong, f.reporter, f.waiting).prepare(
                    new PrepareSettings("foo-prepare", f.source(), List.of(), true)))
                    .isInstanceOf(HerokuApiException.Unauthorized.class);
        }
    }

    @Test
    void prepare_withBuildpacks_sendsThem() throws Exception {
        new Preparation(f.client, f.reporter, f.waiting).prepare(new PrepareSettings("foo-prepare", f.source(),
                List.of("heroku/jvm", "https://github.com/example/buildpack.git"), true));
        RecordedRequest create = f.sim.apiRequests().stream().filter(r -> r.is("POST", "/apps/foo-prepare/builds"))
                .findFirst().orElseThrow();
        assertThat(create.body()).contains("{\"name\":\"heroku/jvm\"}")
                .contains("{\"url\":\"https://github.com/example/buildpack.git\"}");
    }

    @Test
    void notAGitRepository_isASourceProblem() throws IOException {
        Path plain = Files.createDirectories(temp.resolve("plain"));
        assertThatThrownBy(() -> new Preparation(f.client, f.reporter, f.waiting).prepare(new PrepareSettings(
                "foo-prepare", new SourceSettings(plain, null, null, false, plain.resolve("t")), List.of(), true)))
                .isInstanceOf(SourceException.class).hasMessageContaining("not inside a git repository");
        assertThat(f.sim.apiRequests()).isEmpty();
    }

    @Test
    void aRepositoryProblem_isReportedBeforeAnAppProblemFoundBesideIt() throws IOException {
        Path empty = temp.resolve("empty");
        TestRepo.init(empty);
        assertThatThrownBy(() -> new Preparation(f.client, f.reporter, f.waiting).prepare(new PrepareSettings(
                "no-such-app", new SourceSettings(empty, null, null, false, empty.resolve("t")), List.of(), true)))
                .isInstanceOf(SourceException.class).hasMessageContaining("has no commit yet");
    }

    static List<String> entries(byte[] tarGz) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(
                new ByteArrayInputStream(tarGz)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    /**
     * Nothing uploaded and no build started (a reused build, a refused app, an app check still unanswered); the
     * upload URL asked for beside the look-ups (to save a round trip when a build is needed) is the one write it may
     * have sent.
     */
    private void assertNoUploadNorBuild() {
        assertThat(f.sim.requests()).noneMatch(r -> r.method().equals("PUT")
                || (r.method().equals("POST") && !r.path().equals("/sources")));
        assertThat(f.sim.requests()).filteredOn(r -> r.method().equals("POST")).hasSizeLessThanOrEqualTo(1);
    }
}
