package io.github.herokupipeline.pipeline.common;

import io.github.herokupipeline.heroku.Sleeper;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The clock and sleeper every wait goes through, so tests control time. */
public record Waiting(Clock clock, Sleeper sleeper, Duration heartbeat) {

    public static Waiting system() {
        return new Waiting(Clock.systemUTC(), Sleeper.system(), Duration.ofSeconds(30));
    }

    public Instant now() {
        return clock.instant();
    }

    public void sleep(Duration duration) throws InterruptedIOException {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for Heroku");
        }
    }

    public static String format(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return String.format("%.1fs", duration.toMillis() / 1000.0);
        }
        return seconds / 60 + "m" + String.format("%02d", seconds % 60) + "s";
    }
}
