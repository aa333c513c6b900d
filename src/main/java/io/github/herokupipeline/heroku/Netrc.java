package io.github.herokupipeline.heroku;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the password of one machine from a {@code .netrc} file, the way the Heroku CLI stores its token. The file is
 * read as keyword/value pairs, so a login or password whose value is {@code default}, {@code machine} or
 * {@code macdef} is a value, never a keyword; macro definitions are skipped whole. The {@code default} entry is
 * never used: it holds some other service's credentials, and the Heroku key must never go to the wrong place or
 * come from it.
 */
public final class Netrc {

    /** The host whose entry holds the Heroku API token. */
    public static final String HEROKU_MACHINE = "api.heroku.com";

    /** Keywords followed by one value. */
    private static final Set<String> WITH_VALUE = Set.of("machine", "login", "password", "account", "macdef");

    private Netrc() {}

    /** The {@code password} of {@code machine}'s entry, if the file exists and has one. */
    public static Optional<String> password(Path netrc, String machine) throws IOException {
        if (netrc == null || machine == null || !Files.isRegularFile(netrc)) {
            return Optional.empty();
        }
        Tokens tokens = new Tokens(Files.readString(netrc, StandardCharsets.UTF_8));
        boolean inEntry = false;
        for (String keyword = tokens.next(); keyword != null; keyword = tokens.next()) {
            if (keyword.equals("default")) {
                inEntry = false;
                continue;
            }
            if (!WITH_VALUE.contains(keyword)) {
                continue; // not a keyword we know: skip it, as other netrc readers do
            }
            String value = tokens.next();
            if (value == null) {
                break;
            }
            switch (keyword) {
                case "machine" -> inEntry = value.equalsIgnoreCase(machine);
                case "macdef" -> {
                    inEntry = false;
                    tokens.skipMacroBody();
                }
                case "password" -> {
                    if (inEntry) {
                        return Optional.of(value);
                    }
                }
                default -> {
                    // login, account: nothing the key needs
                }
            }
        }
        return Optional.empty();
    }

    /** Whitespace-separated tokens; a macro body runs to the next empty line. */
    private static final class Tokens {
        private final String text;
        private int position;

        Tokens(String text) {
            this.text = text;
        }

        String next() {
            while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
                position++;
            }
            if (position >= text.length()) {
                return null;
            }
            int start = position;
            while (position < text.length() && !Character.isWhitespace(text.charAt(position))) {
                position++;
            }
            return text.substring(start, position);
        }

        void skipMacroBody() {
            int lineEnd = text.indexOf('\n', position);
            if (lineEnd < 0) {
                position = text.length();
                return;
            }
            int cursor = lineEnd + 1;
            while (cursor < text.length()) {
                int end = text.indexOf('\n', cursor);
                String line = end < 0 ? text.substring(cursor) : text.substring(cursor, end);
                if (line.isBlank()) {
                    position = end < 0 ? text.length() : end + 1;
                    return;
                }
                cursor = end < 0 ? text.length() : end + 1;
            }
            position = text.length();
        }
    }
}
