package io.github.herokupipeline.testing;

import io.github.herokupipeline.pipeline.common.Reporter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every reported line, prefixed by its level, for assertions. */
public final class RecordingReporter implements Reporter {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void info(String message) {
        lines.add("INFO " + message);
    }

    @Override
    public void warn(String message) {
        lines.add("WARN " + message);
    }

    @Override
    public void debug(String message) {
        lines.add("DEBUG " + message);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public String text() {
        return String.join("\n", lines);
    }

    /** What a build log shows without {@code -X}: the lines above debug. */
    public String infoText() {
        return String.join("\n", lines.stream().filter(line -> !line.startsWith("DEBUG ")).toList());
    }
}
