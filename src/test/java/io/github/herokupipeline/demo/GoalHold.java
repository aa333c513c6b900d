package io.github.herokupipeline.demo;

import java.util.function.BiConsumer;

/**
 * Reads a Maven log as it comes ({@link NestedMaven}'s lines with their millis since Maven started): when a goal of
 * the plugin first started, and how long it held Maven up, from its first log line to the next goal's; null until
 * the goal ran.
 */
final class GoalHold implements BiConsumer<Long, String> {
    private final String goal;
    private long started = -1;
    private Double firstStartSeconds;
    private Double seconds;

    GoalHold(String goal) {
        this.goal = ":" + goal + " ";
    }

    @Override
    public void accept(Long millis, String line) {
        if (line.contains("--- heroku-pipeline:") && line.contains(goal)) {
            started = millis;
            if (firstStartSeconds == null) {
                firstStartSeconds = millis / 1000.0;
            }
        } else if (started >= 0 && line.startsWith("[INFO] ---")) {
            seconds = (millis - started) / 1000.0;
            started = -1;
        }
    }

    /** How long the goal held Maven up, or null. */
    Double seconds() {
        return seconds;
    }

    /** When the goal first started, in seconds since Maven started, or null. */
    Double firstStartSeconds() {
        return firstStartSeconds;
    }
}
