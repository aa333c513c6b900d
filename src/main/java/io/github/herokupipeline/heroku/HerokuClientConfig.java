package io.github.herokupipeline.heroku;

import com.google.api.client.http.HttpTransport;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * How to reach the Platform API. Built with {@link #builder(String, String)}; every duration and the clock and
 * sleeper can be replaced, which is how tests make retries instant.
 */
public final class HerokuClientConfig {

    public static final String DEFAULT_API_URL = "https://api.heroku.com";

    private final URI baseUrl;
    private final String apiKey;
    private final String userAgent;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration maxRetryTime;
    private final Duration initialBackoff;
    private final int lowRateLimitRemaining;
    private final Clock clock;
    private final Sleeper sleeper;
    /** A transport of the caller's (tests); null: the JDK's, made by the client. */
    private final Supplier<HttpTransport> transport;
    private final List<HttpProxy> proxies;
    private final Consumer<String> debugLog;

    private HerokuClientConfig(Builder builder) {
        this.baseUrl = builder.baseUrl;
        this.apiKey = builder.apiKey;
        this.userAgent = builder.userAgent;
        this.connectTimeout = builder.connectTimeout;
        this.readTimeout = builder.readTimeout;
        this.maxRetryTime = builder.maxRetryTime;
        this.initialBackoff = builder.initialBackoff;
        this.lowRateLimitRemaining = builder.lowRateLimitRemaining;
        this.clock = builder.clock;
        this.sleeper = builder.sleeper;
        this.proxies = List.copyOf(builder.proxies);
        this.transport = builder.transport;
        this.debugLog = builder.debugLog;
    }

    /**
     * @param apiUrl the API base URL; https, or http only to a loopback address (a local simulator or proxy),
     *     so the key never crosses a network in clear text
     * @param apiKey the Heroku API key; never logged
     * @throws IllegalArgumentException when the URL is malformed or plain http to a non-loopback host
     */
    public static Builder builder(String apiUrl, String apiKey) {
        return new Builder(parseBaseUrl(apiUrl), apiKey);
    }

    static URI parseBaseUrl(String apiUrl) {
        URI uri;
        try {
            uri = URI.create(Objects.requireNonNull(apiUrl, "apiUrl").strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + apiUrl + "' is not a URL", e);
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            throw new IllegalArgumentException("'" + apiUrl + "' is not an absolute http(s) URL");
        }
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new IllegalArgumentException("refusing to send the Heroku API key over plain http to "
                    + uri.getHost() + "; use https (plain http is allowed only to a loopback address)");
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("'" + apiUrl + "' is not an http(s) URL");
        }
        String text = uri.toString();
        return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!bare.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: never resolve it here, only literal addresses count
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public URI baseUrl() {
        return baseUrl;
    }

    String apiKey() {
        return apiKey;
    }

    public String userAgent() {
        return userAgent;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    public Duration maxRetryTime() {
        return maxRetryTime;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public int lowRateLimitRemaining() {
        return lowRateLimitRemaining;
    }

    public Clock clock() {
        return clock;
    }

    public Sleeper sleeper() {
        return sleeper;
    }

    /** The proxies of settings.xml, for every request the plugin makes; empty: the JVM's own proxy settings. */
    public List<HttpProxy> proxies() {
        return proxies;
    }

    /**
     * True when requests that carry the key go direct whatever the proxies: a plain-http API on a loopback address
     * (a local simulator or a developer's tunnel), where a settings.xml proxy would see the key in clear text.
     */
    boolean apiDirect() {
        return isPlainLoopback(baseUrl);
    }

    private static boolean isPlainLoopback(java.net.URI url) {
        if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            return false;
        }
        String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1)
                : url.getHost();
        return host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("::1")
                || host.equals("0:0:0:0:0:0:0:1");
    }

    Supplier<HttpTransport> transport() {
        return transport;
    }

    Consumer<String> debugLog() {
        return debugLog;
    }

    @Override
    public String toString() {
        return "HerokuClientConfig[" + baseUrl + ", key ****]";
    }

    /** Builder with the defaults a CI build wants. */
    public static final class Builder {
        private final URI baseUrl;
        private final String apiKey;
        private String userAgent = "heroku-pipeline-maven-plugin";
        private Duration connectTimeout = Duration.ofSeconds(20);
        private Duration readTimeout = Duration.ofSeconds(60);
        private Duration maxRetryTime = Duration.ofMinutes(2);
        private Duration initialBackoff = Duration.ofMillis(500);
        private int lowRateLimitRemaining = 50;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.system();
        private Supplier<HttpTransport> transport;
        private List<HttpProxy> proxies = List.of();
        private Consumer<String> debugLog = line -> {};

        private Builder(URI baseUrl, String apiKey) {
            this.baseUrl = baseUrl;
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalArgumentException("the Heroku API key is empty");
            }
            this.apiKey = apiKey.strip();
        }

        public Builder userAgent(String value) {
            this.userAgent = Objects.requireNonNull(value);
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = positive(value, "connectTimeout");
            return this;
        }

        public Builder readTimeout(Duration value) {
            this.readTimeout = positive(value, "readTimeout");
            return this;
        }

        /** Upper bound of the time spent retrying one request (429, 5xx, I/O errors). */
        public Builder maxRetryTime(Duration value) {
            this.maxRetryTime = Objects.requireNonNull(value);
            return this;
        }

        public Builder initialBackoff(Duration value) {
            this.initialBackoff = positive(value, "initialBackoff");
            return this;
        }

        /** Below this many remaining rate-limit tokens, requests are spaced to Heroku's refill rate. */
        public Builder lowRateLimitRemaining(int value) {
            this.lowRateLimitRemaining = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        public Builder sleeper(Sleeper value) {
            this.sleeper = Objects.requireNonNull(value);
            return this;
        }

        /** Sends every request through these proxies (settings.xml), instead of the JVM's proxy settings. */
        public Builder proxies(List<HttpProxy> value) {
            this.proxies = Objects.requireNonNull(value);
            return this;
        }

        public Builder transport(Supplier<HttpTransport> value) {
            this.transport = Objects.requireNonNull(value);
            return this;
        }

        /** Receives one line per HTTP exchange (method, path, status, time); never headers or the key. */
        public Builder debugLog(Consumer<String> value) {
            this.debugLog = Objects.requireNonNull(value);
            return this;
        }

        public HerokuClientConfig build() {
            return new HerokuClientConfig(this);
        }

        private static Duration positive(Duration value, String name) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }
    }
}
