package io.github.herokupipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Only the maven package may depend on Maven; heroku, source and pipeline stay plain Java. */
class ArchitectureTest {

    @Test
    void onlyTheMavenPackageImportsMaven() throws IOException {
        Path main = Path.of("src/main/java/io/github/herokupipeline");
        List<String> offenders;
        try (Stream<Path> files = Files.walk(main)) {
            offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !main.relativize(f).startsWith("maven"))
                    .filter(f -> {
                        try {
                            return Files.readString(f).contains("import org.apache.maven");
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .map(Path::toString).toList();
        }
        assertThat(offenders).isEmpty();
    }
}
