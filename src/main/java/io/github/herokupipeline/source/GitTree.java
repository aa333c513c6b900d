package io.github.herokupipeline.source;

import static io.github.herokupipeline.source.GitExecutable.indexOf;
import static io.github.herokupipeline.source.GitExecutable.run;
import static io.github.herokupipeline.source.GitExecutable.runToFile;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The files of a commit as the {@code git} executable reads them, for {@link SourceArchive#ofPlainTree}: their list
 * ({@code ls-tree}), their content ({@code cat-file --batch}), and whether attributes outside the commit may act on
 * them. Every answer is empty or false when git does not answer plainly; JGit then reads the commit.
 */
final class GitTree {

    // compiled once: ls-tree lists every file of the commit, and String.matches would compile each for every line
    private static final Pattern SPACES = Pattern.compile(" +");
    private static final Pattern MODE = Pattern.compile("[0-7]{6}");
    private static final Pattern OBJECT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern SIZE = Pattern.compile("[0-9]{1,18}");

    private final Path workTree;

    GitTree(GitExecutable git) {
        this.workTree = git.workTree();
    }

    /**
     * A file of a commit as {@code git ls-tree -r -l} lists it.
     *
     * @param mode the mode git stores (octal 100644, 100755, 120000 for a symbolic link, 160000 for a submodule)
     * @param object the blob's id (the pinned commit's, for a submodule)
     * @param size the blob's size; -1 for a submodule
     * @param path the path from the repository root, as UTF-8
     */
    record TreeFile(int mode, String object, long size, String path) {

        static final int TYPE_MASK = 0170000;
        static final int REGULAR = 0100000;
        static final int SYMLINK = 0120000;
        static final int GITLINK = 0160000;

        int type() {
            return mode & TYPE_MASK;
        }
    }

    /**
     * Every file of {@code commit}, in git's order (the order of {@code git archive}), when git lists them all
     * plainly: names in UTF-8 and modes git writes. Empty otherwise.
     */
    Optional<List<TreeFile>> files(Commit commit) {
        return run(workTree, "ls-tree", "-r", "-l", "-z", "--full-tree", commit.sha())
                .flatMap(GitTree::treeFiles);
    }

    /** The files in the output of {@code git ls-tree -r -l -z}: "mode type object size TAB path NUL" each. */
    static Optional<List<TreeFile>> treeFiles(byte[] output) {
        List<TreeFile> files = new ArrayList<>();
        int start = 0;
        for (int end = indexOf(output, (byte) 0, start); end >= 0; end = indexOf(output, (byte) 0, start)) {
            int tab = indexOf(output, (byte) '\t', start);
            if (tab < 0 || tab > end) {
                return Optional.empty();
            }
            byte[] name = Arrays.copyOfRange(output, tab + 1, end);
            String[] fields = SPACES.split(new String(output, start, tab - start, StandardCharsets.US_ASCII).trim());
            start = end + 1;
            if (fields.length != 4 || !GitSource.isUtf8(name) || !MODE.matcher(fields[0]).matches()
                    || !OBJECT.matcher(fields[2]).matches()) {
                return Optional.empty();
            }
            int mode = Integer.parseInt(fields[0], 8);
            int type = mode & TreeFile.TYPE_MASK;
            boolean blob = fields[1].equals("blob") && (type == TreeFile.REGULAR || type == TreeFile.SYMLINK);
            boolean gitlink = fields[1].equals("commit") && type == TreeFile.GITLINK;
            if (!(blob && SIZE.matcher(fields[3]).matches()) && !(gitlink && fields[3].equals("-"))) {
                return Optional.empty();
            }
            files.add(new TreeFile(mode, fields[2], gitlink ? -1 : Long.parseLong(fields[3]),
                    new String(name, StandardCharsets.UTF_8)));
        }
        return start == output.length ? Optional.of(files) : Optional.empty();
    }

    /**
     * Whether attributes that JGit reads from outside the commit may mention {@code attribute}: an
     * {@code info/attributes} file that does, or any global attributes file ({@code core.attributesFile}). True also
     * when git does not say.
     */
    boolean attributesOutsideCommitsMayMention(String attribute) {
        Optional<byte[]> locations = run(workTree, "rev-parse", "--git-dir", "--git-path", "info/attributes");
        Optional<byte[]> global = run(workTree, "config", "--get", "--default", "", "core.attributesFile");
        if (locations.isEmpty() || global.isEmpty() || !new String(global.get(), StandardCharsets.UTF_8).isBlank()) {
            return true;
        }
        String[] lines = new String(locations.get(), StandardCharsets.UTF_8).split("\n");
        if (lines.length != 2) {
            return true;
        }
        for (Path file : List.of(workTree.resolve(lines[0]).resolve("info").resolve("attributes"),
                workTree.resolve(lines[1]))) {
            try {
                if (Files.exists(file) && Files.readString(file, StandardCharsets.ISO_8859_1).contains(attribute)) {
                    return true;
                }
            } catch (IOException e) {
                return true;
            }
        }
        return false;
    }

    /** Reads one file's content, in the order the files were asked for. */
    @FunctionalInterface
    interface BlobReader {
        void read(TreeFile file, byte[] content) throws IOException, SourceException;
    }

    /**
     * Reads the content of {@code files} (blobs, each small enough to hold in memory) with one
     * {@code git cat-file --batch}, and hands each to {@code reader} in order. False when git did not answer in full
     * (nothing more is handed on then).
     */
    boolean readBlobs(List<TreeFile> files, BlobReader reader) throws IOException, SourceException {
        StringBuilder objects = new StringBuilder(files.size() * 41);
        files.forEach(file -> objects.append(file.object()).append('\n'));
        Optional<Path> output = runToFile(workTree, objects.toString(), "cat-file", "--batch");
        try {
            if (output.isEmpty()) {
                return false;
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(output.get()), 1 << 16)) {
                for (TreeFile file : files) {
                    if (!(file.object() + " blob " + file.size()).equals(headerLine(in))) {
                        return false;
                    }
                    byte[] content = in.readNBytes((int) file.size());
                    if (content.length != file.size() || in.read() != '\n') {
                        return false;
                    }
                    reader.read(file, content);
                }
                return in.read() == -1;
            }
        } finally {
            output.ifPresent(GitExecutable::deleteQuietly);
        }
    }

    /** One header line of {@code cat-file --batch}, without its newline; null when there is none. */
    private static String headerLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int next = in.read(); next != '\n'; next = in.read()) {
            if (next < 0 || line.length() > 200) {
                return null;
            }
            line.append((char) next);
        }
        return line.toString();
    }
}
