package io.github.herokupipeline.heroku;

import java.io.IOException;

/**
 * Heroku answered a request with an error. The message says which request failed, Heroku's own message and the
 * {@code Request-Id} to quote to Heroku support. Subclasses name the errors a caller handles differently.
 */
public class HerokuApiException extends IOException {

    private final String action;
    private final int statusCode;
    private final String errorId;
    private final String herokuMessage;
    private final String requestId;

    public HerokuApiException(String action, int statusCode, String errorId, String herokuMessage, String requestId) {
        super(describe(action, statusCode, errorId, herokuMessage, requestId));
        this.action = action;
        this.statusCode = statusCode;
        this.errorId = errorId;
        this.herokuMessage = herokuMessage;
        this.requestId = requestId;
    }

    private static String describe(String action, int status, String errorId, String message, String requestId) {
        StringBuilder text = new StringBuilder("Heroku refused to ").append(action).append(": HTTP ").append(status);
        if (errorId != null) {
            text.append(" ").append(errorId);
        }
        if (message != null && !message.isBlank()) {
            text.append(": ").append(message.strip());
        }
        if (requestId != null) {
            text.append(" (Request-Id ").append(requestId).append(")");
        }
        return text.toString();
    }

    /** What the request was for, e.g. {@code "get app 'foo-prepare'"}. */
    public String action() {
        return action;
    }

    public int statusCode() {
        return statusCode;
    }

    /** Heroku's machine-readable error id, e.g. {@code not_found}; null when the body was not Heroku's JSON. */
    public String errorId() {
        return errorId;
    }

    /** Heroku's human-readable message, or the start of a non-JSON body. */
    public String herokuMessage() {
        return herokuMessage;
    }

    public String requestId() {
        return requestId;
    }

    /** 401: the API key is missing, wrong or expired. */
    public static final class Unauthorized extends HerokuApiException {
        public Unauthorized(String action, int status, String id, String message, String requestId) {
            super(action, status, id, message, requestId);
        }
    }

    /** 403: the key is valid but lacks access, or the account or app is suspended. */
    public static class Forbidden extends HerokuApiException {
        public Forbidden(String action, int status, String id, String message, String requestId) {
            super(action, status, id, message, requestId);
        }
    }

    /** 403 {@code two_factor}: the operation needs a second factor, which a CI build cannot give. */
    public static final class TwoFactorRequired extends Forbidden {
        public TwoFactorRequired(String action, int status, String id, String message, String requestId) {
            super(action, status, id, message, requestId);
        }
    }

    /** 404: the app, build, release or pipeline does not exist, or the key cannot see it. */
    public static final class NotFound extends HerokuApiException {
        public NotFound(String action, int status, String id, String message, String requestId) {
            super(action, status, id, message, requestId);
        }
    }

    /** 422: Heroku rejected the parameters. */
    public static final class InvalidParams extends HerokuApiException {
        public InvalidParams(String action, int status, String id, String message, String requestId) {
            super(action, status, id, message, requestId);
        }
    }

    /** 429 that outlasted the retry budget. */
    public static final class RateLimited extends HerokuApiException {
        public RateLimited(String action, int status, String id, String message, String requestId) {
            super(action, status, id, message, requestId);
        }
    }

    static HerokuApiException of(String action, int status, String id, String message, String requestId) {
        if (status == 401) {
            return new Unauthorized(action, status, id, message, requestId);
        }
        if (status == 403 && "two_factor".equals(id)) {
            return new TwoFactorRequired(action, status, id, message, requestId);
        }
        if (status == 403) {
            return new Forbidden(action, status, id, message, requestId);
        }
        if (status == 404) {
            return new NotFound(action, status, id, message, requestId);
        }
        if (status == 422) {
            return new InvalidParams(action, status, id, message, requestId);
        }
        if (status == 429) {
            return new RateLimited(action, status, id, message, requestId);
        }
        return new HerokuApiException(action, status, id, message, requestId);
    }
}
