package io.github.herokupipeline.pipeline.common;

import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.model.Build;
import io.github.herokupipeline.heroku.model.Release;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Waits for a build or a release phase to finish, streaming its output into the log. The stream's end is the
 * signal to look at the status (then quickly, since Heroku's status may lag the stream by a moment); while the
 * stream runs, the status is checked only every {@link #SLOW_POLL}, so a long build costs few API requests. A
 * heartbeat line appears when the output has been quiet for {@link Waiting#heartbeat()}.
 */
public final class Watcher {

    static final Duration SLOW_POLL = Duration.ofSeconds(10);
    private static final Duration TICK = Duration.ofMillis(20);
    private static final Duration FIRST_FAST_POLL = Duration.ofMillis(25);
    private static final Duration MAX_FAST_POLL = Duration.ofSeconds(2);

    private final HerokuClient heroku;
    private final Reporter reporter;
    private final Waiting waiting;

    public Watcher(HerokuClient heroku, Reporter reporter, Waiting waiting) {
        this.heroku = heroku;
        this.reporter = reporter;
        this.waiting = waiting;
    }

    /** A finished build or release and the last lines of its output. */
    public record Outcome<T>(T value, List<String> logTail) {}

    @FunctionalInterface
    private interface Poll<T> {
        T call() throws IOException;
    }

    public Outcome<Build> awaitBuild(String app, Build build, Duration timeout) throws IOException, DeployException {
        if (!build.isPending()) {
            return new Outcome<>(build, readTail(build.outputStreamUrl(), app));
        }
        Instant deadline = waiting.now().plus(timeout);
        OutputFollower follower = OutputFollower.start(heroku, build.outputStreamUrl(), "[" + app + "] ", reporter,
                deadline, waiting);
        Build done = await("build " + shortId(build.id()) + " on " + app, () -> heroku.getBuild(app, build.id()),
                Build::isPending, follower, deadline, timeout,
                "raise <buildTimeout> (-Dheroku.buildTimeout) or look at the build with `heroku builds:info "
                        + build.id() + " -a " + app + "`");
        return new Outcome<>(done, follower.tail());
    }

    public Outcome<Release> awaitRelease(String app, String releaseId, Duration timeout) throws IOException,
            DeployException {
        Release release = heroku.getRelease(app, releaseId);
        if (!release.isPending()) {
            return new Outcome<>(release, List.of());
        }
        Instant deadline = waiting.now().plus(timeout);
        OutputFollower follower = OutputFollower.start(heroku, release.outputStreamUrl(), "[" + app + " release] ",
                reporter, deadline, waiting);
        Release done = await("release v" + release.version() + " of " + app, () -> heroku.getRelease(app,
                releaseId), Release::isPending, follower, deadline, timeout,
                "raise <promotionTimeout> (-Dheroku.promotionTimeout) or look at `heroku releases:output v"
                        + release.version() + " -a " + app + "`");
        return new Outcome<>(done, follower.tail());
    }

    private <T> T await(String what, Poll<T> poll, java.util.function.Predicate<T> pending, OutputFollower follower,
            Instant deadline, Duration timeout, String advice) throws IOException, DeployException {
        Instant started = waiting.now();
        Instant nextPoll = started.plus(SLOW_POLL);
        Instant lastHeartbeat = started;
        Duration fastPoll = FIRST_FAST_POLL;
        boolean streamEndSeen = false;
        while (true) {
            Instant now = waiting.now();
            if (follower.ended() && !streamEndSeen) {
                streamEndSeen = true;
                nextPoll = now;
            }
            if (!now.isBefore(nextPoll)) {
                T value = poll.call();
                if (!pending.test(value)) {
                    follower.finish(2000);
                    return value;
                }
                if (streamEndSeen) {
                    nextPoll = now.plus(fastPoll);
                    fastPoll = fastPoll.multipliedBy(2).compareTo(MAX_FAST_POLL) > 0 ? MAX_FAST_POLL
                            : fastPoll.multipliedBy(2);
                } else {
                    nextPoll = now.plus(SLOW_POLL);
                }
            }
            if (!now.isBefore(deadline)) {
                follower.finish(0);
                throw new DeployException(what + " is still pending after " + Waiting.format(timeout) + "; "
                        + advice);
            }
            Instant lastActivity = follower.lastLineAt().isAfter(lastHeartbeat) ? follower.lastLineAt()
                    : lastHeartbeat;
            if (Duration.between(lastActivity, now).compareTo(waiting.heartbeat()) >= 0) {
                reporter.info("... still waiting for " + what + " (" + Waiting.format(Duration.between(started, now))
                        + " so far)");
                lastHeartbeat = now;
            }
            waiting.sleep(TICK);
        }
    }

    /** The last lines of a finished output stream (for a failed build found already finished). */
    public List<String> readTail(String url, String app) {
        if (url == null) {
            return List.of();
        }
        LogTail tail = new LogTail();
        try {
            heroku.streamOutput(url, tail, waiting.now().plusSeconds(30));
        } catch (IOException e) {
            reporter.debug("Could not read the output of a build on " + app + ": " + e.getMessage());
        }
        return tail.lines();
    }

    public static String shortId(String id) {
        return id == null ? "?" : id.substring(0, Math.min(8, id.length()));
    }
}
