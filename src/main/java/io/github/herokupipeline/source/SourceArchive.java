package io.github.herokupipeline.source;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.eclipse.jgit.attributes.Attributes;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes the tracked files of one commit as a gzip'ed tar, the way {@code git archive} does: file modes with the
 * executable bit, symlinks as symlinks, {@code export-ignore} honoured, every entry dated at the commit time, and
 * nothing that is not in the commit (no {@code .git}, no untracked or ignored files such as a local {@code .env}).
 * Content streams from the object database to the file, so memory does not grow with the repository, and is
 * compressed on all cores ({@link ParallelGzipOutputStream}). Submodules are included as {@code git push heroku}
 * ships them: each one's files at the commit the superproject pins, read from the submodule's own repository,
 * recursively.
 */
public final class SourceArchive {

    private SourceArchive() {}

    /**
     * @param subdirectory the app's root inside the repository ("" for the repository root); entries are written
     *     relative to it
     */
    public static ArchiveSummary write(GitSource source, Commit commit, String subdirectory, Path target)
            throws SourceException, IOException {
        return write(source, commit, subdirectory, target, true);
    }

    /** The same, with submodules left out when {@code includeSubmodules} is false. */
    public static ArchiveSummary write(GitSource source, Commit commit, String subdirectory, Path target,
            boolean includeSubmodules) throws SourceException, IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Repository repository = source.repository();
        MessageDigest sha256 = sha256();
        Counts counts = new Counts(includeSubmodules);
        int files;
        boolean written = false;
        try {
            files = writeArchive(repository, commit, subdirectory, partial, sha256, counts);
            written = true;
        } finally {
            if (!written) {
                Files.deleteIfExists(partial); // interrupted or failed: leave no half-written archive behind
            }
        }
        if (files == 0) {
            Files.deleteIfExists(partial);
            throw new SourceException("Commit " + commit.shortSha() + " has no files under '" + subdirectory
                    + "' (<sourceDirectory>); nothing to build");
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new ArchiveSummary(target, Files.size(target), files, HexFormat.of().formatHex(sha256.digest()),
                counts.lfsPointers);
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

    /** What the walk found besides files, and what it must do with submodules. */
    private static final class Counts {
        final boolean submodules;
        int lfsPointers;

        Counts(boolean submodules) {
            this.submodules = submodules;
        }
    }

    /** How a Git LFS pointer file starts (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md). */
    private static final byte[] LFS_POINTER = "version https://git-lfs.github.com/spec/v1\n"
            .getBytes(StandardCharsets.US_ASCII);
    /** Pointer files are small; the spec caps them at 1024 bytes. */
    private static final int MAX_LFS_POINTER = 1024;

    private static int writeArchive(Repository repository, Commit commit, String subdirectory, Path partial,
            MessageDigest sha256, Counts counts) throws IOException, SourceException {
        try (OutputStream file = Files.newOutputStream(ownerOnly(partial));
                DigestOutputStream digest = new DigestOutputStream(new BufferedOutputStream(file, 1 << 16), sha256);
                ParallelGzipOutputStream gzip = new ParallelGzipOutputStream(digest, Deflater.DEFAULT_COMPRESSION,
                        Runtime.getRuntime().availableProcessors());
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, 10240, StandardCharsets.UTF_8.name());
                RevWalk revWalk = new RevWalk(repository);
                ObjectReader reader = repository.newObjectReader()) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            RevCommit revCommit = revWalk.parseCommit(ObjectId.fromString(commit.sha()));
            int files = writeTree(repository, reader, revCommit.getTree(), revCommit.getCommitTime() * 1000L,
                    normalize(subdirectory), "", tar, counts);
            tar.finish();
            return files;
        }
    }

    /**
     * Writes the files of {@code tree} under {@code prefix} ("" for all), named relative to {@code prefix} and
     * behind {@code namePrefix} (a submodule's path in the archive), every entry dated {@code modified}.
     */
    private static int writeTree(Repository repository, ObjectReader reader, org.eclipse.jgit.revwalk.RevTree tree,
            long modified, String prefix, String namePrefix, TarArchiveOutputStream tar, Counts counts)
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
                    if (counts.submodules) {
                        files += writeSubmodule(repository, path, walk.getObjectId(0), modified, name, tar, counts);
                    }
                    continue;
                }
                ObjectLoader loader = reader.open(walk.getObjectId(0));
                if (mode == FileMode.SYMLINK) {
                    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                    entry.setLinkName(new String(loader.getBytes(), StandardCharsets.UTF_8));
                    entry.setMode(0120777);
                    entry.setModTime(modified);
                    tar.putArchiveEntry(entry);
                } else {
                    TarArchiveEntry entry = new TarArchiveEntry(name);
                    entry.setMode(mode == FileMode.EXECUTABLE_FILE ? 0100755 : 0100644);
                    entry.setSize(loader.getSize());
                    entry.setModTime(modified);
                    tar.putArchiveEntry(entry);
                    if (loader.getSize() <= MAX_LFS_POINTER) {
                        byte[] content = loader.getCachedBytes();
                        if (isLfsPointer(content)) {
                            counts.lfsPointers++;
                        }
                        tar.write(content);
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

    /** The files of the submodule at {@code path}, at the commit the superproject pins, behind {@code name}/. */
    private static int writeSubmodule(Repository parent, String path, ObjectId pinned, long modified, String name,
            TarArchiveOutputStream tar, Counts counts) throws IOException, SourceException {
        try (Repository submodule = openSubmodule(parent, path, pinned);
                RevWalk revWalk = new RevWalk(submodule);
                ObjectReader reader = submodule.newObjectReader()) {
            return writeTree(submodule, reader, revWalk.parseCommit(pinned).getTree(), modified, "", name + "/", tar,
                    counts);
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
