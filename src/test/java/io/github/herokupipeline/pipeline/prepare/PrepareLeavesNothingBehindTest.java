package io.github.herokupipeline.pipeline.prepare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.HerokuClientConfig;
import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.common.PrepareRecord;
import io.github.herokupipeline.pipeline.common.SourceSettings;
import io.github.herokupipeline.source.SourceException;
import io.github.herokupipeline.testing.Await;
import io.github.herokupipeline.testing.PipelineFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Whatever path prepare leaves by, nothing it started is still running when it returns: no thread of the plugin is
 * alive and no file under {@code target/heroku-pipeline} still grows. Exits that make no build write no archive.
 */
@Isolated("it checks that no thread of the plugin is alive, so no other test may run meanwhile")
class PrepareLeavesNothingBehindTest {

    @TempDir
    Path temp;

    private PipelineFixture f;

    @BeforeEach
    void start() throws IOException {
        f = new PipelineFixture(temp);
        // a repository large enough that writing its archive takes a while
        for (int i = 0; i < 400; i++) {
            f.repo.write("data/file-" + i + ".txt", ("line " + i + "\n").repeat(2000));
        }
        f.repo.commitAll("Add data");
    }

    @AfterEach
    void stop() throws IOException {
        f.close();
    }

    private void assertNothingLeftBehind(boolean archiveExpected) throws Exception {
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(thread -> thread.getName().startsWith("heroku-pipeline") && thread.isAlive());
        Path work = f.source().workDirectory();
        Map<String, Long> before = sizes(work);
        Thread.sleep(300);
        assertThat(sizes(work)).as("files under target/heroku-pipeline after the goal returned").isEqualTo(before);
        assertThat(before.keySet()).noneMatch(name -> name.endsWith(".partial"));
        if (!archiveExpected) {
            assertThat(before.keySet()).as("archives").noneMatch(name -> name.endsWith(".tar.gz")
                    || name.endsWith(".spool"));
        }
    }

    private static Map<String, Long> sizes(Path directory) throws IOException {
        Map<String, Long> sizes = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            return sizes;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                sizes.put(file.getFileName().toString(), Files.size(file));
            }
        }
        return sizes;
    }

    @Test
    void unknownApp() throws Exception {
        assertThatThrownBy(() -> new Preparation(f.client, f.reporter, f.waiting).prepare(new PrepareSettings(
                "nope", f.source(), List.of(), false))).isInstanceOf(DeployException.class);
        assertNothingLeftBehind(false);
    }

    @Test
    void badKey() throws Exception {
        try (HerokuClient wrong = new HerokuClient(HerokuClientConfig.builder(f.sim.apiUrl(), "bad").build())) {
            assertThatThrownBy(() -> new Preparation(wrong, f.reporter, f.waiting).prepare(new PrepareSettings(
                    "foo-prepare", f.source(), List.of(), false))).isInstanceOf(IOException.class);
        }
        assertNothingLeftBehind(false);
    }

    @Test
    void commitThatDoesNotExist_endsTheArchiveWaitingForIt() throws Exception {
        SourceSettings source = f.source();
        SourceSettings unknownCommit = new SourceSettings(source.projectDirectory(), null, "no-such-commit", false,
                source.workDirectory());

        assertThatThrownBy(() -> new Preparation(f.client, f.reporter, f.waiting).prepare(new PrepareSettings(
                "foo-prepare", unknownCommit, List.of(), false))).isInstanceOf(SourceException.class)
                .hasMessageContaining("no-such-commit");
        assertNothingLeftBehind(false);
        // an upload URL is asked for beside the app check; nothing is uploaded and no build is started
        assertThat(f.sim.requests()).noneMatch(request -> request.method().equals("PUT")
                || (request.method().equals("POST") && !request.path().equals("/sources")));
    }

    @Test
    void beginningDiscarded_beforeAClientWasMade() throws Exception {
        // the goal begins with git and the archive, then reads the key: a key or setting it refuses ends it there
        Preparation.Beginning beginning = Preparation.begin(new PrepareSettings("foo-prepare", f.source(), List.of(),
                false), f.reporter, f.waiting);

        beginning.discard();

        assertNothingLeftBehind(false);
        assertThat(f.sim.requests()).isEmpty();
    }

    @Test
    void dirtyTree() throws Exception {
        f.repo.write("data/file-1.txt", "changed");
        assertThatThrownBy(f::prepare).hasMessageContaining("data/file-1.txt");
        assertNothingLeftBehind(false);
    }

    @Test
    void reusedBuild_leavesNoArchive() throws Exception {
        f.sim.timing().buildMillis = 3000;
        String running = f.sim.startBuild("foo-prepare", f.repo.git("rev-parse", "HEAD").strip(),
                f.checksumOfHead());

        PrepareRecord record = f.prepare();

        assertThat(record.buildId()).isEqualTo(running);
        assertThat(record.reused()).isTrue();
        assertNothingLeftBehind(false);
    }

    @Test
    void backgroundWorkCancelled_midWay() throws Exception {
        assertCancelledWhileTheBuildsAreLookedUp(300);
    }

    /**
     * Cancelled while a look-up is under way that outlasts the archive and the other helpers: the interrupt cannot cut
     * the request, so it must stop the work at the next step, before anything is uploaded or built.
     */
    @Test
    void backgroundWorkCancelled_whileALookUpOutlastsTheArchive() throws Exception {
        assertCancelledWhileTheBuildsAreLookedUp(1500);
    }

    /** The goal returned before Heroku answered for the app; the work is cancelled while that answer is awaited. */
    @Test
    void backgroundWorkCancelled_whileTheAppCheckIsUnanswered() throws Exception {
        assertCancelledWhileLookingUp("/apps/foo-prepare", 1500);
    }

    private void assertCancelledWhileTheBuildsAreLookedUp(long lookUpMillis) throws Exception {
        assertCancelledWhileLookingUp("/apps/foo-prepare/builds", lookUpMillis);
    }

    private void assertCancelledWhileLookingUp(String path, long lookUpMillis) throws Exception {
        f.sim.faults().delayNext("GET", path, 1, lookUpMillis);
        PreparationInProgress work = new Preparation(f.client, f.reporter, f.waiting).start(new PrepareSettings(
                "foo-prepare", f.source(), List.of(), false), () -> { });

        work.cancel();

        assertThat(work.isDone()).isTrue();
        assertNothingLeftBehind(false);
        assertThat(f.sim.builds("foo-prepare")).isEmpty();
        assertThat(f.sim.requests()).noneMatch(r -> r.path().startsWith("/blobs/"));
    }

    @Test
    void newBuild() throws Exception {
        PrepareRecord record = f.prepare();

        assertThat(record.reused()).isFalse();
        assertNothingLeftBehind(true);
        Await.until(() -> f.sim.build(record.buildId()).status(), s -> !s.equals("pending"), Duration.ofSeconds(10));
    }
}
