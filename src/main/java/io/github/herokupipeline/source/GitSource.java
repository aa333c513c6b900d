package io.github.herokupipeline.source;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FS;

/**
 * The git repository that contains the project, read with JGit (no git executable needed). Close it when done.
 */
public final class GitSource implements AutoCloseable {

    private final Repository repository;

    private GitSource(Repository repository) {
        this.repository = repository;
    }

    /**
     * Whether {@code directory} or a parent has a {@code .git} entry: a check without JGit, for callers that want
     * to report "not a git repository" before any other work and otherwise read git beside that work.
     */
    public static boolean hasGitEntry(Path directory) {
        for (Path dir = directory.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".git"))) {
                return true;
            }
        }
        return false;
    }

    /** Opens the repository containing {@code directory}, searching upwards like git does. */
    public static GitSource open(Path directory) throws SourceException {
        FileSystemMeasurement.started();
        FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(directory.toFile());
        if (builder.getGitDir() == null) {
            throw new SourceException(directory + " is not inside a git repository. The plugin ships exactly the"
                    + " files of a commit: run it in a git checkout (git init, git add, git commit), or skip it with"
                    + " -Dheroku.skip=true");
        }
        try {
            return new GitSource(builder.setMustExist(true).build());
        } catch (IOException e) {
            throw new SourceException("Cannot read the git repository at " + builder.getGitDir() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * How JGit measures file systems, set up once per class loader (the first open), not on every open.
     * <ul>
     * <li>On a machine where JGit has not run before (a fresh CI runner), its first look at a file's timestamp
     * measures the file system's timestamp resolution for about 3 s before answering. In the background it answers
     * at once with conservative values (racily clean files are compared by content), and stores the measurement for
     * later runs. It is JGit's setting for the plugin's own copy of JGit.
     * <li>JGit measures a file system by writing probe files into the first directory it is asked about there, on a
     * thread of its own that outlives the goal; asked first about the temp directory, it probes there instead of in
     * the repository's {@code .git} (when both are on one file system), and nothing of the measurement is written
     * into the user's repository.
     * <li>The first look runs on a thread of its own, which nothing interrupts: JGit logs an interrupted look as an
     * error with its stack trace, and the plugin interrupts its archive when a check refuses the prepare.
     * </ul>
     */
    private static final class FileSystemMeasurement {
        private static final Thread FIRST_LOOK;

        static {
            FS.FileStoreAttributes.setBackground(true);
            FIRST_LOOK = new Thread(() -> {
                try {
                    Path marker = Files.createTempFile("heroku-pipeline", ".fs");
                    Files.delete(marker);
                    FS.FileStoreAttributes.get(marker.getParent());
                } catch (IOException | RuntimeException e) {
                    // JGit measures where it first looks, as it would anyway
                }
            }, "heroku-pipeline file system look");
            FIRST_LOOK.setDaemon(true);
            FIRST_LOOK.start();
        }

        private FileSystemMeasurement() {}

        /**
         * Waits for the first look (it answers at once, JGit measures on), started the first time only; a caller
         * interrupted meanwhile returns with its interrupt set, and the look goes on undisturbed.
         */
        static void started() {
            try {
                FIRST_LOOK.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Where {@code other} stands relative to {@code reference}: ahead (a descendant, by how many commits), behind
     * (an ancestor), the same, diverged, or unknown to the local repository (a shallow clone, another branch that
     * was not fetched).
     */
    public CommitOrder order(String other, Commit reference) throws SourceException {
        boolean shallow = isShallow();
        if (other == null || other.isBlank()) {
            return new CommitOrder(CommitOrder.Relation.UNKNOWN, 0, shallow);
        }
        if (other.equalsIgnoreCase(reference.sha())) {
            return new CommitOrder(CommitOrder.Relation.SAME, 0, shallow);
        }
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit otherCommit;
            try {
                otherCommit = walk.parseCommit(ObjectId.fromString(other));
            } catch (org.eclipse.jgit.errors.MissingObjectException | IllegalArgumentException e) {
                return new CommitOrder(CommitOrder.Relation.UNKNOWN, 0, shallow);
            }
            RevCommit referenceCommit = walk.parseCommit(ObjectId.fromString(reference.sha()));
            if (walk.isMergedInto(referenceCommit, otherCommit)) {
                return new CommitOrder(CommitOrder.Relation.AHEAD, count(walk, otherCommit, referenceCommit), shallow);
            }
            walk.reset();
            if (walk.isMergedInto(otherCommit, referenceCommit)) {
                return new CommitOrder(CommitOrder.Relation.BEHIND, count(walk, referenceCommit, otherCommit),
                        shallow);
            }
            return new CommitOrder(CommitOrder.Relation.DIVERGED, 0, shallow);
        } catch (org.eclipse.jgit.errors.MissingObjectException e) {
            return new CommitOrder(CommitOrder.Relation.UNKNOWN, 0, shallow); // history cut off by a shallow clone
        } catch (IOException e) {
            throw new SourceException("Cannot read the history of " + reference.shortSha() + ": " + e.getMessage(), e);
        }
    }

    /** The commit {@code sha} as a log shows it, if the local repository has it. */
    public java.util.Optional<LogEntry> describe(String sha) throws SourceException {
        if (sha == null) {
            return java.util.Optional.empty();
        }
        try (RevWalk walk = new RevWalk(repository)) {
            return java.util.Optional.of(entry(walk.parseCommit(ObjectId.fromString(sha))));
        } catch (org.eclipse.jgit.errors.MissingObjectException | IllegalArgumentException e) {
            return java.util.Optional.empty();
        } catch (IOException e) {
            throw new SourceException("Cannot read commit " + sha + ": " + e.getMessage(), e);
        }
    }

    /**
     * The commits that {@code to} has and {@code from} has not (what moving from one to the other ships), oldest
     * first, at most {@code max} of them; {@code total} counts them all. Both commits must be known locally.
     */
    public Range between(String from, String to, int max) throws SourceException {
        try (RevWalk walk = new RevWalk(repository)) {
            walk.markStart(walk.parseCommit(ObjectId.fromString(to)));
            walk.markUninteresting(walk.parseCommit(ObjectId.fromString(from)));
            List<LogEntry> newestFirst = new java.util.ArrayList<>();
            RevCommit next;
            while ((next = walk.next()) != null) {
                newestFirst.add(entry(next));
            }
            java.util.Collections.reverse(newestFirst);
            return new Range(List.copyOf(newestFirst.subList(0, Math.min(max, newestFirst.size()))),
                    newestFirst.size());
        } catch (IOException | IllegalArgumentException e) {
            throw new SourceException("Cannot list the commits between " + from + " and " + to + ": "
                    + e.getMessage(), e);
        }
    }

    /** Commits between two others: the first {@code max}, oldest first, and how many there are in all. */
    public record Range(List<LogEntry> commits, int total) {}

    private static LogEntry entry(RevCommit commit) {
        return new LogEntry(commit.getName(), commit.getAuthorIdent().getName(), commit.getShortMessage());
    }

    /** The commits reachable from {@code from} but not from {@code until}. */
    private static int count(RevWalk walk, RevCommit from, RevCommit until) throws IOException {
        walk.reset();
        walk.markStart(walk.parseCommit(from));
        walk.markUninteresting(walk.parseCommit(until));
        int commits = 0;
        while (walk.next() != null) {
            commits++;
        }
        return commits;
    }

    /** A clone made with {@code --depth} (as CI checkouts are by default) lacks the history before its boundary. */
    public boolean isShallow() {
        return new File(repository.getDirectory(), "shallow").isFile();
    }

    /** The repository's working tree; null for a bare repository. */
    public Path workTree() {
        File workTree = repository.isBare() ? null : repository.getWorkTree();
        return workTree == null ? null : workTree.toPath();
    }

    Repository repository() {
        return repository;
    }

    /** HEAD, or the given revision (a SHA, tag or branch) when {@code revision} is set. */
    public Commit resolve(String revision) throws SourceException {
        String wanted = revision == null || revision.isBlank() ? "HEAD" : revision.strip();
        try {
            ObjectId id = repository.resolve(wanted + "^{commit}");
            if (id == null) {
                throw new SourceException(wanted.equals("HEAD")
                        ? "The git repository at " + workTree() + " has no commit yet: commit the project first"
                        : "Commit '" + wanted + "' (-Dheroku.commit / <commit>) is not in the git repository at "
                                + workTree() + "; fetch it or correct the value");
            }
            try (RevWalk walk = new RevWalk(repository)) {
                RevCommit commit = walk.parseCommit(id);
                return new Commit(commit.name(), commit.getShortMessage(), commit.getCommitTime());
            }
        } catch (IOException e) {
            throw new SourceException("Cannot read commit '" + wanted + "': " + e.getMessage(), e);
        }
    }

    /**
     * Tracked files under {@code subdirectory} (relative to the repository root, "" for all) whose working-tree
     * content differs from HEAD: modified, deleted, staged or conflicting. Untracked files do not count; they
     * are never shipped.
     */
    public List<String> changedTrackedFiles(String subdirectory) throws SourceException {
        if (workTree() == null) {
            return List.of();
        }
        try (Git git = Git.wrap(repository)) {
            var command = git.status().setIgnoreSubmodules(org.eclipse.jgit.submodule.SubmoduleWalk.IgnoreSubmoduleMode.ALL);
            if (subdirectory != null && !subdirectory.isEmpty()) {
                command.addPath(subdirectory);
            }
            Status status = command.call();
            Set<String> changed = new TreeSet<>();
            changed.addAll(status.getModified());
            changed.addAll(status.getChanged());
            changed.addAll(status.getAdded());
            changed.addAll(status.getRemoved());
            changed.addAll(status.getMissing());
            changed.addAll(status.getConflicting());
            return List.copyOf(changed);
        } catch (GitAPIException | RuntimeException e) {
            throw new SourceException("Cannot compare the working tree with HEAD: " + e.getMessage(), e);
        }
    }

    /**
     * One walk over the files of {@code commit} under {@code subdirectory}, before anything is uploaded: returns
     * those whose names are not valid UTF-8 (as stored by git, byte for byte), at most {@code max}, as JGit decodes
     * them for display; with {@code submodules}, also checks that every submodule is checked out and holds the
     * commit the superproject pins, recursively.
     */
    public List<String> checkFiles(Commit commit, String subdirectory, boolean submodules, int max)
            throws SourceException {
        List<String> nonUtf8 = new java.util.ArrayList<>();
        try (org.eclipse.jgit.revwalk.RevWalk revWalk = new org.eclipse.jgit.revwalk.RevWalk(repository);
                org.eclipse.jgit.treewalk.TreeWalk walk = new org.eclipse.jgit.treewalk.TreeWalk(repository)) {
            walk.addTree(revWalk.parseCommit(repository.resolve(commit.sha())).getTree());
            walk.setRecursive(true);
            while (walk.next() && (submodules || nonUtf8.size() < max)) {
                String path = walk.getPathString();
                if (subdirectory != null && !subdirectory.isEmpty() && !path.startsWith(subdirectory + "/")) {
                    continue;
                }
                if (nonUtf8.size() < max && !isUtf8(walk.getRawPath())) {
                    nonUtf8.add(path);
                }
                if (submodules && walk.getFileMode(0) == org.eclipse.jgit.lib.FileMode.GITLINK) {
                    checkSubmodule(repository, path, walk.getObjectId(0), "");
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new SourceException("Cannot read the files of commit " + commit.shortSha() + ": " + e.getMessage(),
                    e);
        }
        return nonUtf8;
    }

    /**
     * How many commits the first-parent chain of {@code sha} holds, itself included; null in a shallow clone, whose
     * history stops short of the root.
     */
    public Integer firstParentDepth(String sha) throws SourceException {
        if (isShallow()) {
            return null;
        }
        try (org.eclipse.jgit.revwalk.RevWalk revWalk = new org.eclipse.jgit.revwalk.RevWalk(repository)) {
            revWalk.setFirstParent(true);
            revWalk.markStart(revWalk.parseCommit(repository.resolve(sha)));
            int depth = 0;
            while (revWalk.next() != null) {
                depth++;
            }
            return depth;
        } catch (IOException | RuntimeException e) {
            throw new SourceException("Cannot walk the history of " + sha + ": " + e.getMessage(), e);
        }
    }

    /**
     * The first parent of {@code sha}, read from the commit object itself: known even in a shallow clone, whose
     * history walk stops at that commit. Null for a root commit.
     */
    public String firstParent(String sha) throws SourceException {
        try {
            return firstParentOf(repository.open(ObjectId.fromString(sha), org.eclipse.jgit.lib.Constants.OBJ_COMMIT)
                    .getCachedBytes()).orElse(null);
        } catch (IOException | RuntimeException e) {
            throw new SourceException("Cannot read commit " + sha + ": " + e.getMessage(), e);
        }
    }

    /** The first parent named in a commit object's header; empty for a root commit. */
    static java.util.Optional<String> firstParentOf(byte[] commitObject) {
        for (String line : new String(commitObject, StandardCharsets.UTF_8).split("\n")) {
            if (line.isEmpty()) {
                break; // end of the header
            }
            if (line.startsWith("parent ")) {
                return java.util.Optional.of(line.substring(7).strip());
            }
        }
        return java.util.Optional.empty();
    }

    /** Checks the submodule at {@code path} and, recursively, its own submodules. */
    private static void checkSubmodule(Repository repository, String path, org.eclipse.jgit.lib.ObjectId pinned,
            String parentPath) throws IOException, SourceException {
        Repository submodule;
        try {
            submodule = SourceArchive.openSubmodule(repository, path, pinned);
        } catch (SourceException e) {
            throw parentPath.isEmpty() ? e : new SourceException(e.getMessage().replace(
                    "submodule " + path, "submodule " + parentPath + path), e);
        }
        try (submodule; org.eclipse.jgit.revwalk.RevWalk revWalk = new org.eclipse.jgit.revwalk.RevWalk(submodule);
                org.eclipse.jgit.treewalk.TreeWalk walk = new org.eclipse.jgit.treewalk.TreeWalk(submodule)) {
            walk.addTree(revWalk.parseCommit(pinned).getTree());
            walk.setRecursive(true);
            while (walk.next()) {
                if (walk.getFileMode(0) == org.eclipse.jgit.lib.FileMode.GITLINK) {
                    checkSubmodule(submodule, walk.getPathString(), walk.getObjectId(0), parentPath + path + "/");
                }
            }
        }
    }

    /** Whether a name, byte for byte as git stores it, is valid UTF-8 (as Heroku and the plugin read names). */
    static boolean isUtf8(byte[] name) {
        boolean ascii = true;
        for (byte b : name) {
            ascii &= b >= 0;
        }
        if (ascii) {
            return true; // nearly every name: no decoder to make for it
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(name));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** {@code directory} as a path relative to the repository root, with '/' separators ("" for the root). */
    public String relativePath(Path directory) throws SourceException {
        Path root = workTree();
        if (root == null) {
            return "";
        }
        Path normalizedRoot = root.toAbsolutePath().normalize();
        Path normalized = directory.toAbsolutePath().normalize();
        if (!normalized.startsWith(normalizedRoot)) {
            throw new SourceException(directory + " is outside the git repository at " + root
                    + "; <sourceDirectory> must be inside it");
        }
        return normalizedRoot.relativize(normalized).toString().replace(File.separatorChar, '/');
    }

    @Override
    public void close() {
        repository.close();
    }
}
