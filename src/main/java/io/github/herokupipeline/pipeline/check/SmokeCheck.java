package io.github.herokupipeline.pipeline.check;

import io.github.herokupipeline.heroku.HttpProxy;
import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.pipeline.common.Background;
import io.github.herokupipeline.pipeline.common.Reporter;
import io.github.herokupipeline.pipeline.common.Waiting;
import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Requests an app's smoke URL until it answers as expected or the time is up; a freshly released dyno may still be
 * booting. Uses plain connections with their own timeouts: the Heroku API key never goes to the app.
 */
public final class SmokeCheck {

    /**
     * A booting dyno answers as soon as it is up, and every moment between that and our next attempt is added to
     * commit to production: while a typical app boots (the first few seconds) the check asks every 50 ms, then the
     * retries grow gently to at most two seconds. These requests go to the app, not to the Platform API, so they
     * cost nothing of Heroku's rate limit.
     */
    private static final Duration DENSE_RETRY = Duration.ofMillis(50);
    private static final Duration DENSE_PERIOD = Duration.ofSeconds(3);
    private static final Duration MAX_RETRY = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** The least one attempt is given, however close the check's deadline is. */
    private static final Duration MIN_ATTEMPT = Duration.ofMillis(250);
    private static final int LOGGED_BODY = 200;
    /** Of attempts that get the same answer in a row, every this many is logged at info level; the rest at debug. */
    private static final int SHOWN_REPEATS = 10;
    /** What is read of a response body at most: enough for any health page and its pattern. */
    static final int MAX_BODY = 64 * 1024;

    private final SmokeSettings settings;
    private final Reporter reporter;
    private final Waiting waiting;
    private final List<HttpProxy> proxies;

    /** @param proxies the proxies of settings.xml (none: the JVM's proxy settings), as for the API */
    public SmokeCheck(SmokeSettings settings, Reporter reporter, Waiting waiting, List<HttpProxy> proxies) {
        this.settings = settings;
        this.reporter = reporter;
        this.waiting = waiting;
        this.proxies = List.copyOf(proxies);
    }

    /** The outcome: passed or not, and a one-line account for the report. */
    public record Outcome(boolean passed, String summary) {}

    /** Checks {@code app}, deployed with {@code commit} (which {@code {commit}} in the body pattern stands for). */
    public Outcome check(App app, String commit) throws IOException {
        URI url = resolve(app);
        Pattern bodyPattern = settings.bodyPatternFor(commit);
        String mismatch = "the body does not match /" + settings.bodyPattern() + "/"
                + (settings.namesCommit() ? " ({commit}: " + commit + ")" : "");
        Instant started = waiting.now();
        Instant deadline = started.plus(settings.timeout());
        Duration retry = DENSE_RETRY;
        int attempt = 0;
        String shownBefore = null;
        String last;
        while (true) {
            attempt++;
            Attempt tried = attempt(app, url, bodyPattern, mismatch, limit(deadline));
            // an answer like the one before is logged at debug level, but every tenth attempt shows that it goes on
            boolean repeated = tried.shown().equals(shownBefore) && attempt % SHOWN_REPEATS != 0;
            String line = app.name() + ": smoke check attempt " + attempt + ": " + tried.shown();
            if (repeated) {
                reporter.debug(line);
            } else {
                reporter.info(line);
            }
            shownBefore = tried.shown();
            last = tried.refusal();
            if (last == null) {
                return new Outcome(true, "smoke check passed (" + url + ", attempt " + attempt + ")");
            }
            if (waiting.now().plus(retry).isAfter(deadline)) {
                return new Outcome(false, "smoke check of " + url + " failed after " + attempt + " attempt(s) in "
                        + Waiting.format(settings.timeout()) + ": " + last);
            }
            waiting.sleep(retry);
            retry = nextRetry(retry, Duration.between(started, waiting.now()));
        }
    }

    /** Every 50 ms for the first seconds, then half as long again each time, up to two seconds. */
    static Duration nextRetry(Duration retry, Duration elapsed) {
        if (elapsed.compareTo(DENSE_PERIOD) < 0) {
            return DENSE_RETRY;
        }
        Duration longer = retry.multipliedBy(3).dividedBy(2);
        return longer.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : longer;
    }

    /** How long one attempt may take: the request timeout, or what is left of the check, but at least a moment. */
    private Duration limit(Instant deadline) {
        Duration left = Duration.between(waiting.now(), deadline);
        Duration limit = left.compareTo(REQUEST_TIMEOUT) < 0 ? left : REQUEST_TIMEOUT;
        return limit.compareTo(MIN_ATTEMPT) < 0 ? MIN_ATTEMPT : limit;
    }

    /**
     * One request, headers and body together bounded by {@code limit} and the body by {@link #MAX_BODY}: what it got,
     * and whether that passed ({@code mismatch} says why a body that {@code bodyPattern} does not find fails). The
     * request runs in the {@link Background} with blocking I/O ({@link HttpURLConnection}), and is cut at its limit
     * by closing its connection. (The JDK's {@code java.net.http} client would keep a selector thread in native code
     * until the JVM exits, which then waits for it: a third of a second added to every build.)
     */
    private Attempt attempt(App app, URI url, Pattern bodyPattern, String mismatch, Duration limit)
            throws IOException {
        HttpURLConnection connection = open(url, limit);
        Background<Answer> exchange = Background.start("smoke check " + app.name(), () -> exchange(connection));
        try {
            boolean answered = exchange.stopWithin(limit);
            if (Thread.currentThread().isInterrupted()) {
                throw new java.io.InterruptedIOException("interrupted during the smoke check");
            }
            if (!answered) {
                String why = noCompleteAnswerWithin(limit);
                return new Attempt(why, why);
            }
            Answer answer;
            try {
                answer = exchange.get();
            } catch (IOException | SourceException | RuntimeException e) {
                String why = failure(e, limit);
                return new Attempt(why, why);
            }
            String shown = answer.body().replaceAll("\\s+", " ").strip();
            shown = shown.length() > LOGGED_BODY ? shown.substring(0, LOGGED_BODY) + "..." : shown;
            if (!shown.isEmpty()) {
                reporter.debug(app.name() + ": smoke check response body: " + shown);
            }
            String status = "HTTP " + answer.status();
            if (!settings.accepts(answer.status())) {
                return new Attempt(status, status + ", expected " + settings.expectedStatus());
            }
            if (bodyPattern != null && !bodyPattern.matcher(answer.body()).find()) {
                return new Attempt(status + ", but " + mismatch, mismatch);
            }
            return new Attempt(status, null);
        } finally {
            connection.disconnect(); // ends a request still running: its thread has ended when the attempt returns
            exchange.stop();
        }
    }

    /**
     * Why an exchange that ended with {@code e} did not pass. The socket's timeouts are the attempt's limit too: when
     * one of them fires before the wait for the exchange ends (that wait overshoots by a few ms), it is the same event
     * and is told the same way.
     */
    static String failure(Exception e, Duration limit) {
        if (e instanceof SocketTimeoutException) {
            return noCompleteAnswerWithin(limit) + " (" + e.getMessage() + ")";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static String noCompleteAnswerWithin(Duration limit) {
        return "no complete answer within " + Waiting.format(limit);
    }

    /** A status and the start of the body. */
    private record Answer(int status, String body) {}

    /** What one attempt's log line says, and why it did not pass (null when it passed). */
    private record Attempt(String shown, String refusal) {}

    /** A connection through the proxy settings.xml gives for the URL, or the JVM's when it gives none. */
    private HttpURLConnection open(URI url, Duration limit) throws IOException {
        java.net.URL target = url.toURL();
        HttpURLConnection connection;
        if (proxies.isEmpty()) {
            connection = (HttpURLConnection) target.openConnection();
        } else {
            Optional<HttpProxy> proxy = HttpProxy.forUri(proxies, url);
            connection = (HttpURLConnection) target.openConnection(proxy.map(HttpProxy::proxy)
                    .orElse(Proxy.NO_PROXY));
            proxy.map(HttpProxy::authenticator).ifPresent(connection::setAuthenticator);
        }
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, limit.toMillis()));
        connection.setConnectTimeout(millis);
        connection.setReadTimeout(millis);
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setRequestProperty("User-Agent", "heroku-pipeline-maven-plugin smoke check");
        return connection;
    }

    private static Answer exchange(HttpURLConnection connection) throws IOException {
        int status = connection.getResponseCode();
        InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        if (body == null) {
            return new Answer(status, "");
        }
        try (body) {
            return new Answer(status, new String(body.readNBytes(MAX_BODY), StandardCharsets.UTF_8));
        }
    }

    URI resolve(App app) throws IOException {
        String url = settings.url().replace("{app}", app.name());
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IOException("<smokeUrl> '" + url + "' is not a URL: " + e.getMessage(), e);
        }
        if (uri.isAbsolute()) {
            return uri;
        }
        if (app.webUrl() == null) {
            throw new IOException("App " + app.name() + " has no web_url to resolve the smoke path '" + url
                    + "' against; give <smokeUrl> as an absolute URL");
        }
        String base = app.webUrl().endsWith("/") ? app.webUrl() : app.webUrl() + "/";
        try {
            return new URI(base).resolve(url.startsWith("/") ? url.substring(1) : url);
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new IOException("App " + app.name() + "'s web_url '" + app.webUrl() + "' and <smokeUrl> '" + url
                    + "' make no URL: " + e.getMessage(), e);
        }
    }
}
