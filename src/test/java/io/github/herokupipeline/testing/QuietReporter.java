package io.github.herokupipeline.testing;

import io.github.herokupipeline.pipeline.common.Reporter;

/** A reporter that drops every line, for the benchmark's timed runs. */
public final class QuietReporter implements Reporter {

    @Override
    public void info(String message) {}

    @Override
    public void warn(String message) {}

    @Override
    public void debug(String message) {}
}
