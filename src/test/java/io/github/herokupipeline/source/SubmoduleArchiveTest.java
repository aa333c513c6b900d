package io.github.herokupipeline.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.herokupipeline.testing.TestRepo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Submodules ship as `git push heroku` ships them: at the pinned commit, recursively; LFS files as pointers. */
class SubmoduleArchiveTest {

    @TempDir
    Path temp;

    private TestRepo app;
    private String pinnedTheme;

    /** app -> vendor/theme (a submodule) -> icons (a nested submodule). */
    @BeforeEach
    void repositories() throws IOException {
        TestRepo icons = TestRepo.init(temp.resolve("icons"));
        icons.write("star.svg", "<svg/>").commitAll("Icons");
        TestRepo theme = TestRepo.init(temp.resolve("theme"));
        theme.write("theme.css", "body { color: black }").executable("build.sh", "#!/bin/sh\n").commitAll("Theme");
        pinnedTheme = theme.addSubmodule(icons, "icons").commitAll("Add the icons");
        app = TestRepo.init(temp.resolve("app"));
        app.write("pom.xml", "<project/>").commitAll("App");
        app.addSubmodule(theme, "vendor/theme");
        app.git("-c", "protocol.file.allow=always", "submodule", "update", "-q", "--init", "--recursive");
        app.commitAll("Add the theme");
    }

    private Map<String, String> archive(boolean includeSubmodules) throws Exception {
        try (GitSource source = GitSource.open(app.root())) {
            ArchiveSummary summary = SourceArchive.write(source, source.resolve(null), "",
                    temp.resolve("out.tar.gz"), includeSubmodules);
            return contents(summary.file());
        }
    }

    @Test
    void submodules_shipAtThePinnedCommit_recursively_whateverTheirWorkingTreeIs() throws Exception {
        Path themeTree = app.root().resolve("vendor/theme");
        TestRepo.open(themeTree).write("theme.css", "body { color: red }").commitAll("Unpinned change");

        Map<String, String> files = archive(true);

        assertThat(files).containsEntry("vendor/theme/theme.css", "body { color: black }")
                .containsEntry("vendor/theme/icons/star.svg", "<svg/>")
                .containsKeys("pom.xml", ".gitmodules", "vendor/theme/build.sh", "vendor/theme/.gitmodules");
        assertThat(TestRepo.open(themeTree).git("rev-parse", "HEAD").strip()).isNotEqualTo(pinnedTheme);
    }

    @Test
    void theArchive_withSubmodules_isReproducible() throws Exception {
        try (GitSource source = GitSource.open(app.root())) {
            String first = SourceArchive.write(source, source.resolve(null), "", temp.resolve("a.tar.gz")).sha256();
            String second = SourceArchive.write(source, source.resolve(null), "", temp.resolve("b.tar.gz")).sha256();
            assertThat(first).isEqualTo(second);
        }
    }

    @Test
    void includeSubmodulesFalse_shipsWithoutThem() throws Exception {
        assertThat(archive(false)).containsKeys("pom.xml", ".gitmodules")
                .noneSatisfy((name, content) -> assertThat(name).startsWith("vendor/"));
    }

    @Test
    void aSubmoduleThatIsNotCheckedOut_isRefusedWithTheFix() throws Exception {
        Path clone = temp.resolve("clone");
        TestRepo.open(temp).git("clone", "-q", app.root().toString(), clone.toString());
        try (GitSource source = GitSource.open(clone)) {
            Commit head = source.resolve(null);
            assertThatThrownBy(() -> source.checkFiles(head, "", true, 10)).isInstanceOf(SourceException.class)
                    .hasMessageContaining("The submodule vendor/theme is not checked out")
                    .hasMessageContaining("git submodule update --init --recursive")
                    .hasMessageContaining("submodules: recursive");
            assertThatThrownBy(() -> SourceArchive.write(source, head, "", temp.resolve("c.tar.gz")))
                    .isInstanceOf(SourceException.class);
            assertThat(temp.resolve("c.tar.gz")).doesNotExist();
        }
    }

    @Test
    void aNestedSubmoduleThatIsNotCheckedOut_isNamedByItsFullPath() throws Exception {
        Path clone = temp.resolve("clone");
        TestRepo.open(temp).git("clone", "-q", app.root().toString(), clone.toString());
        TestRepo.open(clone).git("-c", "protocol.file.allow=always", "submodule", "update", "-q", "--init");
        try (GitSource source = GitSource.open(clone)) {
            assertThatThrownBy(() -> source.checkFiles(source.resolve(null), "", true, 10))
                    .hasMessageContaining("The submodule vendor/theme/icons is not checked out");
        }
    }

    @Test
    void lfsFiles_shipAsPointers_andAreCounted() throws Exception {
        app.write("assets/logo.png", "version https://git-lfs.github.com/spec/v1\noid sha256:"
                + "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n")
                .commitAll("A logo in LFS");
        try (GitSource source = GitSource.open(app.root())) {
            ArchiveSummary summary = SourceArchive.write(source, source.resolve(null), "", temp.resolve("l.tar.gz"));
            assertThat(summary.lfsPointers()).isEqualTo(1);
            assertThat(contents(summary.file()).get("assets/logo.png")).startsWith("version https://git-lfs");
        }
    }

    private static Map<String, String> contents(Path archive) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive));
                TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name())) {
            while (tar.getNextEntry() != null) {
                files.put(tar.getCurrentEntry().getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }
}
