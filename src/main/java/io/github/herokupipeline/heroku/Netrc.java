package io.github.herokupipeline.heroku;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the password of one machine from a {@code .netrc} file, the way the Heroku CLI stores its token. */
public final class Netrc {

    /** The host whose entry holds the Heroku API token. */
    public static final String HEROKU_MACHINE = "api.heroku.com";

    private Netrc() {}

    /** The {@code password} of {@code machine} (or of {@code default}), if the file exists and has one. */
    public static Optional<String> password(Path netrc, String machine) throws IOException {
        if (netrc == null || !Files.isRegularFile(netrc)) {
            return Optional.empty();
        }
        String[] tokens = Files.readString(netrc, StandardCharsets.UTF_8).strip().split("\\s+");
        boolean inEntry = false;
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            if (token.equals("machine") && i + 1 < tokens.length) {
                inEntry = tokens[++i].equalsIgnoreCase(machine);
            } else if (token.equals("default")) {
                inEntry = true;
            } else if (token.equals("macdef")) {
                inEntry = false;
            } else if (inEntry && token.equals("password") && i + 1 < tokens.length) {
                return Optional.of(tokens[i + 1]);
            }
        }
        return Optional.empty();
    }
}
