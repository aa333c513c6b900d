package io.github.herokupipeline.pipeline.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.herokupipeline.heroku.model.Build;
import io.github.herokupipeline.heroku.model.Ref;
import io.github.herokupipeline.heroku.model.Release;
import io.github.herokupipeline.heroku.model.SourceBlob;
import io.github.herokupipeline.pipeline.common.CommitLookup.Running;
import io.github.herokupipeline.source.Commit;
import io.github.herokupipeline.testing.RecordingReporter;
import io.github.herokupipeline.testing.TestRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared decisions without a server: which builds were superseded, which content a build is, what runs. */
class DecisionsTest {

    private static final String SHA = "60883d9e8947a57e04dc9124f25df004866a2051";
    private static final Commit COMMIT = new Commit(SHA, "Add the app", 0);

    private static Build build(String id, String status, String version, String checksum, String description) {
        return new Build(id, status, null, new SourceBlob(null, version, checksum, description), null, null, null,
                null, null, null, null);
    }

    private static Release release(String id, int version, String status, boolean current) {
        return new Release(id, version, status, current, new Ref("slug-" + id, null), null, null, null, null, false,
                null, null, null);
    }

    @Test
    void describe_namesTheCancelledBuilds_onlyWhenThereAreAny() {
        assertThat(Superseded.describe(COMMIT, List.of())).isEqualTo("Add the app");
        String described = Superseded.describe(COMMIT, List.of(build("b1", "pending", null, null, null),
                build("b2", "pending", null, null, null)));
        assertThat(described).isEqualTo("Add the app" + Superseded.MARKER + "b1 b2]");
    }

    @Test
    void cancelledBy_findsTheBuildWhoseMarkerNamesIt() {
        Build cancelled = build("old-build", "failed", "a".repeat(40), null, "Old");
        Build unrelated = build("x", "succeeded", "c".repeat(40), null, "Other" + Superseded.MARKER + "someone]");
        Build plain = build("y", "succeeded", "d".repeat(40), null, "Mentions old-build but has no marker");
        Build noBlob = new Build("z", "succeeded", null, null, null, null, null, null, null, null, null);
        Build canceller = build("new-build", "pending", "b".repeat(40), null,
                "New" + Superseded.MARKER + "old-build]");

        assertThat(Superseded.cancelledBy(cancelled, List.of(unrelated, plain, noBlob, canceller)))
                .contains(canceller);
        assertThat(Superseded.cancelledBy(cancelled, List.of(unrelated, plain, noBlob))).isEmpty();
        assertThat(Superseded.cancelledBy(build("other", "failed", null, null, null), List.of(canceller))).isEmpty();
    }

    @Test
    void sourceContent_matchesOnlyTheSameChecksum_andSaysWhyNot() {
        RecordingReporter reporter = new RecordingReporter();
        String checksum = "SHA256:" + "ab".repeat(32);

        assertThat(SourceContent.matches(build("b", "succeeded", SHA, checksum, null), checksum, "p", reporter))
                .isTrue();
        assertThat(SourceContent.matches(build("b", "succeeded", SHA, checksum.toUpperCase(), null), checksum, "p",
                reporter)).isTrue();
        assertThat(reporter.lines()).isEmpty();
        assertThat(SourceContent.matches(build("b1", "succeeded", SHA, "SHA256:" + "cd".repeat(32), null), checksum,
                "p", reporter)).isFalse();
        assertThat(SourceContent.matches(build("b2", "succeeded", SHA, null, null), checksum, "p", reporter))
                .isFalse();
        assertThat(SourceContent.matches(build("b3", "succeeded", SHA, checksum, null), null, "p", reporter))
                .isFalse();
        assertThat(reporter.text()).contains("b1 on p is labelled 60883d9e but was not made from this commit's archive"
                + " (its source checksum is SHA256:cdcd").contains("b2 on p").contains("has no checksum");
    }

    @Test
    void expectedContent_comesFromThisCommitsRecord_elseFromTheArchive(@TempDir Path temp) throws Exception {
        TestRepo repo = TestRepo.init(temp.resolve("app"));
        String sha = repo.write("pom.xml", "<project/>").commitAll("App");
        SourceSettings source = new SourceSettings(repo.root(), null, null, false, temp.resolve("work"));
        SourcePackager packager = new SourcePackager(source, new RecordingReporter(), Waiting.system());
        Commit commit = packager.commit();
        String actual = SourceContent.expected(source, "foo-prepare", commit, packager);
        assertThat(actual).startsWith("SHA256:").hasSize("SHA256:".length() + 64);
        try (var left = Files.list(source.workDirectory())) {
            assertThat(left).as("the archive written for its checksum is deleted").isEmpty();
        }

        record(source, sha, "SHA256:recorded");
        assertThat(SourceContent.expected(source, "foo-prepare", commit, packager)).isEqualTo("SHA256:recorded");
        record(source, "f".repeat(40), "SHA256:recorded");
        assertThat(SourceContent.expected(source, "foo-prepare", commit, packager)).isEqualTo(actual);
        record(source, sha, null);
        assertThat(SourceContent.expected(source, "foo-prepare", commit, packager)).isEqualTo(actual);
        assertThat(SourceContent.expected(source, "other-prepare", commit, packager)).isEqualTo(actual);
    }

    private static void record(SourceSettings source, String commit, String checksum) throws Exception {
        new PrepareRecord("foo-prepare", "id", "build", commit, "t0", "t1", false, 1, 1, checksum)
                .write(source.workDirectory());
    }

    @Test
    void runningRelease_isTheCurrentOne_elseTheNewestThatSucceeded() {
        Release failed = release("r3", 3, Release.FAILED, false);
        Release current = release("r1", 1, Release.SUCCEEDED, true);
        Release succeeded = release("r2", 2, Release.SUCCEEDED, false);

        assertThat(CommitLookup.runningRelease(List.of(failed, succeeded, current))).contains(current);
        assertThat(CommitLookup.runningRelease(List.of(failed, succeeded))).contains(succeeded);
        assertThat(CommitLookup.runningRelease(List.of(failed))).isEmpty();
    }

    @Test
    void running_isTheCommit_ignoringCase_neverNull() {
        Running running = new Running(release("r", 7, Release.SUCCEEDED, true), null, SHA, "heroku-24");
        assertThat(running.isCommit(SHA.toUpperCase())).isTrue();
        assertThat(running.isCommit("b".repeat(40))).isFalse();
        assertThat(running.isCommit(null)).isFalse();
        assertThat(new Running(release("r", 7, Release.SUCCEEDED, true), null, null, null).isCommit(SHA)).isFalse();
        assertThat(running.version()).isEqualTo(7);
    }
}
