package io.github.herokupipeline.maven;

import io.github.herokupipeline.pipeline.common.Reporter;
import org.apache.maven.plugin.logging.Log;

/** Sends the workflows' lines to the Maven log. */
final class MavenLogReporter implements Reporter {

    private final Log log;

    MavenLogReporter(Log log) {
        this.log = log;
    }

    @Override
    public void info(String message) {
        log.info(message);
    }

    @Override
    public void warn(String message) {
        log.warn(message);
    }

    @Override
    public void debug(String message) {
        if (log.isDebugEnabled()) {
            log.debug(message);
        }
    }
}
