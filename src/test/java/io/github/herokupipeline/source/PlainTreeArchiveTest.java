package io.github.herokupipeline.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.herokupipeline.testing.TestRepo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive read through the git executable ({@link SourceArchive#ofPlainTree}) against JGit's ({@link
 * SourceArchive#of}, the reference) of the same commit: the same bytes, so the same checksum, whichever of them a
 * later job uses to recognise a build; and no answer wherever only JGit knows how (attributes, submodules, large
 * files), so that JGit makes those.
 */
class PlainTreeArchiveTest {

    @TempDir
    Path temp;

    private TestRepo repo;

    @BeforeEach
    void setUp() throws IOException {
        repo = TestRepo.init(temp.resolve("repo"));
        byte[] noise = new byte[200_000];
        new Random(7).nextBytes(noise);
        repo.write("README.md", "hello\n").write("app/pom.xml", "<project/>\n")
                .write("app/src/main/java/Main.java", "class Main {}\n".repeat(500))
                .executable("app/bin/run", "#!/bin/sh\necho run\n").symlink("app/current", "bin/run")
                .write("app/empty.txt", "").write("a-b", "1").write("a.b", "2").write("a/b", "3").write("a0", "4")
                .write("ab", "5").write("caf\u00e9/\u00f1and\u00fa.txt", "unicode\n")
                .write("app/" + "deep/".repeat(30) + "long-name.txt", "a path over 100 characters\n")
                .write("app/model.bin", "version https://git-lfs.github.com/spec/v1\noid sha256:"
                        + "0".repeat(64) + "\nsize 12345\n");
        Files.write(repo.root().resolve("app/noise.bin"), noise);
        repo.commitAll("A tree of every kind of file");
    }

    @Test
    void aPlainTree_givesJGitsBytes_forTheWholeRepositoryAndASubdirectory() throws Exception {
        for (String subdirectory : new String[] {"", "app", "app/src"}) {
            Archived viaGit = viaGit(subdirectory, true).orElseThrow();
            Archived viaJGit = viaJGit(subdirectory, true);

            assertThat(viaGit.bytes).as(subdirectory).isEqualTo(viaJGit.bytes);
            assertThat(viaGit.files).as(subdirectory).isEqualTo(viaJGit.files).isPositive();
            assertThat(viaGit.lfsPointers).as(subdirectory).isEqualTo(viaJGit.lfsPointers);
        }
        assertThat(viaGit("app", true).orElseThrow().lfsPointers).isEqualTo(1);
    }

    @Test
    void attributesThatSayNothingOfExportIgnore_leaveTheTreePlain() throws Exception {
        repo.write(".gitattributes", "* text=auto\n*.bin binary\n").write("app/.gitattributes", "*.sh eol=lf\n");
        repo.commitAll("Attributes");
        Path info = Files.createDirectories(repo.root().resolve(".git/info")).resolve("attributes");
        Files.writeString(info, "*.md diff=markdown\n");

        assertThat(viaGit("", true).orElseThrow().bytes).isEqualTo(viaJGit("", true).bytes);
    }

    @Test
    void exportIgnore_inTheCommitOrInInfoAttributes_isLeftToJGit() throws Exception {
        repo.write("app/.gitattributes", "noise.bin export-ignore\n").commitAll("Leave the noise out");
        assertThat(viaGit("", true)).isEmpty();
        assertThat(viaJGit("", true).files).as("JGit honours it").isEqualTo(viaJGit("", false).files);

        repo.git("rm", "-q", "app/.gitattributes");
        repo.commitAll("Keep the noise");
        assertThat(viaGit("", true)).isPresent();
        Path info = Files.createDirectories(repo.root().resolve(".git/info")).resolve("attributes");
        Files.writeString(info, "[attr]generated export-ignore\n");
        assertThat(viaGit("", true)).isEmpty();
    }

    @Test
    void aGlobalAttributesFile_isLeftToJGit() throws Exception {
        repo.git("config", "core.attributesFile", temp.resolve("global-attributes").toString());

        assertThat(viaGit("", true)).isEmpty();
    }

    @Test
    void aFileTooLargeToHoldInMemory_isLeftToJGit() throws Exception {
        Files.write(repo.root().resolve("app/large.bin"), new byte[(int) SourceArchive.DEFERRED_MIN]);
        repo.commitAll("A large file");

        assertThat(viaGit("", true)).isEmpty();
        assertThat(viaGit("app/src", true)).as("outside the source directory").isPresent();
    }

    @Test
    void submodules_areLeftToJGit_unlessTheyAreLeftOut() throws Exception {
        repo.addSubmodule(TestRepo.theme(temp.resolve("theme")), "app/vendor/theme").commitAll("Add the theme");

        assertThat(viaGit("", true)).isEmpty();
        assertThat(viaGit("", false).orElseThrow().bytes).isEqualTo(viaJGit("", false).bytes);
    }

    @Test
    void aNameThatIsNotUtf8_isLeftToJGit() throws Exception {
        repo.writeLatin1Name("").commitAll("A Latin-1 name");

        assertThat(viaGit("", true)).isEmpty();
    }

    @Test
    void aSourceDirectoryWithoutFiles_isRefusedAsJGitRefusesIt() throws Exception {
        assertThatThrownBy(() -> viaGit("nowhere", true)).isInstanceOf(SourceException.class)
                .hasMessage(messageOf(() -> viaJGit("nowhere", true)));
        assertThat(Files.exists(spool())).as("no spool left behind").isFalse();
    }

    @Test
    void treeFiles_readsLsTreeOutput_andRefusesWhatItDoesNotKnow() {
        String sha = "0123456789abcdef0123456789abcdef01234567";
        String plain = "100644 blob " + sha + "      12\tREADME.md\0" + "100755 blob " + sha + " 3\tbin/run\0"
                + "120000 blob " + sha + "       6\tcurrent\0" + "160000 commit " + sha + "       -\tvendor/theme\0";

        assertThat(GitTree.treeFiles(bytes(plain))).hasValueSatisfying(files -> assertThat(files)
                .containsExactly(new GitTree.TreeFile(0100644, sha, 12, "README.md"),
                        new GitTree.TreeFile(0100755, sha, 3, "bin/run"),
                        new GitTree.TreeFile(0120000, sha, 6, "current"),
                        new GitTree.TreeFile(0160000, sha, -1, "vendor/theme")));
        assertThat(GitTree.treeFiles(bytes(""))).hasValueSatisfying(files -> assertThat(files).isEmpty());
        assertThat(GitTree.treeFiles(bytes("100644 blob " + sha + " 12\tREADME.md"))).as("cut short").isEmpty();
        assertThat(GitTree.treeFiles(bytes("100644 blob " + sha + "\tREADME.md\0"))).as("no size").isEmpty();
        assertThat(GitTree.treeFiles(bytes("040000 tree " + sha + " -\tsrc\0"))).as("a tree").isEmpty();
        assertThat(GitTree.treeFiles(bytes("100644 commit " + sha + " -\tx\0"))).as("odd type").isEmpty();
        assertThat(GitTree.treeFiles(bytes("100644 blob " + sha + " -\tx\0"))).as("blob, no size").isEmpty();
        assertThat(GitTree.treeFiles(bytes("160000 commit " + sha + " 3\tx\0"))).as("sized link").isEmpty();
        assertThat(GitTree.treeFiles(bytes("100644 blob xyz 3\tx\0"))).as("bad id").isEmpty();
        assertThat(GitTree.treeFiles(bytes("100644 blob " + sha + " 3 x\0"))).as("no tab").isEmpty();
    }

    private record Archived(byte[] bytes, int files, int lfsPointers) {}

    private Optional<Archived> viaGit(String subdirectory, boolean submodules) throws Exception {
        GitExecutable git = GitExecutable.at(repo.root()).orElseThrow();
        Commit commit = git.resolve(null).orElseThrow();
        Optional<SourceArchive> archive = SourceArchive.ofPlainTree(git, commit, subdirectory, spool(), submodules);
        if (archive.isEmpty()) {
            assertThat(Files.exists(spool())).as("no spool left behind").isFalse();
            return Optional.empty();
        }
        try (SourceArchive opened = archive.get()) {
            return Optional.of(archived(opened));
        }
    }

    private Archived viaJGit(String subdirectory, boolean submodules) throws Exception {
        try (GitSource git = GitSource.open(repo.root());
                SourceArchive archive = SourceArchive.of(git, git.resolve(null), subdirectory, spool(), submodules)) {
            return archived(archive);
        }
    }

    private static Archived archived(SourceArchive archive) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        archive.writeTo(out);
        assertThat(out.size()).isEqualTo(archive.bytes());
        return new Archived(out.toByteArray(), archive.files(), archive.lfsPointers());
    }

    private Path spool() {
        return temp.resolve("work/source.spool");
    }

    private static String messageOf(ThrowingCall call) {
        try {
            call.run();
        } catch (Exception e) {
            return e.getMessage();
        }
        throw new AssertionError("JGit did not refuse it");
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
