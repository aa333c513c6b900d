package io.github.herokupipeline.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.eclipse.jgit.attributes.Attributes;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The tracked files of one commit as a gzip'ed tar, the way {@code git archive} makes it: file modes with the
 * executable bit, symlinks as symlinks, {@code export-ignore} honoured, every entry dated at the commit time, and
 * nothing that is not in the commit (no {@code .git}, no untracked or ignored files such as a local {@code .env}).
 * Submodules are included as {@code git push heroku} ships them: each one's files at the commit the superproject
 * pins, read from the submodule's own repository, recursively.
 *
 * <p>Its exact size is known before a byte of it is sent, so it streams to the upload ({@link #writeTo}) while it is
 * read. Only what deflate shrinks is compressed ahead, on all cores, into a spool file ({@link SegmentedGzip}); a large
 * file that deflate cannot shrink (an image, a jar, another archive; judged from its first block) is read from the
 * object database only as it goes out. Memory does not grow with the repository, and the bytes depend only on the
 * commit: the archive is reproducible. Closing it removes the spool.
 */
public final class SourceArchive implements Closeable {

    /** A file this large that deflate cannot shrink is read only while the archive streams. */
    static final long DEFERRED_MIN = 1024 * 1024;
    private static final int TAR_RECORD = 512;

    private final SegmentedGzip gzip;
    private final Path spool;
    private final int files;
    private final int lfsPointers;
    private final List<Repository> repositories;
    private volatile String sha256;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SourceArchive(SegmentedGzip gzip, Path spool, int files, int lfsPointers, List<Repository> repositories) {
        this.gzip = gzip;
        this.spool = spool;
        this.files = files;
        this.lfsPointers = lfsPointers;
        this.repositories = repositories;
    }

    /**
     * Plans the archive of {@code commit}: compresses what is worth compressing into {@code spool} (created owner-only,
     * replaced if there) and notes which large files stream from git later. The archive keeps the repositories open
     * it reads from until it is closed; {@code source} itself stays the caller's.
     *
     * @param subdirectory the app's root inside the repository ("" for the repository root); entries are written
     *     relative to it
     */
    public static SourceArchive of(GitSource source, Commit commit, String subdirectory, Path spool,
            boolean includeSubmodules) throws SourceException, IOException {
        Repository repository = source.repository();
        repository.incrementOpen();
        WalkState state = new WalkState(includeSubmodules);
        state.repositories.add(repository);
        return plan(commit, subdirectory, spool, state, tar -> {
            try (RevWalk revWalk = new RevWalk(repository); ObjectReader reader = repository.newObjectReader()) {
                RevCommit revCommit = revWalk.parseCommit(ObjectId.fromString(commit.sha()));
                return writeTree(repository, reader, revCommit.getTree(), revCommit.getCommitTime() * 1000L,
                        normalize(subdirectory), "", tar, state);
            }
        });
    }

    /** The most a commit's files may hold in all for {@link #ofPlainTree}: git's answer waits on disk before use. */
    static final long PLAIN_TREE_MAX_BYTES = 64L * 1024 * 1024;

    /**
     * The same archive as {@link #of}, byte for byte, read through the git executable instead of JGit, when git can
     * give it plainly: no attributes file that mentions {@code export-ignore} (the commit's {@code .gitattributes},
     * {@code info/attributes}) and no global attributes file, no submodule to include, every file under
     * {@link #DEFERRED_MIN} and {@link #PLAIN_TREE_MAX_BYTES} in all, names in UTF-8. Empty otherwise, and when git
     * stops answering: {@link #of} then makes it. On a cold JVM it takes a fraction of JGit's time and CPU.
     */
    public static Optional<SourceArchive> ofPlainTree(GitExecutable git, Commit commit, String subdirectory,
            Path spool, boolean includeSubmodules) throws SourceException, IOException {
        GitTree tree = new GitTree(git);
        Optional<List<GitTree.TreeFile>> listed = tree.files(commit);
        if (listed.isEmpty()) {
            return Optional.empty();
        }
        String prefix = normalize(subdirectory);
        List<GitTree.TreeFile> files = new ArrayList<>();
        List<GitTree.TreeFile> attributeFiles = new ArrayList<>();
        long total = 0;
        for (GitTree.TreeFile file : listed.get()) {
            if (file.path().equals(".gitattributes") || file.path().endsWith("/.gitattributes")) {
                attributeFiles.add(file);
            }
            if (!prefix.isEmpty() && !file.path().startsWith(prefix + "/")) {
                continue;
            }
            if (file.type() == GitTree.TreeFile.GITLINK) {
                if (includeSubmodules) {
                    return Optional.empty();
                }
                continue;
            }
            total += file.size();
            if (file.size() >= DEFERRED_MIN || total > PLAIN_TREE_MAX_BYTES) {
                return Optional.empty();
            }
            files.add(file);
        }
        if (mayMention(tree, attributeFiles, EXPORT_IGNORE) || tree.attributesOutsideCommitsMayMention(EXPORT_IGNORE)) {
            return Optional.empty(); // only JGit reads attributes
        }
        long modified = commit.commitTimeSeconds() * 1000L;
        WalkState state = new WalkState(includeSubmodules);
        try {
            return Optional.of(plan(commit, subdirectory, spool, state, tar -> {
                boolean answered = tree.readBlobs(files, (file, content) -> {
                    String name = prefix.isEmpty() ? file.path() : file.path().substring(prefix.length() + 1);
                    if (file.type() == GitTree.TreeFile.SYMLINK) {
                        putSymlink(tar, name, content, modified);
                    } else {
                        putFile(tar, name, (file.mode() & 0111) != 0, content.length, modified);
                        writeSmall(tar, content, state);
                    }
                    tar.closeArchiveEntry();
                });
                if (!answered) {
                    throw new GitStoppedAnswering();
                }
                return files.size();
            }));
        } catch (GitStoppedAnswering e) {
            return Optional.empty(); // the spool is removed; JGit reads it all again
        }
    }

    private static final String EXPORT_IGNORE = "export-ignore";

    /**
     * Whether any of the commit's {@code .gitattributes} files mentions {@code attribute}, itself or in a macro;
     * true also when git does not give their content (or one is too large to read at once).
     */
    private static boolean mayMention(GitTree tree, List<GitTree.TreeFile> attributeFiles,
            String attribute) throws IOException, SourceException {
        if (attributeFiles.isEmpty()) {
            return false;
        }
        if (attributeFiles.stream().anyMatch(file -> file.type() != GitTree.TreeFile.REGULAR
                || file.size() >= DEFERRED_MIN)) {
            return true;
        }
        boolean[] mentioned = {false};
        boolean answered = tree.readBlobs(attributeFiles, (file, content) -> mentioned[0] |= new String(content,
                StandardCharsets.ISO_8859_1).contains(attribute));
        return !answered || mentioned[0];
    }

    /** git did not give every file's content: the archive is made from JGit instead. */
    private static final class GitStoppedAnswering extends IOException {
        private static final long serialVersionUID = 1L;

        GitStoppedAnswering() {
            super("git did not give every file's content", null);
        }
    }

    /** Writes the entries of an archive to a tar stream; returns how many files it wrote. */
    @FunctionalInterface
    private interface Walk {
        int write(TarArchiveOutputStream tar) throws IOException, SourceException;
    }

    /**
     * Plans the archive that {@code walk} writes: the spool it compresses into, and what streams later. The
     * repositories {@code state} opened are closed when it fails.
     */
    private static SourceArchive plan(Commit commit, String subdirectory, Path spool, WalkState state, Walk walk)
            throws SourceException, IOException {
        Files.createDirectories(spool.toAbsolutePath().getParent());
        boolean planned = false;
        try {
            int files;
            SegmentedGzip gzip;
            try (SegmentedGzip.Writer writer = new SegmentedGzip.Writer(spool, Files.newOutputStream(ownerOnly(spool)),
                    Deflater.DEFAULT_COMPRESSION, Runtime.getRuntime().availableProcessors());
                    TarArchiveOutputStream tar = new TarArchiveOutputStream(writer, 10240,
                            StandardCharsets.UTF_8.name())) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                state.writer = writer;
                files = walk.write(tar);
                tar.finish();
                tar.flush();
                gzip = writer.finish();
            }
            if (files == 0) {
                throw new SourceException("Commit " + commit.shortSha() + " has no files under '" + subdirectory
                        + "' (<sourceDirectory>); nothing to build");
            }
            planned = true;
            return new SourceArchive(gzip, spool, files, state.lfsPointers, List.copyOf(state.repositories));
        } finally {
            if (!planned) {
                state.repositories.forEach(Repository::close);
                Files.deleteIfExists(spool); // interrupted or failed: leave nothing half-written behind
            }
        }
    }

    /** Writes the archive of {@code commit} to the file {@code target}, submodules included. */
    public static ArchiveSummary write(GitSource source, Commit commit, String subdirectory, Path target)
            throws SourceException, IOException {
        return write(source, commit, subdirectory, target, true);
    }

    /** The same, with submodules left out when {@code includeSubmodules} is false. */
    public static ArchiveSummary write(GitSource source, Commit commit, String subdirectory, Path target,
            boolean includeSubmodules) throws SourceException, IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try (SourceArchive archive = of(source, commit, subdirectory,
                target.resolveSibling(target.getFileName() + ".spool"), includeSubmodules)) {
            boolean written = false;
            try (OutputStream file = Files.newOutputStream(ownerOnly(partial))) {
                archive.writeTo(file);
                written = true;
            } finally {
                if (!written) {
                    Files.deleteIfExists(partial);
                }
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new ArchiveSummary(target, archive.bytes(), archive.files(), archive.sha256(),
                    archive.lfsPointers());
        }
    }

    /** The exact size of the archive in bytes. */
    public long bytes() {
        return gzip.length();
    }

    /** How many of the tar stream's bytes are read from git only while the archive streams. */
    public long streamedBytes() {
        return gzip.deferredBytes();
    }

    public int files() {
        return files;
    }

    /** How many files are Git LFS pointers (shipped as pointers, as {@code git push} ships them). */
    public int lfsPointers() {
        return lfsPointers;
    }

    /**
     * Writes the archive, exactly {@link #bytes()} of them, and notes its SHA-256. Can be called again (a retried
     * upload), also from several threads at once. An {@link IOException} comes from {@code out}; when the archive's
     * own parts cannot be read (git objects, the spool) it is an {@link java.io.UncheckedIOException}, which retrying
     * would not cure.
     */
    public void writeTo(OutputStream out) throws IOException {
        if (closed.get()) {
            throw new IllegalStateException("the source archive was closed"); // cancelled: nothing to retry
        }
        MessageDigest digest = sha256Digest();
        gzip.writeTo(new DigestOutputStream(out, digest));
        sha256 = HexFormat.of().formatHex(digest.digest());
    }

    /** The SHA-256 of the archive (hex), read once more if it has not been written yet. */
    public String sha256() throws IOException {
        String known = sha256;
        if (known == null) {
            writeTo(OutputStream.nullOutputStream());
            known = sha256;
        }
        return known;
    }

    /** The {@code source_blob.checksum} Heroku verifies: {@code SHA256:<hex>}. */
    public String checksum() throws IOException {
        return "SHA256:" + sha256();
    }

    /** Removes the spool and lets go of the repositories; the size, file count and a known SHA-256 stay readable. */
    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            repositories.forEach(Repository::close);
            Files.deleteIfExists(spool);
        }
    }

    /**
     * Creates {@code file} readable by its owner only where the file system has POSIX permissions: the archive holds
     * the whole source of the app, and {@code target/} is often readable by every user of a CI machine.
     */
    private static Path ownerOnly(Path file) throws IOException {
        Files.deleteIfExists(file);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.createFile(file, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createFile(file);
    }

    /** What the walk writes to, found besides files, and opened; and what it must do with submodules. */
    private static final class WalkState {
        final boolean submodules;
        final List<Repository> repositories = new ArrayList<>();
        SegmentedGzip.Writer writer;
        int lfsPointers;

        WalkState(boolean submodules) {
            this.submodules = submodules;
        }
    }

    /** How a Git LFS pointer file starts (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md). */
    private static final byte[] LFS_POINTER = "version https://git-lfs.github.com/spec/v1\n"
            .getBytes(StandardCharsets.US_ASCII);
    /** Pointer files are small; the spec caps them at 1024 bytes. */
    private static final int MAX_LFS_POINTER = 1024;

    /**
     * Writes the files of {@code tree} under {@code prefix} ("" for all), named relative to {@code prefix} and
     * behind {@code namePrefix} (a submodule's path in the archive), every entry dated {@code modified}.
     */
    private static int writeTree(Repository repository, ObjectReader reader, org.eclipse.jgit.revwalk.RevTree tree,
            long modified, String prefix, String namePrefix, TarArchiveOutputStream tar, WalkState state)
            throws IOException, SourceException {
        int files = 0;
        try (TreeWalk walk = new TreeWalk(repository, reader)) {
            walk.addTree(tree);
            walk.setRecursive(false);
            while (walk.next()) {
                String path = walk.getPathString();
                if (!prefix.isEmpty() && !isUnder(path, prefix)) {
                    continue;
                }
                if (exportIgnored(walk)) {
                    continue;
                }
                if (walk.isSubtree()) {
                    walk.enterSubtree();
                    continue;
                }
                if (!prefix.isEmpty() && !path.startsWith(prefix + "/")) {
                    continue; // a file beside the path leading to the app's root
                }
                String name = namePrefix + (prefix.isEmpty() ? path : path.substring(prefix.length() + 1));
                FileMode mode = walk.getFileMode(0);
                if (mode == FileMode.GITLINK) {
                    if (state.submodules) {
                        files += writeSubmodule(repository, path, walk.getObjectId(0), modified, name, tar, state);
                    }
                    continue;
                }
                ObjectLoader loader = reader.open(walk.getObjectId(0));
                if (mode == FileMode.SYMLINK) {
                    putSymlink(tar, name, loader.getBytes(), modified);
                } else {
                    putFile(tar, name, mode == FileMode.EXECUTABLE_FILE, loader.getSize(), modified);
                    if (loader.getSize() <= MAX_LFS_POINTER) {
                        writeSmall(tar, loader.getCachedBytes(), state);
                    } else if (loader.getSize() >= DEFERRED_MIN && !worthDeflating(loader)) {
                        defer(repository, walk.getObjectId(0), loader.getSize(), tar, state.writer);
                    } else {
                        loader.copyTo(tar);
                    }
                }
                tar.closeArchiveEntry();
                files++;
            }
        }
        return files;
    }

    private static void putSymlink(TarArchiveOutputStream tar, String name, byte[] target, long modified)
            throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        entry.setLinkName(new String(target, StandardCharsets.UTF_8));
        entry.setMode(0120777);
        entry.setModTime(modified);
        tar.putArchiveEntry(entry);
    }

    /** The entry of a file, whose content the caller writes next. */
    private static void putFile(TarArchiveOutputStream tar, String name, boolean executable, long size,
            long modified) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(executable ? 0100755 : 0100644);
        entry.setSize(size);
        entry.setModTime(modified);
        tar.putArchiveEntry(entry);
    }

    /** A file's content held in memory, counted when it is a Git LFS pointer. */
    private static void writeSmall(TarArchiveOutputStream tar, byte[] content, WalkState state) throws IOException {
        if (content.length <= MAX_LFS_POINTER && isLfsPointer(content)) {
            state.lfsPointers++;
        }
        tar.write(content);
    }

    /** Judged from the file's first block, as the compressor judges each block. */
    private static boolean worthDeflating(ObjectLoader loader) throws IOException {
        try (InputStream in = loader.openStream()) {
            byte[] head = in.readNBytes(SegmentedGzip.BLOCK_SIZE);
            return SegmentedGzip.worthDeflating(head, head.length);
        }
    }

    /**
     * Writes the file's entry content as zeros, which the compressor drops, and has the file read from
     * {@code repository} when the archive streams: as stored blocks, its size is known without reading it now. The
     * tar writer has sent the entry's header on by now (it writes whole 512-byte records); the zeros it pads the
     * content with belong to the deferred stretch too.
     */
    private static void defer(Repository repository, ObjectId blob, long size, TarArchiveOutputStream tar,
            SegmentedGzip.Writer writer) throws IOException {
        ObjectId id = blob.copy();
        long padded = (size + TAR_RECORD - 1) / TAR_RECORD * TAR_RECORD;
        writer.defer(() -> repository.open(id, Constants.OBJ_BLOB).openStream(), size, padded);
        byte[] zeros = SegmentedGzip.ZEROS;
        for (long left = size; left > 0; left -= zeros.length) {
            tar.write(zeros, 0, (int) Math.min(zeros.length, left));
        }
    }

    /** The files of the submodule at {@code path}, at the commit the superproject pins, behind {@code name}/. */
    private static int writeSubmodule(Repository parent, String path, ObjectId pinned, long modified, String name,
            TarArchiveOutputStream tar, WalkState state) throws IOException, SourceException {
        try (Repository submodule = openSubmodule(parent, path, pinned);
                RevWalk revWalk = new RevWalk(submodule);
                ObjectReader reader = submodule.newObjectReader()) {
            submodule.incrementOpen(); // its large files may be read again while the archive streams
            state.repositories.add(submodule);
            return writeTree(submodule, reader, revWalk.parseCommit(pinned).getTree(), modified, "", name + "/", tar,
                    state);
        }
    }

    /**
     * The repository of the submodule at {@code path} of {@code parent}, which must hold the pinned commit; a
     * submodule that is not checked out, or lacks the commit, is refused with the fix.
     */
    static Repository openSubmodule(Repository parent, String path, ObjectId pinned) throws IOException,
            SourceException {
        Repository submodule = org.eclipse.jgit.submodule.SubmoduleWalk.getSubmoduleRepository(parent, path);
        if (submodule == null) {
            throw new SourceException("The submodule " + path + " is not checked out, so its files would be missing"
                    + " from what ships: run `git submodule update --init --recursive` (on GitHub Actions,"
                    + " `submodules: recursive` in actions/checkout), or set <includeSubmodules>false</includeSubmodules>"
                    + " (-Dheroku.includeSubmodules=false) to ship without submodules on purpose");
        }
        if (!submodule.getObjectDatabase().has(pinned)) {
            submodule.close();
            throw new SourceException("The repository of submodule " + path + " lacks commit "
                    + pinned.abbreviate(8).name() + ", which the superproject pins: run `git submodule update --init"
                    + " --recursive` (it fetches the pinned commit)");
        }
        return submodule;
    }

    private static boolean isLfsPointer(byte[] content) {
        if (content.length < LFS_POINTER.length) {
            return false;
        }
        for (int i = 0; i < LFS_POINTER.length; i++) {
            if (content[i] != LFS_POINTER[i]) {
                return false;
            }
        }
        return true;
    }

    /** True for paths inside {@code prefix} and for the directories leading to it. */
    private static boolean isUnder(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/") || prefix.startsWith(path + "/");
    }

    private static boolean exportIgnored(TreeWalk walk) throws IOException {
        Attributes attributes = walk.getAttributes();
        return attributes.isSet("export-ignore");
    }

    private static String normalize(String subdirectory) {
        if (subdirectory == null) {
            return "";
        }
        String trimmed = subdirectory.replace('\\', '/');
        while (trimmed.startsWith("./")) {
            trimmed = trimmed.substring(2);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.equals(".") ? "" : trimmed;
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
