package io.github.herokupipeline.source;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Quick answers from the {@code git} executable to the questions that hold Maven up at the start of a build: which
 * commit ships, whether the working tree matches it, whether its file names are plain. On a cold JVM, JGit spends
 * most of half a second loading its classes before its first answer; git answers in a few milliseconds a command.
 * Every method answers empty when git cannot answer plainly (no git on the PATH, an error, a refusal such as a
 * repository owned by another user, a timeout, submodules to check, a name that is not UTF-8): the caller then asks
 * {@link GitSource}, which stays the reference and words the errors. Tests hold both to the same answers.
 */
public final class GitExecutable {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String GITLINK_MODE = "160000";

    private final Path workTree;
    private volatile Optional<Boolean> shallow;

    private GitExecutable(Path workTree) {
        this.workTree = workTree;
    }

    /** The git executable, for the working tree that contains {@code directory}; empty when it does not answer. */
    public static Optional<GitExecutable> at(Path directory) {
        return run(directory, "rev-parse", "--show-toplevel", "--is-shallow-repository").flatMap(output -> {
            String[] lines = new String(output, StandardCharsets.UTF_8).split("\n");
            Optional<GitExecutable> git = workTreeOf(lines[0].getBytes(StandardCharsets.UTF_8))
                    .map(GitExecutable::new);
            Optional<Boolean> shallow = lines.length == 2 ? yesOrNo(lines[1]) : Optional.empty();
            if (shallow.isPresent()) {
                git.ifPresent(found -> found.shallow = shallow);
            }
            return lines.length <= 2 ? git : Optional.empty();
        });
    }

    /** The root of the working tree, as git names it (symbolic links resolved). */
    public Path workTree() {
        return workTree;
    }

    /**
     * {@code directory} relative to the root, with '/' separators ("" for the root), as {@link GitSource#relativePath}
     * gives it; empty when it is not plainly inside (JGit then says why). Both sides are compared with symbolic links
     * resolved, since git names the root that way.
     */
    public Optional<String> relativePath(Path directory) {
        try {
            Path root = workTree.toRealPath();
            Path inside = directory.toRealPath();
            return inside.startsWith(root)
                    ? Optional.of(root.relativize(inside).toString().replace(File.separatorChar, '/'))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** HEAD, or {@code revision} (a SHA, tag or branch), as {@link GitSource#resolve} reads it. */
    public Optional<Commit> resolve(String revision) {
        String wanted = revision == null || revision.isBlank() ? "HEAD" : revision.strip();
        if (wanted.startsWith("-")) {
            return Optional.empty();
        }
        return run(workTree, "-c", "i18n.logOutputEncoding=UTF-8", "log", "-1", "--no-show-signature",
                "--format=%H%x00%ct%x00%s", wanted + "^{commit}", "--").flatMap(output -> {
                    String[] fields = new String(output, StandardCharsets.UTF_8).split("\0", 3);
                    if (fields.length < 3 || !fields[0].matches("[0-9a-f]{40}")) {
                        return Optional.empty();
                    }
                    return Optional.of(new Commit(fields[0], stripNewline(fields[2]), Long.parseLong(fields[1])));
                });
    }

    /**
     * Whether {@link GitSource#checkFiles} would find nothing to refuse in {@code commit} under {@code subdirectory}:
     * true when every name is UTF-8 and, with {@code submodules}, there is no submodule to check; false otherwise,
     * and when git does not answer (it is JGit's to say which names, or how a submodule fails).
     */
    public boolean filesArePlain(Commit commit, String subdirectory, boolean submodules) {
        return run(workTree, "ls-tree", "-r", "-z", "--full-tree", commit.sha())
                .map(output -> namesArePlain(output, subdirectory, submodules)).orElse(false);
    }

    /** The answer of {@link #filesArePlain} from the output of {@code git ls-tree -r -z}. */
    static boolean namesArePlain(byte[] output, String subdirectory, boolean submodules) {
        int start = 0;
        for (int end = indexOf(output, (byte) 0, start); end >= 0; end = indexOf(output, (byte) 0, start)) {
            int tab = indexOf(output, (byte) '\t', start);
            if (tab < 0 || tab > end) {
                return false;
            }
            byte[] name = Arrays.copyOfRange(output, tab + 1, end);
            boolean gitlink = new String(output, start, tab - start, StandardCharsets.US_ASCII).startsWith(GITLINK_MODE
                    + " ");
            start = end + 1;
            if (isUnder(name, subdirectory) && (!GitSource.isUtf8(name) || submodules && gitlink)) {
                return false;
            }
        }
        return start == output.length;
    }

    /**
     * The tracked files under {@code subdirectory} ("" for all) that differ from HEAD, as
     * {@link GitSource#changedTrackedFiles} lists them: modified, deleted, staged or conflicting, submodules ignored.
     */
    public Optional<List<String>> changedTrackedFiles(String subdirectory) {
        return run(workTree, "status", "--porcelain=v1", "-z", "--untracked-files=no", "--ignore-submodules=all")
                .flatMap(output -> changedFilesOf(output, subdirectory));
    }

    /**
     * The answer of {@link #changedTrackedFiles} from the output of {@code git status --porcelain=v1 -z}: one
     * {@code XY path} entry per file, a rename or copy followed by its source; empty when the output is not that.
     */
    static Optional<List<String>> changedFilesOf(byte[] output, String subdirectory) {
        Set<String> changed = new TreeSet<>();
        int start = 0;
        for (int end = indexOf(output, (byte) 0, start); end >= 0; end = indexOf(output, (byte) 0, start)) {
            if (end - start < 4 || output[start + 2] != ' ') {
                return Optional.empty();
            }
            char staged = (char) output[start];
            char unstaged = (char) output[start + 1];
            addUnder(changed, Arrays.copyOfRange(output, start + 3, end), subdirectory);
            start = end + 1;
            if (staged == 'R' || staged == 'C' || unstaged == 'R' || unstaged == 'C') {
                // the source of the rename or copy follows; a renamed file's old name counts as removed
                end = indexOf(output, (byte) 0, start);
                if (end < 0) {
                    return Optional.empty();
                }
                if (staged == 'R' || unstaged == 'R') {
                    addUnder(changed, Arrays.copyOfRange(output, start, end), subdirectory);
                }
                start = end + 1;
            }
        }
        return start == output.length ? Optional.of(List.copyOf(changed)) : Optional.empty();
    }

    private static void addUnder(Set<String> changed, byte[] name, String subdirectory) {
        if (isUnder(name, subdirectory)) {
            changed.add(new String(name, StandardCharsets.UTF_8));
        }
    }

    private static boolean isUnder(byte[] name, String subdirectory) {
        if (subdirectory == null || subdirectory.isEmpty()) {
            return true;
        }
        byte[] prefix = (subdirectory + "/").getBytes(StandardCharsets.UTF_8);
        return name.length > prefix.length && Arrays.equals(name, 0, prefix.length, prefix, 0, prefix.length);
    }

    /**
     * Where {@code other} stands relative to {@code reference}, as {@link GitSource#order} says it; empty when git
     * does not answer plainly (an object that is not a commit, a broken history), which is JGit's to word.
     */
    public Optional<CommitOrder> order(String other, Commit reference) {
        Optional<Boolean> shallow = isShallow();
        if (shallow.isEmpty()) {
            return Optional.empty();
        }
        if (other == null || other.isBlank() || !other.matches("[0-9a-fA-F]{40}")) {
            return Optional.of(new CommitOrder(CommitOrder.Relation.UNKNOWN, 0, shallow.get()));
        }
        if (other.equalsIgnoreCase(reference.sha())) {
            return Optional.of(new CommitOrder(CommitOrder.Relation.SAME, 0, shallow.get()));
        }
        String ours = other.toLowerCase(java.util.Locale.ROOT);
        // left: the commits only other has; right: those only the reference has
        Optional<CommitOrder> counted = run(workTree, "rev-list", "--left-right", "--count",
                ours + "..." + reference.sha(), "--").flatMap(GitExecutable::twoCounts).map(counts -> {
                    if (counts[1] == 0) {
                        return new CommitOrder(CommitOrder.Relation.AHEAD, counts[0], shallow.get());
                    }
                    return counts[0] == 0 ? new CommitOrder(CommitOrder.Relation.BEHIND, counts[1], shallow.get())
                            : new CommitOrder(CommitOrder.Relation.DIVERGED, 0, shallow.get());
                });
        if (counted.isPresent()) {
            return counted;
        }
        // git refused: a commit the repository lacks is unknown; anything else is JGit's to word
        Optional<List<String>> types = objectTypes(List.of(ours, reference.sha()));
        if (types.isEmpty() || !types.get().get(1).equals("commit")) {
            return Optional.empty();
        }
        return types.get().get(0).equals("missing")
                ? Optional.of(new CommitOrder(CommitOrder.Relation.UNKNOWN, 0, shallow.get())) : Optional.empty();
    }

    /** Whether the repository is a shallow clone; empty when git does not say. Asked once. */
    public Optional<Boolean> isShallow() {
        Optional<Boolean> known = shallow;
        if (known == null || known.isEmpty()) {
            known = run(workTree, "rev-parse", "--is-shallow-repository")
                    .flatMap(output -> yesOrNo(new String(output, StandardCharsets.US_ASCII).strip()));
            shallow = known;
        }
        return known;
    }

    /** git's answer to a yes-or-no question ("true" or "false"); empty for anything else. */
    private static Optional<Boolean> yesOrNo(String answer) {
        return answer.equals("true") || answer.equals("false") ? Optional.of(Boolean.valueOf(answer))
                : Optional.empty();
    }

    /**
     * {@link GitSource#firstParent} and {@link GitSource#firstParentDepth} of {@code sha}; empty when git does not
     * answer.
     */
    public Optional<Ancestry> ancestry(String sha) {
        if (sha == null || !sha.matches("[0-9a-fA-F]{40}")) {
            return Optional.empty();
        }
        Optional<Boolean> shallow = isShallow();
        Optional<byte[]> commitObject = run(workTree, "cat-file", "commit", sha);
        if (shallow.isEmpty() || commitObject.isEmpty()) {
            return Optional.empty();
        }
        String firstParent = GitSource.firstParentOf(commitObject.get()).orElse(null);
        if (shallow.get()) {
            return Optional.of(new Ancestry(firstParent, null));
        }
        return run(workTree, "rev-list", "--first-parent", "--count", sha, "--")
                .flatMap(output -> count(new String(output, StandardCharsets.US_ASCII).strip()))
                .map(depth -> new Ancestry(firstParent, depth));
    }

    /** The type of each object ("commit", "blob", ..., or "missing"), in order; empty when git does not answer. */
    private Optional<List<String>> objectTypes(List<String> objects) {
        return runWithInput(workTree, String.join("\n", objects) + "\n", "cat-file",
                "--batch-check=%(objectname) %(objecttype)").flatMap(output -> {
                    String[] lines = new String(output, StandardCharsets.US_ASCII).split("\n");
                    if (lines.length != objects.size()) {
                        return Optional.empty();
                    }
                    List<String> types = new ArrayList<>();
                    for (int i = 0; i < lines.length; i++) {
                        String[] fields = lines[i].split(" ");
                        if (fields.length != 2 || !fields[0].equals(objects.get(i))) {
                            return Optional.empty();
                        }
                        types.add(fields[1]);
                    }
                    return Optional.of(types);
                });
    }

    /** The two numbers of {@code rev-list --left-right --count}: "left TAB right". */
    static Optional<int[]> twoCounts(byte[] output) {
        String[] fields = new String(output, StandardCharsets.US_ASCII).strip().split("\t");
        if (fields.length != 2) {
            return Optional.empty();
        }
        Optional<Integer> left = count(fields[0]);
        Optional<Integer> right = count(fields[1]);
        return left.isPresent() && right.isPresent() ? Optional.of(new int[] {left.get(), right.get()})
                : Optional.empty();
    }

    private static Optional<Integer> count(String text) {
        return text.matches("[0-9]{1,9}") ? Optional.of(Integer.valueOf(text)) : Optional.empty();
    }

    /**
     * Runs git in {@code directory} and returns what it wrote to standard output when it exits with 0 within the
     * timeout. The output is read as git writes it, so a large answer never blocks git on a full pipe. (No temporary
     * file: a cold JVM's first one sets up {@code SecureRandom}, 10-40 ms on the way to the tests.)
     */
    static Optional<byte[]> run(Path directory, String... arguments) {
        return runWithInput(directory, null, arguments);
    }

    /** The same, with {@code input} (a little text, or null for none) as git's standard input. */
    static Optional<byte[]> runWithInput(Path directory, String input, String... arguments) {
        Process process = null;
        try {
            process = git(directory, arguments).start();
            try (OutputStream standardInput = process.getOutputStream()) {
                if (input != null) {
                    standardInput.write(input.getBytes(StandardCharsets.UTF_8));
                } // closed either way: git never reads Maven's own standard input
            }
            byte[] output = outputWithin(process, TIMEOUT);
            return output != null && process.exitValue() == 0 ? Optional.of(output) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * What the process writes to standard output until it exits; null when it has not exited within {@code limit}.
     * Only what is ready is read, between short waits for the exit: the wait stays bounded while git writes, and
     * nothing blocks after it, even if something git started still holds the pipe open.
     */
    private static byte[] outputWithin(Process process, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        InputStream output = process.getInputStream();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (true) {
            boolean exited = process.waitFor(1, TimeUnit.MILLISECONDS);
            // once git has exited, all it wrote is ready: in the pipe, or kept by the JDK when it closed the pipe
            for (int ready = output.available(); ready > 0; ready = output.available()) {
                read.write(buffer, 0, output.read(buffer, 0, Math.min(ready, buffer.length)));
            }
            if (exited) {
                return read.toByteArray();
            }
            if (System.nanoTime() - deadline > 0) {
                return null;
            }
        }
    }

    /** git with {@code arguments} in {@code directory}: its errors discarded, and no prompt that nobody answers. */
    private static ProcessBuilder git(Path directory, String... arguments) {
        // --no-optional-locks: status does not rewrite the index, so it never competes with an IDE or another build;
        // --no-replace-objects: objects as stored, as JGit and Heroku's own git see them
        List<String> command = new ArrayList<>(List.of("git", "--no-optional-locks", "--no-replace-objects"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        return builder;
    }

    /**
     * Runs git as {@link #run} does, with {@code input} (text of any length, or null for none) as its standard input,
     * and returns the file its standard output went to, which the caller deletes; empty (and no file left) when git
     * did not exit with 0 within the timeout. For answers too large to hold in memory (file contents).
     */
    static Optional<Path> runToFile(Path directory, String input, String... arguments) {
        Path inputFile = null;
        Path output = null;
        Process process = null;
        boolean answered = false;
        try {
            if (input != null) {
                inputFile = Files.createTempFile("heroku-pipeline-git", ".in");
                Files.writeString(inputFile, input, StandardCharsets.UTF_8);
            }
            output = Files.createTempFile("heroku-pipeline-git", ".out");
            ProcessBuilder builder = git(directory, arguments).redirectOutput(output.toFile());
            if (inputFile != null) {
                builder.redirectInput(inputFile.toFile());
            }
            process = builder.start();
            if (inputFile == null) {
                process.getOutputStream().close(); // nothing to read: never Maven's own standard input
            }
            answered = process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) && process.exitValue() == 0;
            return answered ? Optional.of(output) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            deleteQuietly(inputFile);
            if (!answered) {
                deleteQuietly(output);
            }
        }
    }

    static void deleteQuietly(Path temporary) {
        if (temporary != null) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // a temporary file; the JVM's temp directory is cleared by the OS
            }
        }
    }

    /** The working tree's root from the output of {@code git rev-parse --show-toplevel}: one absolute path. */
    static Optional<Path> workTreeOf(byte[] output) {
        String line = new String(output, StandardCharsets.UTF_8).strip();
        if (line.isEmpty() || line.contains("\n")) {
            return Optional.empty();
        }
        Path path = Path.of(line);
        return path.isAbsolute() ? Optional.of(path) : Optional.empty();
    }

    private static String stripNewline(String subject) {
        return subject.endsWith("\n") ? subject.substring(0, subject.length() - 1) : subject;
    }

    static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
