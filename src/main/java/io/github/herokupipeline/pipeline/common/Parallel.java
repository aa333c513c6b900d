package io.github.herokupipeline.pipeline.common;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Lookups that do not depend on each other, run side by side: the wait is one round trip instead of one per
 * lookup. Every thread has ended before a method here returns, on every path.
 */
public final class Parallel {

    /** At most this many requests at once: well within Heroku's rate limit, enough for a pipeline's apps. */
    private static final int THREADS = 16;

    private Parallel() {}

    /** A lookup of one item that may fail like the client or a workflow does. */
    @FunctionalInterface
    public interface Lookup<T, R> {
        R apply(T item) throws IOException, DeployException;
    }

    /** One lookup. */
    @FunctionalInterface
    public interface Call<R> {
        R call() throws IOException, DeployException;
    }

    /** {@code lookup} of every item, in the items' order; the first failure (in that order) is rethrown. */
    public static <T, R> List<R> map(List<T> items, Lookup<T, R> lookup) throws IOException, DeployException {
        List<Call<R>> calls = new ArrayList<>();
        for (T item : items) {
            calls.add(() -> lookup.apply(item));
        }
        return all(calls);
    }

    /** Every call's result, in the calls' order; the first failure (in that order) is rethrown once all ended. */
    public static <R> List<R> all(List<? extends Call<? extends R>> calls) throws IOException, DeployException {
        if (calls.size() <= 1) {
            List<R> results = new ArrayList<>();
            for (Call<? extends R> call : calls) {
                results.add(call.call());
            }
            return results;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, calls.size()), runnable -> {
            Thread thread = new Thread(runnable, "heroku-pipeline lookup");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<? extends R>> futures = new ArrayList<>();
            for (Call<? extends R> call : calls) {
                futures.add(pool.submit(call::call));
            }
            List<R> results = new ArrayList<>();
            Throwable failure = null;
            for (Future<? extends R> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    results.add(null);
                    failure = failure == null ? e.getCause() : failure;
                }
            }
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure instanceof DeployException deploy) {
                throw deploy;
            }
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while looking things up on Heroku");
        } finally {
            pool.shutdownNow();
            awaitTermination(pool);
        }
    }

    private static void awaitTermination(ExecutorService pool) {
        boolean interrupted = false;
        while (!pool.isTerminated()) {
            try {
                pool.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
