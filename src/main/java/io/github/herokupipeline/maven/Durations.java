package io.github.herokupipeline.maven;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations as users write them in a POM: {@code 90s}, {@code 20m}, {@code 1h}, {@code 300} (seconds), {@code PT5M}. */
final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private Durations() {}

    static Duration parse(String value, String parameter) {
        String text = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        Matcher matcher = SIMPLE.matcher(text);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            String unit = matcher.group(2) == null ? "s" : matcher.group(2);
            Duration duration = switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
            return positive(duration, value, parameter);
        }
        try {
            return positive(Duration.parse(value.strip().toUpperCase(Locale.ROOT)), value, parameter);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(invalid(value, parameter));
        }
    }

    private static Duration positive(Duration duration, String value, String parameter) {
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(invalid(value, parameter));
        }
        return duration;
    }

    private static String invalid(String value, String parameter) {
        return "'" + value + "' is not a duration for " + parameter + "; write e.g. 90s, 20m or 1h";
    }
}
