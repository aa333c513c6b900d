package io.github.herokupipeline.pipeline.common;

import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * Work run on its own daemon thread while the caller does something else (the archive while Heroku is asked for
 * the app and its builds), handing back its value or its exception as the caller would have seen it.
 */
public final class Background<T> {

    /** The work: may throw what the workflows throw. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws IOException, SourceException;
    }

    private final Future<T> future;
    private final Thread thread;

    private Background(Future<T> future, Thread thread) {
        this.future = future;
        this.thread = thread;
    }

    public static <T> Background<T> start(String name, Work<T> work) {
        FutureTask<T> task = new FutureTask<>(work::run);
        Thread thread = new Thread(task, "heroku-pipeline " + name);
        thread.setDaemon(true);
        thread.start();
        return new Background<>(task, thread);
    }

    static <T> Background<T> done(T value) {
        return new Background<>(CompletableFuture.completedFuture(value), null);
    }

    /**
     * Waits for the value, rethrowing the work's own exception. A caller that has been interrupted (its own work
     * cancelled) gets no value, even one that is ready: its next step is not taken.
     */
    public T get() throws IOException, SourceException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted before using the result of background work");
        }
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

    public boolean isDone() {
        return future.isDone();
    }

    /** Interrupts the work and returns once its thread has ended. */
    public void cancel() {
        future.cancel(true);
        stop();
    }

    /**
     * Waits at most {@code limit} for the work's thread to end; true when it has. A bound on a thread, so real
     * time, like the sockets the work waits on.
     */
    public boolean stopWithin(Duration limit) {
        if (thread == null) {
            return true;
        }
        try {
            thread.join(Math.max(1, limit.toMillis()));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /**
     * Returns only once the work's thread has ended, whatever the outcome (read it with {@link #get()}); if the
     * caller is interrupted meanwhile, the work is interrupted too and still awaited, so nothing of it outlives
     * the caller.
     */
    public void stop() {
        if (thread == null) {
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
                future.cancel(true);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
