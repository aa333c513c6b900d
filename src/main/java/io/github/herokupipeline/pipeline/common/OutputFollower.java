package io.github.herokupipeline.pipeline.common;

import io.github.herokupipeline.heroku.HerokuClient;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Streams an {@code output_stream_url} into the log on a background thread, with a prefix per line, while the
 * caller polls the build or release status. Remembers the last lines for failure messages.
 */
final class OutputFollower {

    private final LogTail tail = new LogTail();
    private volatile boolean ended;
    private volatile boolean stopped;
    private volatile Instant lastLineAt;
    private volatile IOException failure;
    private final Thread thread;

    private OutputFollower(HerokuClient heroku, String url, String prefix, Reporter reporter, Instant giveUpAt,
            Waiting waiting) {
        this.lastLineAt = waiting.now();
        this.thread = new Thread(() -> {
            try {
                if (url != null) {
                    heroku.streamOutput(url, line -> {
                        if (!stopped) {
                            lastLineAt = waiting.now();
                            tail.accept(line);
                            reporter.info(prefix + line);
                        }
                    }, giveUpAt);
                }
            } catch (IOException e) {
                failure = e;
            } finally {
                ended = true;
            }
        }, "heroku-output " + prefix.strip());
        thread.setDaemon(true);
    }

    static OutputFollower start(HerokuClient heroku, String url, String prefix, Reporter reporter, Instant giveUpAt,
            Waiting waiting) {
        OutputFollower follower = new OutputFollower(heroku, url, prefix, reporter, giveUpAt, waiting);
        follower.thread.start();
        return follower;
    }

    boolean ended() {
        return ended;
    }

    Instant lastLineAt() {
        return lastLineAt;
    }

    IOException failure() {
        return failure;
    }

    /** Waits briefly for the stream to deliver its last lines, then stops printing. */
    void finish(long graceMillis) {
        try {
            thread.join(graceMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopped = true;
    }

    List<String> tail() {
        return tail.lines();
    }
}
