package io.github.herokupipeline.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.herokupipeline.testing.TestRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The git executable's quick answers against JGit's ({@link GitSource}, the reference) on the same repositories: the
 * same commit, the same changed files, and no answer where JGit has something to refuse.
 */
class GitExecutableTest {

    @TempDir
    Path dir;

    private TestRepo repo;

    @BeforeEach
    void setUp() throws IOException {
        repo = TestRepo.init(dir.resolve("repo"));
        repo.write("README.md", "hello\n").write("app/src/Main.java", "class Main {}\n")
                .write("app/pom.xml", "<project/>\n").executable("bin/run", "#!/bin/sh\n")
                .write("docs/guide.md", "guide\n");
        repo.commitAll("First line of the subject\nsecond line of the subject\n\nThe body.");
    }

    @Test
    void resolve_matchesJGit_forHeadATagABranchAndAShortSha() throws Exception {
        String head = repo.git("rev-parse", "HEAD").strip();
        repo.git("tag", "v1");
        repo.git("branch", "feature");
        GitExecutable git = GitExecutable.at(repo.root().resolve("app")).orElseThrow();

        for (String revision : new String[] {null, "", "HEAD", "v1", "feature", head, head.substring(0, 10)}) {
            assertThat(git.resolve(revision)).as(String.valueOf(revision)).contains(jgit(g -> g.resolve(revision)));
        }
        assertThat(git.resolve(null).orElseThrow().subject())
                .isEqualTo("First line of the subject second line of the subject");
    }

    @Test
    void resolve_readsObjectsAsStored_asJGitDoes_whateverGitReplaceSays() throws Exception {
        String first = repo.git("rev-parse", "HEAD").strip();
        repo.write("README.md", "second\n").commitAll("Second");
        repo.git("replace", "HEAD", first);

        assertThat(GitExecutable.at(repo.root()).orElseThrow().resolve(null)).contains(jgit(g -> g.resolve(null)))
                .hasValueSatisfying(commit -> assertThat(commit.subject()).isEqualTo("Second"));
    }

    @Test
    void resolve_leavesWhatJGitMustWordToJGit() throws Exception {
        GitExecutable git = GitExecutable.at(repo.root()).orElseThrow();

        assertThat(git.resolve("no-such-branch")).isEmpty();
        assertThat(git.resolve("--output=/tmp/x")).isEmpty();
        assertThatThrownBy(() -> jgit(g -> g.resolve("no-such-branch"))).isInstanceOf(SourceException.class)
                .hasMessageContaining("'no-such-branch'");
    }

    @Test
    void changedTrackedFiles_matchJGit_forEveryKindOfChange() throws Exception {
        GitExecutable git = GitExecutable.at(repo.root()).orElseThrow();
        assertThat(git.changedTrackedFiles("")).contains(List.of()).contains(jgit(g -> g.changedTrackedFiles("")));

        repo.write("README.md", "changed\n"); // modified, not staged
        Files.delete(repo.root().resolve("docs/guide.md")); // deleted, not staged
        repo.write("app/New.java", "class New {}\n");
        repo.git("add", "app/New.java"); // added
        repo.git("mv", "app/pom.xml", "app/build.xml"); // renamed in the index
        Files.setPosixFilePermissions(repo.root().resolve("bin/run"), PosixFilePermissions.fromString("rw-r--r--"));
        repo.write("untracked.txt", "never shipped\n");

        List<String> expected = jgit(g -> g.changedTrackedFiles(""));
        assertThat(expected).contains("README.md", "docs/guide.md", "app/New.java", "app/pom.xml", "app/build.xml",
                "bin/run").doesNotContain("untracked.txt");
        assertThat(git.changedTrackedFiles("")).contains(expected);
        assertThat(git.changedTrackedFiles("app")).contains(jgit(g -> g.changedTrackedFiles("app")))
                .contains(List.of("app/New.java", "app/build.xml", "app/pom.xml"));
    }

    @Test
    void answersLongerThanAPipeHolds_arriveWhole() throws Exception {
        // 2,000 changed files with long names: git's status runs to about 200 KB, three times what a pipe holds
        String directory = "a-directory-with-a-long-name-so-that-every-line-of-the-answer-is-long/";
        for (int i = 0; i < 2000; i++) {
            repo.write(directory + "file-with-a-long-name-" + i + ".txt", "first\n");
        }
        repo.commitAll("Many files");
        for (int i = 0; i < 2000; i++) {
            repo.write(directory + "file-with-a-long-name-" + i + ".txt", "changed\n");
        }
        GitExecutable git = GitExecutable.at(repo.root()).orElseThrow();

        List<String> changed = git.changedTrackedFiles("").orElseThrow();
        assertThat(changed).hasSize(2000).isEqualTo(jgit(g -> g.changedTrackedFiles("")));
        assertThat(String.join("\0", changed).length()).isGreaterThan(3 * 65536);
        assertThat(git.filesArePlain(git.resolve(null).orElseThrow(), "", true)).isTrue();
    }

    @Test
    void changedTrackedFiles_matchJGit_forAConflict() throws Exception {
        repo.git("checkout", "-q", "-b", "other");
        repo.write("README.md", "theirs\n").commitAll("Theirs");
        repo.git("checkout", "-q", "main");
        repo.write("README.md", "ours\n").commitAll("Ours");
        assertThatThrownBy(() -> repo.git("merge", "-q", "other")).isInstanceOf(IOException.class);

        assertThat(GitExecutable.at(repo.root()).orElseThrow().changedTrackedFiles(""))
                .contains(jgit(g -> g.changedTrackedFiles(""))).contains(List.of("README.md"));
    }

    @Test
    void filesArePlain_whenJGitFindsNothingToRefuse() throws Exception {
        Commit head = jgit(g -> g.resolve(null));
        GitExecutable git = GitExecutable.at(repo.root()).orElseThrow();

        assertThat(git.filesArePlain(head, "", true)).isTrue();
        assertThat(jgitNonUtf8Names(head, "", true, 21)).isEmpty();
    }

    @Test
    void filesArePlain_isFalse_forANameThatIsNotUtf8_unlessItIsOutsideTheSourceDirectory() throws Exception {
        repo.writeLatin1Name("docs/").commitAll("A Latin-1 name");
        Commit head = jgit(g -> g.resolve(null));
        GitExecutable git = GitExecutable.at(repo.root()).orElseThrow();

        assertThat(git.filesArePlain(head, "", false)).isFalse();
        assertThat(jgitNonUtf8Names(head, "", false, 21)).hasSize(1);
        assertThat(git.filesArePlain(head, "app", false)).isTrue();
        assertThat(jgitNonUtf8Names(head, "app", false, 21)).isEmpty();
    }

    @Test
    void filesArePlain_leavesSubmodulesToJGit() throws Exception {
        repo.addSubmodule(TestRepo.theme(dir.resolve("theme")), "vendor/theme").commitAll("Add the theme");
        Commit head = jgit(g -> g.resolve(null));
        GitExecutable git = GitExecutable.at(repo.root()).orElseThrow();

        assertThat(git.filesArePlain(head, "", true)).isFalse();
        assertThat(git.filesArePlain(head, "", false)).isTrue();
        assertThat(git.filesArePlain(head, "app", true)).isTrue();
        assertThat(git.changedTrackedFiles("")).contains(jgit(g -> g.changedTrackedFiles(""))).contains(List.of());
    }

    @Test
    void at_answersNothingOutsideARepository() throws Exception {
        Path plain = Files.createDirectories(dir.resolve("plain"));

        assertThat(GitExecutable.at(plain)).isEmpty();
        assertThat(GitExecutable.at(repo.root().resolve("app")).orElseThrow().workTree())
                .isEqualTo(repo.root().toRealPath());
        GitExecutable git = GitExecutable.at(repo.root()).orElseThrow();
        Path app = repo.root().resolve("app/src");
        assertThat(git.relativePath(app)).contains(jgit(g -> g.relativePath(app))).contains("app/src");
        assertThat(git.relativePath(repo.root())).contains(jgit(g -> g.relativePath(repo.root()))).contains("");
        assertThat(git.relativePath(plain)).isEmpty();
    }

    @Test
    void run_givesGitsOutput_throughAPipeOrAFile_andNothingWhenGitRefuses() throws Exception {
        Path root = repo.root();
        String blob = repo.git("rev-parse", "HEAD:README.md").strip();

        assertThat(GitExecutable.run(root, "cat-file", "blob", blob)).hasValueSatisfying(
                output -> assertThat(new String(output, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("hello\n"));
        assertThat(GitExecutable.runWithInput(root, blob + "\n", "cat-file", "--batch-check")).hasValueSatisfying(
                output -> assertThat(new String(output, java.nio.charset.StandardCharsets.UTF_8))
                        .isEqualTo(blob + " blob 6\n"));
        Path file = GitExecutable.runToFile(root, blob + "\n", "cat-file", "--batch").orElseThrow();
        try {
            assertThat(Files.readString(file)).isEqualTo(blob + " blob 6\nhello\n\n");
        } finally {
            Files.delete(file);
        }

        assertThat(GitExecutable.run(root, "cat-file", "blob", "no-such-object")).isEmpty();
        assertThat(GitExecutable.runWithInput(root, "x\n", "no-such-command")).isEmpty();
        assertThat(GitExecutable.runToFile(root, blob + "\n", "no-such-command")).isEmpty();
        assertThat(GitExecutable.runToFile(root, null, "cat-file", "blob", blob)).hasValueSatisfying(output -> {
            try {
                assertThat(Files.readString(output)).isEqualTo("hello\n");
                Files.delete(output);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void namesArePlain_readsLsTreeOutput() {
        String sha = "0123456789abcdef0123456789abcdef01234567";
        String tree = "100644 blob " + sha + "\tREADME.md\0" + "160000 commit " + sha + "\tvendor/theme\0"
                + "100755 blob " + sha + "\tapp/run\0";

        assertThat(GitExecutable.namesArePlain(bytes(tree), "", false)).isTrue();
        assertThat(GitExecutable.namesArePlain(bytes(tree), "", true)).isFalse();
        assertThat(GitExecutable.namesArePlain(bytes(tree), "app", true)).isTrue();
        assertThat(GitExecutable.namesArePlain(bytes(tree), "vendor", true)).isFalse();
        assertThat(GitExecutable.namesArePlain(bytes(tree), "vendor/theme", true)).isTrue(); // the link itself
        assertThat(GitExecutable.namesArePlain(new byte[0], "", true)).isTrue();

        byte[] latin1 = concat(bytes("100644 blob " + sha + "\tdocs/caf"), new byte[] {(byte) 0xe9, 0});
        assertThat(GitExecutable.namesArePlain(latin1, "", false)).isFalse();
        assertThat(GitExecutable.namesArePlain(latin1, "doc", false)).isTrue();
        assertThat(GitExecutable.namesArePlain(latin1, "docs", false)).isFalse();

        assertThat(GitExecutable.namesArePlain(bytes("100644 blob " + sha + " README.md\0"), "", false))
                .as("no tab").isFalse();
        assertThat(GitExecutable.namesArePlain(bytes("100644 blob " + sha + "\tREADME.md\0" + "100644 blob"), "",
                false)).as("cut short").isFalse();
        assertThat(GitExecutable.namesArePlain(bytes("100644 blob " + sha + "\0\tREADME.md\0"), "", false))
                .as("tab after the end of its entry").isFalse();
    }

    @Test
    void changedFilesOf_readsStatusOutput() {
        assertThat(GitExecutable.changedFilesOf(new byte[0], "")).contains(List.of());
        assertThat(GitExecutable.changedFilesOf(bytes(" M a\0"), "")).contains(List.of("a"));
        assertThat(GitExecutable.changedFilesOf(bytes("M  app/x\0 D docs/y\0UU app/z\0"), "app"))
                .contains(List.of("app/x", "app/z"));
        assertThat(GitExecutable.changedFilesOf(bytes("R  app/new\0app/old\0A  b\0"), ""))
                .contains(List.of("app/new", "app/old", "b"));
        assertThat(GitExecutable.changedFilesOf(bytes(" R app/new\0app/old\0"), ""))
                .contains(List.of("app/new", "app/old"));
        assertThat(GitExecutable.changedFilesOf(bytes("C  copy\0source\0"), "")).contains(List.of("copy"));
        assertThat(GitExecutable.changedFilesOf(bytes("R  app/new\0docs/old\0"), "app"))
                .contains(List.of("app/new"));

        assertThat(GitExecutable.changedFilesOf(bytes("M\0"), "")).as("too short").isEmpty();
        assertThat(GitExecutable.changedFilesOf(bytes("M  \0"), "")).as("no name").isEmpty();
        assertThat(GitExecutable.changedFilesOf(bytes("MMxa\0"), "")).as("no space").isEmpty();
        assertThat(GitExecutable.changedFilesOf(bytes("R  new\0"), "")).as("rename without its source").isEmpty();
        assertThat(GitExecutable.changedFilesOf(bytes(" M a\0 M b"), "")).as("cut short").isEmpty();
        assertThat(GitExecutable.changedFilesOf(bytes(" M a\0M\0"), "")).as("a later entry too short").isEmpty();
    }

    @Test
    void workTreeOf_readsOneAbsolutePath() {
        assertThat(GitExecutable.workTreeOf(bytes("/work/repo\n"))).contains(Path.of("/work/repo"));
        assertThat(GitExecutable.workTreeOf(bytes(""))).isEmpty();
        assertThat(GitExecutable.workTreeOf(bytes("repo\n"))).isEmpty();
        assertThat(GitExecutable.workTreeOf(bytes("/a\n/b\n"))).isEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** JGit's answer, from a repository opened for it and closed after. */
    private <T> T jgit(JGitQuestion<T> question) throws SourceException {
        try (GitSource git = GitSource.open(repo.root())) {
            return question.ask(git);
        }
    }

    private List<String> jgitNonUtf8Names(Commit commit, String subdirectory, boolean submodules, int max)
            throws SourceException {
        return jgit(g -> g.checkFiles(commit, subdirectory, submodules, max));
    }

    private interface JGitQuestion<T> {
        T ask(GitSource git) throws SourceException;
    }
}
