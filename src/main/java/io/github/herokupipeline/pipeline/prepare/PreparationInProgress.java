package io.github.herokupipeline.pipeline.prepare;

import io.github.herokupipeline.pipeline.common.Background;
import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.common.PrepareRecord;
import io.github.herokupipeline.pipeline.common.Waiting;
import io.github.herokupipeline.source.Commit;
import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * The part of {@code prepare} that goes on after the goal returned, so the tests start at once: looking for a
 * build to reuse, the archive, its upload and the build's creation, and first the check that Heroku knows the app
 * and accepts the key. Whoever holds it owns it: it must be awaited (by promote, or before Maven exits) or cancelled.
 */
public final class PreparationInProgress {

    private final String app;
    private final Commit commit;
    /**
     * How long {@link #await()} gives the work: far beyond a healthy prepare (seconds), which its requests' own
     * timeouts and retry budgets bound already; what is left running then is cut off.
     */
    public static final Duration DEFAULT_LIMIT = Duration.ofMinutes(30);

    private final Background<PrepareRecord> work;
    private final Supplier<Exception> refusal;
    private final Runnable abort;
    private final Runnable leftovers;

    /**
     * @param refusal why Heroku refused the prepare, once it has (null before, and when it did not)
     * @param abort cuts the work's connections, so it fails at once
     * @param leftovers removes what the work's helpers left (run once the work has ended, however it ended)
     */
    PreparationInProgress(String app, Commit commit, Background<PrepareRecord> work, Supplier<Exception> refusal,
            Runnable abort, Runnable leftovers) {
        this.app = app;
        this.commit = commit;
        this.work = work;
        this.refusal = refusal;
        this.abort = abort;
        this.leftovers = leftovers;
    }

    public String app() {
        return app;
    }

    public Commit commit() {
        return commit;
    }

    public boolean isDone() {
        return work.isDone();
    }

    /**
     * Why the work ended without a build when that is for the user to fix: Heroku has no such app for the key, or
     * refused the key, or the app is on the container stack. A build with such a problem must fail, also one that
     * never runs promote; other failures (the network, an upload) only leave the build unprepared.
     */
    public Optional<Exception> refusal() {
        return Optional.ofNullable(refusal.get());
    }

    /** Waits until the build is created (or reused), at most {@link #DEFAULT_LIMIT}. */
    public PrepareRecord await() throws IOException, SourceException, DeployException {
        return await(DEFAULT_LIMIT);
    }

    /**
     * Waits until the build is created (or reused), rethrowing what stopped the work (a {@link #refusal()} as it was
     * thrown); after {@code limit} the work is stopped (its connections cut) and this fails.
     */
    public PrepareRecord await(Duration limit) throws IOException, SourceException, DeployException {
        if (!work.stopWithin(limit)) {
            abort.run();
            work.cancel();
            leftovers.run();
            throw new IOException("the prepare of " + commit.shortSha() + " on " + app + " did not finish within "
                    + Waiting.format(limit) + "; it was stopped");
        }
        try {
            return work.get();
        } catch (IOException e) {
            if (refusal.get() instanceof DeployException refused) {
                throw refused;
            }
            throw e;
        } catch (CancellationException e) {
            throw new IOException("the prepare of " + commit.shortSha() + " on " + app + " was cancelled", e);
        }
    }

    /** Stops the work (its build is not needed), and returns once it has ended and removed its partial files. */
    public void cancel() {
        work.cancel();
        leftovers.run();
    }
}
