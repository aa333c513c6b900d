package io.github.herokupipeline.pipeline.check;

import io.github.herokupipeline.heroku.HttpProxy;
import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.pipeline.common.Reporter;
import io.github.herokupipeline.pipeline.common.Waiting;
import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Requests an app's smoke URL until it answers as expected or the time is up; a freshly released dyno may still be
 * booting. Uses a plain HTTP client with its own timeouts: the Heroku API key never goes to the app.
 */
public final class SmokeCheck {

    /**
     * A booting dyno answers as soon as it is up, and every second between that and our next attempt is added to
     * commit to production: retries start at half a second and grow gently to at most two seconds.
     */
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int LOGGED_BODY = 200;

    private final SmokeSettings settings;
    private final Reporter reporter;
    private final Waiting waiting;
    private final HttpClient http;

    /** @param proxies the proxies of settings.xml (none: the JVM's proxy settings), as for the API */
    public SmokeCheck(SmokeSettings settings, Reporter reporter, Waiting waiting, List<HttpProxy> proxies) {
        this.settings = settings;
        this.reporter = reporter;
        this.waiting = waiting;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (!proxies.isEmpty()) {
            builder.proxy(new ProxySelector() {
                @Override
                public List<Proxy> select(URI uri) {
                    return List.of(HttpProxy.forUri(proxies, uri).map(HttpProxy::proxy).orElse(Proxy.NO_PROXY));
                }

                @Override
                public void connectFailed(URI uri, SocketAddress address, IOException e) {
                    // the request fails and is retried like any other
                }
            });
            proxies.stream().map(HttpProxy::authenticator).filter(java.util.Objects::nonNull).findFirst()
                    .ifPresent(builder::authenticator);
        }
        this.http = builder.build();
    }

    /** The outcome: passed or not, and a one-line account for the report. */
    public record Outcome(boolean passed, String summary) {}

    public Outcome check(App app) throws IOException {
        URI url = resolve(app);
        Instant deadline = waiting.now().plus(settings.timeout());
        Duration retry = FIRST_RETRY;
        int attempt = 0;
        String last;
        while (true) {
            attempt++;
            last = attempt(app, url, attempt);
            if (last == null) {
                return new Outcome(true, "smoke check passed (" + url + ", attempt " + attempt + ")");
            }
            if (waiting.now().plus(retry).isAfter(deadline)) {
                return new Outcome(false, "smoke check of " + url + " failed after " + attempt + " attempt(s) in "
                        + Waiting.format(settings.timeout()) + ": " + last);
            }
            waiting.sleep(retry);
            Duration longer = retry.multipliedBy(3).dividedBy(2);
            retry = longer.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : longer;
        }
    }

    /** One request; null when it passed, else why not. */
    private String attempt(App app, URI url, int attempt) throws IOException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT)
                    .header("User-Agent", "heroku-pipeline-maven-plugin smoke check").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = response.body() == null ? "" : response.body();
            String shown = body.replaceAll("\\s+", " ").strip();
            shown = shown.length() > LOGGED_BODY ? shown.substring(0, LOGGED_BODY) + "..." : shown;
            reporter.info(app.name() + ": smoke check attempt " + attempt + ": HTTP " + response.statusCode()
                    + (shown.isEmpty() ? "" : " " + shown));
            if (!settings.accepts(response.statusCode())) {
                return "HTTP " + response.statusCode() + ", expected " + settings.expectedStatus();
            }
            if (settings.bodyPattern() != null && !settings.bodyPattern().matcher(body).find()) {
                return "the body does not match /" + settings.bodyPattern().pattern() + "/";
            }
            return null;
        } catch (IOException e) {
            reporter.info(app.name() + ": smoke check attempt " + attempt + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted during the smoke check");
        }
    }

    URI resolve(App app) throws IOException {
        String url = settings.url().replace("{app}", app.name());
        URI uri = URI.create(url);
        if (uri.isAbsolute()) {
            return uri;
        }
        if (app.webUrl() == null) {
            throw new IOException("App " + app.name() + " has no web_url to resolve the smoke path '" + url
                    + "' against; give <smokeUrl> as an absolute URL");
        }
        String base = app.webUrl().endsWith("/") ? app.webUrl() : app.webUrl() + "/";
        return URI.create(base).resolve(url.startsWith("/") ? url.substring(1) : url);
    }
}
