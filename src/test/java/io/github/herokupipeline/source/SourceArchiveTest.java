package io.github.herokupipeline.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.herokupipeline.testing.TestRepo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceArchiveTest {

    @TempDir
    Path temp;

    private TestRepo sampleRepo() throws IOException {
        TestRepo repo = TestRepo.init(temp.resolve("repo"));
        repo.write("pom.xml", "<project/>")
                .write("src/main/java/App.java", "class App {}")
                .executable("bin/start.sh", "#!/bin/sh\necho hi\n")
                .symlink("current", "bin/start.sh")
                .write(".gitignore", "target/\n.env\n")
                .write(".gitattributes", "docs/ export-ignore\nsecret-notes.txt export-ignore\n")
                .write("docs/design.md", "internal")
                .write("secret-notes.txt", "internal")
                .write("Procfile", "web: java -jar target/app.jar\n");
        repo.commitAll("Initial commit");
        repo.write(".env", "DATABASE_URL=postgres://secret")
                .write("target/app.jar", "built")
                .write("untracked.txt", "not added");
        return repo;
    }

    @Test
    void archive_holdsExactlyTheTrackedFilesOfTheCommit_likeGitLsTree() throws Exception {
        TestRepo repo = sampleRepo();
        Map<String, String> lsTree = new TreeMap<>();
        for (String line : repo.git("ls-tree", "-r", "HEAD").strip().split("\n")) {
            String[] parts = line.split("\\s+", 4);
            lsTree.put(parts[3], parts[0]);
        }
        lsTree.remove("docs/design.md");
        lsTree.remove("secret-notes.txt");

        ArchiveSummary summary;
        try (GitSource source = GitSource.open(repo.root())) {
            summary = SourceArchive.write(source, source.resolve(null), "", temp.resolve("out/source.tar.gz"));
        }

        Map<String, TarArchiveEntry> entries = read(summary.file());
        Map<String, String> modes = new TreeMap<>();
        entries.forEach((name, entry) -> modes.put(name, entry.isSymbolicLink() ? "120000"
                : (entry.getMode() & 0100) != 0 ? "100755" : "100644"));
        assertThat(modes).isEqualTo(lsTree);
        assertThat(entries.get("current").getLinkName()).isEqualTo("bin/start.sh");
        assertThat(entries).doesNotContainKeys(".env", "target/app.jar", "untracked.txt", ".git");
        assertThat(summary.files()).isEqualTo(lsTree.size());
        assertThat(summary.bytes()).isEqualTo(Files.size(summary.file()));
        assertThat(summary.checksum()).isEqualTo("SHA256:" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(summary.file()))));
        if (summary.file().getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(summary.file()))).as("owner-only").isEqualTo("rw-------");
        }
    }

    @Test
    void archive_ofTheSameCommit_isByteForByteReproducible() throws Exception {
        TestRepo repo = sampleRepo();
        try (GitSource source = GitSource.open(repo.root())) {
            Commit head = source.resolve(null);
            String first = SourceArchive.write(source, head, "", temp.resolve("a.tar.gz")).sha256();
            String second = SourceArchive.write(source, head, "", temp.resolve("b.tar.gz")).sha256();
            assertThat(first).isEqualTo(second);
        }
    }

    @Test
    void largeFilesDeflateCannotShrink_streamFromGitWhenWritten_andTheArchiveStaysExact() throws Exception {
        TestRepo repo = TestRepo.init(temp.resolve("large"));
        Map<String, byte[]> files = new TreeMap<>();
        files.put("assets/photo.bin", random(3 * 1024 * 1024 + 77, 1));
        files.put("assets/exactly-the-threshold.bin", random((int) SourceArchive.DEFERRED_MIN, 2));
        files.put("assets/" + "a-name-longer-than-a-tar-header-holds-".repeat(4) + ".jar", random(1_500_000, 3));
        files.put("data/large.csv", "id,name,amount\n".repeat(150_000).getBytes(StandardCharsets.UTF_8));
        files.put("assets/small.bin", random(900_000, 4));
        files.put("src/App.java", "class App {}".getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path path = repo.root().resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.write(path, file.getValue());
        }
        repo.commitAll("large files");

        try (GitSource source = GitSource.open(repo.root());
                SourceArchive archive = SourceArchive.of(source, source.resolve(null), "", temp.resolve("spool"),
                        true)) {
            long incompressibleLarge = 3 * 1024 * 1024 + 77 + SourceArchive.DEFERRED_MIN + 1_500_000;
            assertThat(archive.streamedBytes()).as("read from git only while streaming")
                    .isBetween(incompressibleLarge, incompressibleLarge + 3 * 512);
            assertThat(Files.size(temp.resolve("spool"))).as("the spool holds only what deflate shrinks")
                    .isLessThan(1_000_000);
            String dryRun = archive.sha256();
            java.io.ByteArrayOutputStream streamed = new java.io.ByteArrayOutputStream();
            archive.writeTo(streamed);
            assertThat((long) streamed.size()).isEqualTo(archive.bytes());
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(streamed.toByteArray())))
                    .isEqualTo(dryRun).isEqualTo(archive.sha256());
            Path file = temp.resolve("large.tar.gz");
            Files.write(file, streamed.toByteArray());
            assertThat(contents(file)).containsOnlyKeys(files.keySet());
            contents(file).forEach((name, content) -> assertThat(content).as(name).isEqualTo(files.get(name)));
            assertThat(SourceArchive.write(source, source.resolve(null), "", temp.resolve("again.tar.gz")).sha256())
                    .as("reproducible").isEqualTo(dryRun);
        }
        assertThat(temp.resolve("spool")).as("closing removes the spool").doesNotExist();
    }

    @Test
    void aClosedArchive_keepsItsFacts_butCannotBeWrittenAgain() throws Exception {
        TestRepo repo = sampleRepo();
        SourceArchive archive;
        String sha256;
        try (GitSource source = GitSource.open(repo.root())) {
            archive = SourceArchive.of(source, source.resolve(null), "", temp.resolve("spool"), true);
            sha256 = archive.sha256();
        }
        archive.writeTo(java.io.OutputStream.nullOutputStream()); // the archive holds its own repository open
        archive.close();
        assertThat(archive.sha256()).isEqualTo(sha256);
        assertThat(archive.files()).isPositive();
        assertThatThrownBy(() -> archive.writeTo(java.io.OutputStream.nullOutputStream()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(temp.resolve("spool")).doesNotExist();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new java.util.Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static Map<String, byte[]> contents(Path archive) throws IOException {
        Map<String, byte[]> contents = new TreeMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive));
                TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name())) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                contents.put(entry.getName(), tar.readAllBytes());
            }
        }
        return contents;
    }

    @Test
    void archive_ofASubdirectory_isRootedThere() throws Exception {
        TestRepo repo = TestRepo.init(temp.resolve("mono"));
        repo.write("README.md", "root").write("apps/web/pom.xml", "<project/>").write("apps/web/src/A.java", "a")
                .write("apps/other/pom.xml", "<project/>");
        repo.commitAll("monorepo");
        try (GitSource source = GitSource.open(repo.root().resolve("apps/web"))) {
            ArchiveSummary summary = SourceArchive.write(source, source.resolve(null), "apps/web",
                    temp.resolve("web.tar.gz"));
            assertThat(read(summary.file())).containsOnlyKeys("pom.xml", "src/A.java");
        }
    }

    @Test
    void resolve_givesFullShaAndSubject() throws Exception {
        TestRepo repo = sampleRepo();
        String sha = repo.git("rev-parse", "HEAD").strip();
        try (GitSource source = GitSource.open(repo.root().resolve("src/main"))) {
            Commit head = source.resolve(null);
            assertThat(head.sha()).isEqualTo(sha).hasSize(40);
            assertThat(head.subject()).isEqualTo("Initial commit");
            assertThat(source.resolve(sha.substring(0, 10)).sha()).isEqualTo(sha);
        }
    }

    @Test
    void changedTrackedFiles_listsModifiedAndDeleted_butNotUntracked() throws Exception {
        TestRepo repo = sampleRepo();
        try (GitSource source = GitSource.open(repo.root())) {
            assertThat(source.changedTrackedFiles("")).isEmpty();
            repo.write("pom.xml", "<project>changed</project>");
            Files.delete(repo.root().resolve("Procfile"));
            assertThat(source.changedTrackedFiles("")).containsExactly("Procfile", "pom.xml");
            assertThat(source.changedTrackedFiles("src")).isEmpty();
        }
    }

    @Test
    void notAGitRepository_saysWhatToDo() throws IOException {
        Path plain = Files.createDirectories(temp.resolve("plain"));
        assertThatThrownBy(() -> GitSource.open(plain)).isInstanceOf(SourceException.class)
                .hasMessageContaining("not inside a git repository").hasMessageContaining("git commit");
    }

    @Test
    void repositoryWithoutCommits_saysSo() throws Exception {
        TestRepo repo = TestRepo.init(temp.resolve("empty"));
        try (GitSource source = GitSource.open(repo.root())) {
            assertThatThrownBy(() -> source.resolve(null)).isInstanceOf(SourceException.class)
                    .hasMessageContaining("no commit yet");
            assertThatThrownBy(() -> source.resolve("deadbeef")).isInstanceOf(SourceException.class)
                    .hasMessageContaining("-Dheroku.commit");
        }
    }

    static Map<String, TarArchiveEntry> read(Path archive) throws IOException {
        Map<String, TarArchiveEntry> entries = new TreeMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive));
                TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name())) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                entries.put(entry.getName(), entry);
            }
        }
        return entries;
    }
}
