package io.github.herokupipeline.heroku;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a request is tried again and how long the client waits: back-off with jitter, {@code Retry-After} held
 * between that back-off and the retry budget, and pacing while the account's rate limit runs low (read from each
 * reply's {@code RateLimit-Remaining}). All waits go through the configured sleeper and clock.
 */
final class Retries {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** Longer than any retry budget; keeps a huge {@code Retry-After} from overflowing time arithmetic. */
    private static final long MAX_RETRY_AFTER_SECONDS = 86_400;
    /** Heroku refills 75 tokens a minute; below the low mark we send no faster than that. */
    private static final Duration REFILL_INTERVAL = Duration.ofMillis(800);

    private final HerokuClientConfig config;
    private volatile int rateLimitRemaining = Integer.MAX_VALUE;

    Retries(HerokuClientConfig config) {
        this.config = config;
    }

    /** Remembers what a reply's {@code RateLimit-Remaining} header says; a header it cannot read changes nothing. */
    void noteRateLimit(String remaining) {
        if (remaining != null) {
            try {
                rateLimitRemaining = Integer.parseInt(remaining.strip());
            } catch (NumberFormatException e) {
                // a header we cannot read changes nothing
            }
        }
    }

    /** Waits before a request while the account's remaining requests are below the low mark. */
    void paceForRateLimit() throws IOException {
        if (rateLimitRemaining < config.lowRateLimitRemaining()) {
            pause(REFILL_INTERVAL);
        }
    }

    int rateLimitRemaining() {
        return rateLimitRemaining;
    }

    /** The wait before try {@code attempt + 1}: doubling from the initial back-off, capped, with 25% jitter. */
    Duration backoff(int attempt) {
        long base = config.initialBackoff().toMillis() << Math.min(attempt - 1, 16);
        long capped = Math.min(base, MAX_BACKOFF.toMillis());
        long jitter = (long) (capped * 0.25 * (ThreadLocalRandom.current().nextDouble() * 2 - 1));
        return Duration.ofMillis(Math.max(1, capped + jitter));
    }

    /** What a {@code Retry-After} header (seconds, or an HTTP date) asks for; empty when absent or unreadable. */
    Optional<Duration> retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(value.strip());
            return Optional.of(Duration.ofSeconds(Math.max(0, Math.min(seconds, MAX_RETRY_AFTER_SECONDS))));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(config.clock().instant(), at.toInstant());
                return Optional.of(wait.isNegative() ? Duration.ZERO
                        : wait.compareTo(Duration.ofSeconds(MAX_RETRY_AFTER_SECONDS)) > 0
                                ? Duration.ofSeconds(MAX_RETRY_AFTER_SECONDS) : wait);
            } catch (DateTimeException ignored) {
                return Optional.empty();
            }
        }
    }

    /**
     * How long to wait before the next try: what {@code Retry-After} asks, but never less than the normal backoff
     * (a {@code Retry-After: 0} would retry in a hot loop) and never past the retry budget (a huge one would wait
     * for ever, or overflow), so the last try still happens in time.
     */
    static Duration retryDelay(Optional<Duration> retryAfter, Duration backoff, Duration remaining) {
        Duration delay = retryAfter.filter(asked -> asked.compareTo(backoff) > 0).orElse(backoff);
        return delay.compareTo(remaining) > 0 ? remaining : delay;
    }

    /** The retry budget of a request started now. */
    Instant deadline() {
        return config.clock().instant().plus(config.maxRetryTime());
    }

    Duration remaining(Instant deadline) {
        return Duration.between(config.clock().instant(), deadline);
    }

    boolean fitsBefore(Instant deadline, Duration delay) {
        return delay.compareTo(remaining(deadline)) <= 0;
    }

    void pause(Duration delay) throws IOException {
        try {
            config.sleeper().sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
