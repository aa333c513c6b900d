package io.github.herokupipeline.source;

/** The project's source cannot be shipped as it is: not a git repository, no commit, uncommitted changes. */
public final class SourceException extends Exception {

    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
