package io.github.herokupipeline.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.herokupipeline.testing.TestRepo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The git executable's answers on history ({@link GitExecutable#order}, {@link GitExecutable#ancestry}) against
 * JGit's ({@link GitSource}, the reference) on the same repositories, full and shallow.
 */
class LocalHistoryTest {

    private static final String FOREIGN_SHA = "d4e5f6a7".repeat(5);

    @TempDir
    Path temp;

    private TestRepo repo;
    private String root;
    private String second;
    private String third;
    private String side;
    private String merge;

    @BeforeEach
    void setUp() throws IOException {
        repo = TestRepo.init(temp.resolve("repo"));
        root = repo.write("README.md", "1\n").commitAll("First");
        second = repo.write("README.md", "2\n").commitAll("Second");
        repo.git("checkout", "-q", "-b", "side");
        side = repo.write("side.txt", "side\n").commitAll("On the side");
        repo.git("checkout", "-q", "main");
        third = repo.write("README.md", "3\n").commitAll("Third");
        repo.git("-c", "user.name=Test", "-c", "user.email=test@example.com", "merge", "-q", "--no-ff", "-m", "Merge",
                "side");
        merge = repo.git("rev-parse", "HEAD").strip();
    }

    @Test
    void order_matchesJGit_aheadBehindDivergedSameAndUnknown() throws Exception {
        repo.git("-c", "user.name=Test", "-c", "user.email=test@example.com", "tag", "-a", "-m", "Second", "v2",
                second);
        String tag = repo.git("rev-parse", "v2").strip();
        String[] commits = {root, second, third, side, merge, FOREIGN_SHA, "not-a-sha", "", null,
                merge.toUpperCase(java.util.Locale.ROOT), tag};
        GitExecutable git = GitExecutable.at(repo.root()).orElseThrow();
        for (String reference : new String[] {root, third, side, merge}) {
            Commit shipping = commit(reference);
            for (String other : commits) {
                assertThat(git.order(other, shipping)).as(other + " against " + reference)
                        .contains(jgit(g -> g.order(other, shipping)));
            }
        }
        assertThat(git.order(root, commit(merge))).contains(new CommitOrder(CommitOrder.Relation.BEHIND, 4, false));
        assertThat(git.order(merge, commit(side))).contains(new CommitOrder(CommitOrder.Relation.AHEAD, 2, false));
        assertThat(git.order(side, commit(third))).contains(new CommitOrder(CommitOrder.Relation.DIVERGED, 0, false));
    }

    @Test
    void order_leavesAnObjectThatIsNotACommitToJGit() throws Exception {
        String tree = repo.git("rev-parse", "HEAD^{tree}").strip();

        assertThat(GitExecutable.at(repo.root()).orElseThrow().order(tree, commit(merge))).isEmpty();
    }

    @Test
    void ancestry_matchesJGit_forARootACommitAndAMerge() throws Exception {
        GitExecutable git = GitExecutable.at(repo.root()).orElseThrow();
        for (String sha : new String[] {root, second, side, merge}) {
            assertThat(git.ancestry(sha)).as(sha)
                    .contains(jgit(g -> new Ancestry(g.firstParent(sha), g.firstParentDepth(sha))));
        }
        assertThat(git.ancestry(root)).contains(new Ancestry(null, 1));
        assertThat(git.ancestry(merge)).contains(new Ancestry(third, 4));
        assertThat(git.ancestry(FOREIGN_SHA)).isEmpty();
        assertThat(git.ancestry("HEAD")).isEmpty();
    }

    @Test
    void inAShallowClone_matchesJGit_andSaysItIsShallow() throws Exception {
        Path clone = temp.resolve("clone");
        repo.git("clone", "-q", "--no-local", "--depth", "2", repo.root().toUri().toString(), clone.toString());
        TestRepo shallow = TestRepo.open(clone);
        String head = shallow.git("rev-parse", "HEAD").strip();
        GitExecutable git = GitExecutable.at(clone).orElseThrow();
        LocalHistory viaJGit = new LocalHistory(clone, Optional.empty());

        assertThat(git.isShallow()).contains(true);
        for (String other : new String[] {root, second, third, side}) {
            assertThat(git.order(other, commit(head))).as(other).contains(viaJGit.order(other, commit(head)));
        }
        assertThat(git.order(root, commit(head))).contains(new CommitOrder(CommitOrder.Relation.UNKNOWN, 0, true));
        assertThat(git.ancestry(head)).contains(viaJGit.ancestry(head)).contains(new Ancestry(third, null));
    }

    @Test
    void localHistory_asksJGit_whereGitDoesNotAnswer() throws Exception {
        LocalHistory withoutGit = new LocalHistory(repo.root(), Optional.empty());
        LocalHistory withGit = LocalHistory.of(repo.root());

        assertThat(withoutGit.order(root, commit(merge))).isEqualTo(withGit.order(root, commit(merge)));
        assertThat(withoutGit.ancestry(merge)).isEqualTo(withGit.ancestry(merge));
    }

    @Test
    void twoCounts_readsRevListOutput() {
        assertThat(GitExecutable.twoCounts(bytes("3\t0\n")))
                .hasValueSatisfying(counts -> assertThat(counts).containsExactly(3, 0));
        assertThat(GitExecutable.twoCounts(bytes("3 0\n"))).isEmpty();
        assertThat(GitExecutable.twoCounts(bytes("3\t\n"))).isEmpty();
        assertThat(GitExecutable.twoCounts(bytes("x\t1\n"))).isEmpty();
        assertThat(GitExecutable.twoCounts(bytes(""))).isEmpty();
    }

    private Commit commit(String sha) throws SourceException {
        return jgit(g -> g.resolve(sha));
    }

    private <T> T jgit(Question<T> question) throws SourceException {
        try (GitSource git = GitSource.open(repo.root())) {
            return question.ask(git);
        }
    }

    private interface Question<T> {
        T ask(GitSource git) throws SourceException;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
