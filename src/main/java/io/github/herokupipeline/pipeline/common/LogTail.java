package io.github.herokupipeline.pipeline.common;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/** The last lines of a build's or release's output, kept for failure messages. Safe to feed from another thread. */
final class LogTail implements Consumer<String> {

    static final int LINES = 30;

    private final Deque<String> lines = new ArrayDeque<>();

    @Override
    public synchronized void accept(String line) {
        lines.addLast(line);
        if (lines.size() > LINES) {
            lines.removeFirst();
        }
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
