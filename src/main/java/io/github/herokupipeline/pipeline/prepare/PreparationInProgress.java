package io.github.herokupipeline.pipeline.prepare;

import io.github.herokupipeline.pipeline.common.Background;
import io.github.herokupipeline.pipeline.common.PrepareRecord;
import io.github.herokupipeline.source.Commit;
import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import java.util.concurrent.CancellationException;

/**
 * The part of {@code prepare} that goes on after the goal returned, so the tests start at once: looking for a
 * build to reuse, the archive, its upload and the build's creation. Whoever holds it owns it: it must be awaited
 * (by promote, or before Maven exits) or cancelled.
 */
public final class PreparationInProgress {

    private final String app;
    private final Commit commit;
    private final Background<PrepareRecord> work;

    PreparationInProgress(String app, Commit commit, Background<PrepareRecord> work) {
        this.app = app;
        this.commit = commit;
        this.work = work;
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

    /** Waits until the build is created (or reused), rethrowing what stopped the work. */
    public PrepareRecord await() throws IOException, SourceException {
        work.stop();
        try {
            return work.get();
        } catch (CancellationException e) {
            throw new IOException("the prepare of " + commit.shortSha() + " on " + app + " was cancelled", e);
        }
    }

    /** Stops the work (its build is not needed), and returns once it has ended and removed its partial files. */
    public void cancel() {
        work.cancel();
    }
}
