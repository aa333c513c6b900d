package io.github.herokupipeline.pipeline;

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
 * lookup. Every thread has ended before {@link #map} returns, on every path.
 */
final class Parallel {

    /** At most this many requests at once: well within Heroku's rate limit, enough for a pipeline's apps. */
    private static final int THREADS = 8;

    private Parallel() {}

    /** A lookup that may fail like the client does. */
    @FunctionalInterface
    interface Lookup<T, R> {
        R apply(T item) throws IOException;
    }

    /** {@code lookup} of every item, in the items' order; the first failure is rethrown once all have ended. */
    static <T, R> List<R> map(List<T> items, Lookup<T, R> lookup) throws IOException {
        if (items.size() <= 1) {
            List<R> results = new ArrayList<>();
            for (T item : items) {
                results.add(lookup.apply(item));
            }
            return results;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, items.size()), runnable -> {
            Thread thread = new Thread(runnable, "heroku-pipeline lookup");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> lookup.apply(item)));
            }
            List<R> results = new ArrayList<>();
            IOException failure = null;
            for (Future<R> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    results.add(null);
                    if (failure == null) {
                        failure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                    }
                }
            }
            if (failure != null) {
                throw failure;
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
