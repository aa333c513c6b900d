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
        Process touch = new ProcessBuilder("sh", "-c", "printf x > \"docs/$(printf 'caf\\351.txt')\"")
                .directory(repo.root().toFile()).start();
        assertThat(touch.waitFor()).isZero();
        repo.commitAll("A Latin-1 name");
        Commit head = jgit(g -> g.resolve(null));
        GitExecutable git = GitExecutable.at(repo.root()).orElseThrow();

        assertThat(git.filesArePlain(head, "", false)).isFalse();
        assertThat(jgitNonUtf8Names(head, "", false, 21)).hasSize(1);
        assertThat(git.filesArePlain(head, "app", false)).isTrue();
        assertThat(jgitNonUtf8Names(head, "app", false, 21)).isEmpty();
    }

    @Test
    void filesArePlain_leavesSubmodulesToJGit() throws Exception {
        TestRepo theme = TestRepo.init(dir.resolve("theme"));
        theme.write("theme.css", "body {}\n").commitAll("Theme");
        repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", theme.root().toString(),
                "vendor/theme");
        repo.commitAll("Add the theme");
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
