package io.github.herokupipeline.source;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the goals ask of the checkout's history: how two commits are ordered, and a commit's ancestry. The git
 * executable answers when it answers plainly, in milliseconds; otherwise JGit ({@link GitSource}), the reference,
 * which on a cold JVM spends a few hundred milliseconds loading its classes before its first answer. Tests hold both
 * to the same answers.
 */
public final class LocalHistory {

    private final Path projectDirectory;
    private final Optional<GitExecutable> git;

    /** The history of the repository that contains {@code projectDirectory}, with {@code git} when it answers there. */
    public LocalHistory(Path projectDirectory, Optional<GitExecutable> git) {
        this.projectDirectory = projectDirectory;
        this.git = git;
    }

    /** The same, looking the git executable up. */
    public static LocalHistory of(Path projectDirectory) {
        return new LocalHistory(projectDirectory, GitExecutable.at(projectDirectory));
    }

    /** {@link GitSource#order}. */
    public CommitOrder order(String other, Commit reference) throws SourceException {
        Optional<CommitOrder> quick = git.flatMap(executable -> executable.order(other, reference));
        if (quick.isPresent()) {
            return quick.get();
        }
        try (GitSource source = GitSource.open(projectDirectory)) {
            return source.order(other, reference);
        }
    }

    /** {@link GitSource#firstParent} and {@link GitSource#firstParentDepth} of {@code sha}. */
    public Ancestry ancestry(String sha) throws SourceException {
        Optional<Ancestry> quick = git.flatMap(executable -> executable.ancestry(sha));
        if (quick.isPresent()) {
            return quick.get();
        }
        try (GitSource source = GitSource.open(projectDirectory)) {
            return new Ancestry(source.firstParent(sha), source.firstParentDepth(sha));
        }
    }
}
