package io.github.herokupipeline.pipeline.common;

import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.model.Build;
import io.github.herokupipeline.heroku.model.Source;
import io.github.herokupipeline.heroku.model.SourceBlob;
import io.github.herokupipeline.source.Commit;
import io.github.herokupipeline.source.GitExecutable;
import io.github.herokupipeline.source.GitSource;
import io.github.herokupipeline.source.LocalHistory;
import io.github.herokupipeline.source.SourceArchive;
import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Finds the commit, checks the working tree, writes the archive and uploads it: shared by prepare and fallback. */
public final class SourcePackager {

    /** Heroku refuses slugs over 500 MB; a source archive this big leaves little room for the build. */
    static final long LARGE_ARCHIVE_BYTES = 300L * 1024 * 1024;
    private static final int LISTED_CHANGES = 20;

    private final SourceSettings settings;
    private final Reporter reporter;
    private final Waiting waiting;
    private Optional<GitExecutable> gitExecutable;

    public SourcePackager(SourceSettings settings, Reporter reporter, Waiting waiting) {
        this.settings = settings;
        this.reporter = reporter;
        this.waiting = waiting;
    }

    /** The commit to ship: HEAD, or the configured one. */
    public Commit commit() throws SourceException {
        Optional<Commit> quick = gitExecutable().flatMap(git -> git.resolve(settings.commit()));
        if (quick.isPresent()) {
            return quick.get();
        }
        try (GitSource git = GitSource.open(settings.projectDirectory())) {
            return git.resolve(settings.commit());
        }
    }

    /**
     * The git executable, when it answers for the project's repository: its answers to the checks on the way to the
     * tests come without loading JGit. Looked up once.
     */
    private synchronized Optional<GitExecutable> gitExecutable() {
        if (gitExecutable == null) {
            gitExecutable = GitExecutable.at(settings.projectDirectory());
            reporter.debug(gitExecutable.isPresent() ? "Reading the commit and the working tree with the git executable"
                    : "No git executable answers for " + settings.projectDirectory() + "; reading git with JGit");
        }
        return gitExecutable;
    }

    /**
     * Starts {@code work} on git on its own thread, to run beside a workflow's first request to Heroku: on a cold JVM
     * each spends most of its time loading its own classes. Without a repository at all, says so at once instead,
     * before any request. Callers report a failure of {@code work} before one of the request.
     */
    public <T> Background<T> besideFirstRequest(String name, Background.Work<T> work) throws SourceException {
        if (!GitSource.hasGitEntry(settings.projectDirectory())) {
            commit(); // says why there is no commit to ship
        }
        return Background.start(name, work);
    }

    /**
     * Prepares the archive of {@code commit} and checks that the working tree matches it (unless {@code allowDirty}),
     * side by side. The caller closes the archive (an upload does).
     */
    public SourceArchive archive(Commit commit) throws SourceException, IOException {
        Background<List<String>> changes = Background.start("working tree check", () -> changedFiles(commit));
        SourceArchive archive;
        try {
            archive = writeArchive(commit);
        } finally {
            changes.stop();
        }
        try {
            checkWorkingTree(changes.get(), commit);
        } catch (SourceException | RuntimeException e) {
            archive.close();
            throw e;
        }
        return archive;
    }

    /**
     * Prepares the archive of exactly the tracked files of {@code commit} (under the source directory): what deflate
     * shrinks is compressed now; large files it cannot shrink are read from git while the archive uploads. The caller
     * closes it.
     */
    public SourceArchive writeArchive(Commit commit) throws SourceException, IOException {
        return writeArchive(() -> commit);
    }

    /**
     * {@link #writeArchive(Commit)} of a commit still being named (by {@code naming}, which waits for it). The git
     * executable reads it when it gives it plainly ({@link SourceArchive#ofPlainTree}); otherwise JGit does, and
     * opens the repository first (on a cold JVM that takes longer than git takes to name the commit).
     */
    public SourceArchive writeArchive(Background.Work<Commit> naming) throws SourceException, IOException {
        Instant started = waiting.now();
        Optional<GitExecutable> quick = gitExecutable();
        if (quick.isPresent()) {
            Commit commit = naming.run();
            Optional<String> subdirectory = subdirectory(quick.get());
            if (subdirectory.isPresent()) {
                Optional<SourceArchive> archive = SourceArchive.ofPlainTree(quick.get(), commit, subdirectory.get(),
                        spool(commit, subdirectory.get()), settings.includeSubmodules());
                if (archive.isPresent()) {
                    return reported(archive.get(), commit, started, "git");
                }
            }
        }
        try (GitSource git = GitSource.open(settings.projectDirectory())) {
            Commit commit = naming.run();
            String subdirectory = subdirectory(git);
            return reported(SourceArchive.of(git, commit, subdirectory, spool(commit, subdirectory),
                    settings.includeSubmodules()), commit, started, "JGit");
        }
    }

    /** One spool per commit and source directory, so the apps of one reactor never write the same file. */
    private Path spool(Commit commit, String subdirectory) {
        String suffix = subdirectory.isEmpty() ? "" : "-" + subdirectory.replaceAll("[^A-Za-z0-9._-]", "_");
        return settings.workDirectory().resolve("source-" + commit.sha().substring(0, 12) + suffix + ".spool");
    }

    /** Says what the archive holds, and warns of what Heroku may not take. */
    private SourceArchive reported(SourceArchive archive, Commit commit, Instant started, String readBy) {
        long streamed = archive.streamedBytes();
        reporter.info(String.format("Source archive of %s: %d files, %s, prepared in %s%s", commit.shortSha(),
                archive.files(), megabytes(archive.bytes()), Waiting.format(Duration.between(started, waiting.now())),
                streamed == 0 ? "" : " (" + megabytes(streamed) + " of it, large files that do not compress, is read"
                        + " from git as it uploads)"));
        reporter.debug("The source archive was read by " + readBy);
        if (archive.lfsPointers() > 0) {
            reporter.warn(archive.lfsPointers() + " file(s) tracked by Git LFS reach Heroku as LFS pointers, not"
                    + " their content, as with `git push heroku`: fetch them at build time (an LFS buildpack) if"
                    + " the app needs them");
        }
        if (archive.bytes() > LARGE_ARCHIVE_BYTES) {
            reporter.warn("The source archive is " + megabytes(archive.bytes()) + "; Heroku rejects slugs over"
                    + " 500 MB. Mark large files export-ignore in .gitattributes or set <sourceDirectory>.");
        }
        return archive;
    }

    /** What a build of {@code commit} records of its place in history, for runs whose checkout lacks it. */
    public OrderEvidence orderEvidence(Commit commit) throws SourceException {
        return OrderEvidence.of(history(), commit);
    }

    /** The checkout's history, read by the git executable where it answers. */
    public LocalHistory history() {
        return new LocalHistory(settings.projectDirectory(), gitExecutable());
    }

    /** The tracked files (under the source directory) that differ from HEAD; none when shipping another commit. */
    public List<String> changedFiles(Commit commit) throws SourceException {
        Optional<List<String>> quick = gitExecutable().flatMap(git -> quickChangedFiles(git, commit));
        if (quick.isPresent()) {
            return quick.get();
        }
        try (GitSource git = GitSource.open(settings.projectDirectory())) {
            refuseNonUtf8Names(git, commit);
            if (!git.resolve(null).sha().equals(commit.sha())) {
                return List.of();
            }
            return git.changedTrackedFiles(subdirectory(git));
        }
    }

    /** The same answer from the git executable, when it gives one plainly; empty leaves the question to JGit. */
    private Optional<List<String>> quickChangedFiles(GitExecutable git, Commit commit) {
        Optional<String> subdirectory = subdirectory(git);
        if (subdirectory.isEmpty()) {
            return Optional.empty();
        }
        // the status is read beside the names' check: both are a git process, and the goal waits for them
        Background<Optional<List<String>>> status = Background.start("git status",
                () -> git.changedTrackedFiles(subdirectory.get()));
        try {
            if (!git.filesArePlain(commit, subdirectory.get(), settings.includeSubmodules())) {
                return Optional.empty();
            }
            // HEAD was named a moment ago: asked again only when the commit to ship was configured
            if (settings.commit() != null && !settings.commit().isBlank()) {
                Optional<Commit> head = git.resolve(null);
                if (head.isEmpty()) {
                    return Optional.empty();
                }
                if (!head.get().sha().equals(commit.sha())) {
                    return Optional.of(List.of());
                }
            }
            return status.get();
        } catch (IOException | SourceException e) {
            return Optional.empty(); // not thrown by the status read; JGit answers instead
        } finally {
            status.stop();
        }
    }

    /** The source directory relative to the root git names; empty when it is not plainly inside it. */
    private Optional<String> subdirectory(GitExecutable git) {
        return settings.sourceDirectory() == null ? Optional.of("") : git.relativePath(settings.sourceDirectory());
    }

    /**
     * Heroku and this plugin read file names as UTF-8; a name that is not would reach Heroku renamed, and the
     * working tree would seem changed. Refused before anything is uploaded, naming the files; the same walk refuses
     * a submodule that is not checked out.
     */
    private void refuseNonUtf8Names(GitSource git, Commit commit) throws SourceException {
        List<String> names = git.checkFiles(commit, subdirectory(git), settings.includeSubmodules(),
                LISTED_CHANGES + 1);
        if (!names.isEmpty()) {
            throw new SourceException("Commit " + commit.shortSha() + " has file names that are not valid UTF-8: "
                    + String.join(", ", names.subList(0, Math.min(LISTED_CHANGES, names.size())))
                    + (names.size() > LISTED_CHANGES ? " and more" : "") + " (as git decodes them)."
                    + " They would reach Heroku renamed: rename them to UTF-8 names (git mv) and commit.");
        }
    }

    private String subdirectory(GitSource git) throws SourceException {
        Path appRoot = settings.sourceDirectory() == null ? git.workTree() : settings.sourceDirectory();
        return appRoot == null ? "" : git.relativePath(appRoot);
    }

    /** Fails when tracked files differ from the commit, unless {@code allowDirty} (then it warns). */
    public void checkWorkingTree(List<String> changed, Commit commit) throws SourceException {
        if (changed.isEmpty()) {
            return;
        }
        String listed = String.join(", ", changed.subList(0, Math.min(LISTED_CHANGES, changed.size())))
                + (changed.size() > LISTED_CHANGES ? " and " + (changed.size() - LISTED_CHANGES) + " more" : "");
        if (settings.allowDirty()) {
            reporter.warn(changed.size() + " tracked file(s) differ from commit " + commit.shortSha() + " (" + listed
                    + "); shipping the committed content, not what is on disk (heroku.allowDirty=true)");
            return;
        }
        throw new SourceException(changed.size() + " tracked file(s) differ from commit " + commit.shortSha() + ": "
                + listed + ". What was tested would not be what ships: commit or stash the changes, or set"
                + " <allowDirty>true</allowDirty> (-Dheroku.allowDirty=true) to ship the committed content anyway");
    }

    /**
     * Uploads the archive to a fresh source URL and returns the URL Heroku downloads it from. The archive is closed
     * then (its spool removed), uploaded or not: Heroku builds from the upload, and a later try prepares it again.
     */
    public String upload(HerokuClient heroku, SourceArchive archive) throws IOException {
        return upload(heroku, archive, null);
    }

    /** The same, to an upload URL created beforehand ({@code POST /sources}), or a new one when null. */
    public String upload(HerokuClient heroku, SourceArchive archive, Source created) throws IOException {
        Instant started = waiting.now();
        try {
            Source source = created != null ? created : heroku.createSource();
            heroku.uploadSource(source.putUrl(), archive.bytes(), archive::writeTo);
            reporter.debug("Uploaded " + megabytes(archive.bytes()) + " in "
                    + Waiting.format(Duration.between(started, waiting.now())));
            return source.getUrl();
        } finally {
            archive.close();
        }
    }

    /**
     * The build request for an uploaded archive: the full SHA as {@code version}, the archive's checksum, the commit
     * subject as description, and the configured buildpacks (names or URLs), if any.
     */
    public static Build.CreateRequest buildRequest(String sourceUrl, String checksum, Commit commit,
            List<String> buildpacks) {
        return buildRequest(sourceUrl, checksum, commit, buildpacks, commit.subject());
    }

    /** The same, with another {@code version_description} than the commit subject. */
    public static Build.CreateRequest buildRequest(String sourceUrl, String checksum, Commit commit,
            List<String> buildpacks, String versionDescription) {
        List<Build.Buildpack> chosen = buildpacks == null || buildpacks.isEmpty() ? null
                : buildpacks.stream().map(String::strip).map(value -> value.contains("://")
                        ? new Build.Buildpack(value, null) : new Build.Buildpack(null, value)).toList();
        return new Build.CreateRequest(new SourceBlob(sourceUrl, commit.sha(), checksum, versionDescription),
                chosen);
    }

    static String megabytes(long bytes) {
        return String.format("%.1f MB", bytes / (1024.0 * 1024.0));
    }
}
