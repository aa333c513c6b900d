package io.github.herokupipeline.heroku;

import com.google.api.client.http.HttpContent;
import java.io.IOException;
import java.time.Duration;

/**
 * A write timeout for request bodies, which {@code HttpURLConnection} lacks: when nothing could be written for
 * the read timeout (an object store that accepts the connection and never reads), the connection is cut, so the
 * write fails like any I/O error. It measures the socket, which lives in real time, not the injectable clock.
 */
final class UploadWatch {

    /** One request in flight: its connection, and whether its body stopped moving. */
    static final class Exchange {
        volatile java.net.HttpURLConnection connection;
        volatile boolean stalled;
    }

    private final long limitNanos;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean writing;
    private volatile boolean done;
    private final Thread thread;

    UploadWatch(Exchange exchange, Duration limit) {
        this.limitNanos = limit.toNanos();
        long step = Math.max(10, Math.min(1000, limit.toMillis() / 4));
        this.thread = new Thread(() -> {
            while (!done) {
                try {
                    Thread.sleep(step);
                } catch (InterruptedException e) {
                    return;
                }
                if (!done && writing && System.nanoTime() - lastProgress > limitNanos) {
                    exchange.stalled = true;
                    java.net.HttpURLConnection connection = exchange.connection;
                    if (connection != null) {
                        connection.disconnect();
                    }
                    return;
                }
            }
        }, "heroku-pipeline upload watch");
        thread.setDaemon(true);
        thread.start();
    }

    HttpContent watching(HttpContent content) {
        return new HttpContent() {
            @Override
            public long getLength() throws IOException {
                return content.getLength();
            }

            @Override
            public String getType() {
                return content.getType();
            }

            @Override
            public boolean retrySupported() {
                return content.retrySupported();
            }

            @Override
            public void writeTo(java.io.OutputStream out) throws IOException {
                lastProgress = System.nanoTime();
                writing = true;
                try {
                    content.writeTo(new java.io.FilterOutputStream(out) {
                        @Override
                        public void write(byte[] bytes, int offset, int length) throws IOException {
                            for (int written = 0; written < length; ) {
                                int chunk = Math.min(64 * 1024, length - written);
                                out.write(bytes, offset + written, chunk);
                                written += chunk;
                                lastProgress = System.nanoTime();
                            }
                        }
                    });
                } finally {
                    writing = false;
                }
            }
        };
    }

    void stop() {
        done = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
