package io.github.herokupipeline.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A throw-away git repository driven through the git command line, with its own committer identity. */
public final class TestRepo {

    private final Path root;

    private TestRepo(Path root) {
        this.root = root;
    }

    public static TestRepo init(Path root) throws IOException {
        Files.createDirectories(root);
        TestRepo repo = new TestRepo(root);
        repo.git("init", "-q", "-b", "main");
        return repo;
    }

    /** An existing repository. */
    public static TestRepo open(Path root) {
        return new TestRepo(root);
    }

    public Path root() {
        return root;
    }

    public TestRepo write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return this;
    }

    public TestRepo executable(String path, String content) throws IOException {
        write(path, content);
        Files.setPosixFilePermissions(root.resolve(path), PosixFilePermissions.fromString("rwxr-xr-x"));
        return this;
    }

    public TestRepo symlink(String path, String target) throws IOException {
        Path link = root.resolve(path);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, Path.of(target));
        return this;
    }

    /**
     * Writes a file named {@code café.txt} in Latin-1 (byte 0xE9, not valid UTF-8) into {@code directory} ("" for
     * the root, else ending in '/'), through the shell: Java names files in UTF-8 here.
     */
    public TestRepo writeLatin1Name(String directory) throws IOException {
        try {
            Process touch = new ProcessBuilder("sh", "-c", "printf x > \"" + directory + "$(printf 'caf\\351.txt')\"")
                    .directory(root.toFile()).start();
            if (touch.waitFor() != 0) {
                throw new IOException("could not write a Latin-1 file name");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return this;
    }

    /** Adds {@code submodule} (a local repository) at {@code path}, staged, not committed. */
    public TestRepo addSubmodule(TestRepo submodule, String path) throws IOException {
        git("-c", "protocol.file.allow=always", "submodule", "add", "-q", submodule.root().toString(), path);
        return this;
    }

    /** A repository of one commit with a theme's stylesheet, to add as a submodule. */
    public static TestRepo theme(Path root) throws IOException {
        TestRepo theme = init(root);
        theme.write("theme.css", "body {}\n").commitAll("Theme");
        return theme;
    }

    /** Stages everything not ignored and commits; returns the new HEAD SHA. */
    public String commitAll(String message) throws IOException {
        git("add", "-A");
        git("commit", "-q", "-m", message);
        return git("rev-parse", "HEAD").strip();
    }

    /** Like {@link #commitAll}, authored and committed at {@code epochSeconds} (several commits can share a second). */
    public String commitAllAt(String message, long epochSeconds) throws IOException {
        git("add", "-A");
        String date = "@" + epochSeconds + " +0000";
        gitWith(java.util.Map.of("GIT_COMMITTER_DATE", date, "GIT_AUTHOR_DATE", date), "commit", "-q", "-m", message);
        return git("rev-parse", "HEAD").strip();
    }

    public String git(String... args) throws IOException {
        return gitWith(java.util.Map.of(), args);
    }

    private String gitWith(java.util.Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Test", "-c",
                "user.email=test@example.com", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("git " + String.join(" ", args) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return output;
    }
}
