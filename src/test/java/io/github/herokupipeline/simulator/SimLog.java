package io.github.herokupipeline.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A build's or release's output, written over time and read by streaming clients while it grows. */
final class SimLog {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean closed;

    synchronized void line(String text) {
        byte[] line = (text + "\n").getBytes(StandardCharsets.UTF_8);
        bytes.write(line, 0, line.length);
        notifyAll();
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    synchronized int size() {
        return bytes.size();
    }

    synchronized String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Bytes from {@code offset} on, waiting up to {@code waitMillis} for some to appear; an empty array when none
     * came (check {@link #isClosed()}).
     */
    synchronized byte[] readFrom(int offset, long waitMillis) throws InterruptedException {
        long until = System.currentTimeMillis() + waitMillis;
        while (bytes.size() <= offset && !closed) {
            long left = until - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        byte[] all = bytes.toByteArray();
        if (offset >= all.length) {
            return new byte[0];
        }
        byte[] rest = new byte[all.length - offset];
        System.arraycopy(all, offset, rest, 0, rest.length);
        return rest;
    }
}
