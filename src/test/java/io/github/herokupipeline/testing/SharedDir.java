package io.github.herokupipeline.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The reference folder {@code ../shared} beside the project: present in CI, maybe absent elsewhere. */
public final class SharedDir {

    private SharedDir() {}

    /** A file under shared/, if shared/ is there. */
    public static Optional<Path> file(String relative) {
        String configured = System.getProperty("heroku.shared.dir", "../shared");
        Path file = Path.of(configured).resolve(relative);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }
}
