package io.github.herokupipeline.pipeline;

import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * Work run on its own daemon thread while the caller does something else (the archive while Heroku is asked for
 * the app and its builds), handing back its value or its exception as the caller would have seen it.
 */
final class Background<T> {

    /** The work: may throw what the workflows throw. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws IOException, SourceException;
    }

    private final Future<T> future;

    private Background(Future<T> future) {
        this.future = future;
    }

    static <T> Background<T> start(String name, Work<T> work) {
        FutureTask<T> task = new FutureTask<>(work::run);
        Thread thread = new Thread(task, "heroku-pipeline " + name);
        thread.setDaemon(true);
        thread.start();
        return new Background<>(task);
    }

    static <T> Background<T> done(T value) {
        return new Background<>(CompletableFuture.completedFuture(value));
    }

    /** Waits for the value, rethrowing the work's own exception. */
    T get() throws IOException, SourceException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for background work");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof SourceException source) {
                throw source;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Waits for the work to end, ignoring its outcome (used when the caller fails first). */
    void finish() {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // the outcome is read with get() by whoever still needs it
        }
    }

    /** Stops waiting for work whose result is no longer wanted. */
    void abandon() {
        future.cancel(true);
    }
}
