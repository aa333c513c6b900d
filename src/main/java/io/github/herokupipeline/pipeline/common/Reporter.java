package io.github.herokupipeline.pipeline.common;

/** Where the workflows write what they do; the Maven goals send it to the Maven log. */
public interface Reporter {

    void info(String message);

    void warn(String message);

    void debug(String message);
}
