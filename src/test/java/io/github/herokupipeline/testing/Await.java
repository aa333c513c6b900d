package io.github.herokupipeline.testing;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits in tests for the simulator's asynchronous work, with a bound. */
public final class Await {

    private Await() {}

    public static <T> T until(Callable<T> value, java.util.function.Predicate<T> done, Duration timeout)
            throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        T last = value.call();
        while (!done.test(last)) {
            if (System.nanoTime() > until) {
                throw new AssertionError("still not done after " + timeout + ": " + last);
            }
            Thread.sleep(20);
            last = value.call();
        }
        return last;
    }
}
