package io.github.herokupipeline.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.herokupipeline.testing.TestRepo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JGit measures a file system on its first look at it, writing probe files on a thread that outlives the goal. A
 * JVM whose JGit has measured nothing yet (a fresh CI runner) must not write them into the user's repository: a
 * child JVM with an empty home (no cached measurement) opens a repository and reports the probe files it sees.
 */
class FileSystemProbeTest {

    @TempDir
    Path temp;

    /** Run in the child JVM: opens the repository, then lists probe files under its .git for a second. */
    public static void main(String[] args) throws Exception {
        Path repository = Path.of(args[0]);
        try (GitSource git = GitSource.open(repository)) {
            git.resolve(null);
        }
        for (int look = 0; look < 10; look++) {
            try (Stream<Path> files = Files.walk(repository.resolve(".git"))) {
                files.filter(file -> file.getFileName().toString().startsWith(".probe"))
                        .forEach(file -> System.out.println("PROBE " + file));
            } catch (IOException e) {
                // a probe removed while walking
            }
            Thread.sleep(100);
        }
        System.out.println("DONE");
    }

    @Test
    void aFirstMeasurement_writesNothingIntoTheRepository() throws Exception {
        TestRepo repo = TestRepo.init(temp.resolve("app"));
        repo.write("README.md", "hello\n");
        repo.commitAll("First");
        Path home = Files.createDirectories(temp.resolve("home"));
        ProcessBuilder child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home, "-cp", System.getProperty("java.class.path"),
                FileSystemProbeTest.class.getName(), repo.root().toString()).redirectErrorStream(true);
        child.environment().remove("XDG_CONFIG_HOME");
        Process process = child.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> lines = new String(output, StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).contains("DONE").noneMatch(line -> line.startsWith("PROBE"));
    }
}
