package io.github.herokupipeline.pipeline.common;

/**
 * The deploy cannot go on or did not succeed, for a reason the user can act on: an app outside the pipeline, a
 * failed build or promotion, a timeout. The message says what happened and what to do.
 */
public final class DeployException extends Exception {

    public DeployException(String message) {
        super(message);
    }

    public DeployException(String message, Throwable cause) {
        super(message, cause);
    }
}
