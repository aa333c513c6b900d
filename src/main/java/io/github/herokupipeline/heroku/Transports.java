package io.github.herokupipeline.heroku;

import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import java.io.Closeable;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The HTTP transports of one client, and every connection they have open: the one for requests that carry the API
 * key, and the one for the others (an upload URL), which may go another way (see {@link HerokuClientConfig}). Each is
 * made by the first request that needs it. A connection is known from its opening until its exchange ends, so an
 * upload that stops moving, or {@link #close()}, can cut it.
 */
final class Transports implements Closeable {

    private final HerokuClientConfig config;
    private HttpTransport transport; // guarded by this; made on first use
    private HttpRequestFactory requests; // guarded by this
    private HttpTransport apiTransport; // guarded by this; made on first use
    private HttpRequestFactory apiRequests; // guarded by this
    private final Set<HttpURLConnection> inFlight = ConcurrentHashMap.newKeySet();
    /** The exchange this thread is sending, so the connection the transport opens for it is known. */
    private final ThreadLocal<UploadWatch.Exchange> current = new ThreadLocal<>();

    Transports(HerokuClientConfig config) {
        this.config = config;
    }

    /**
     * The transport is made by the first request, not with the client: loading the HTTP library's classes then
     * happens on the thread that sends it, which for prepare and promote is a background lookup running beside the
     * git work.
     */
    synchronized HttpRequestFactory requestsFor(boolean withApiKey) {
        if (withApiKey) {
            if (apiRequests == null) {
                apiTransport = newTransport(true);
                apiRequests = apiTransport.createRequestFactory();
            }
            return apiRequests;
        }
        if (requests == null) {
            transport = newTransport(false);
            requests = transport.createRequestFactory();
        }
        return requests;
    }

    synchronized boolean supportsMethod(String method) throws IOException {
        requestsFor(false);
        return transport.supportsMethod(method);
    }

    /** From here until {@link #ended} on this thread, the connection a transport opens belongs to {@code exchange}. */
    void sending(UploadWatch.Exchange exchange) {
        current.set(exchange);
    }

    void ended(UploadWatch.Exchange exchange) {
        current.remove();
        if (exchange.connection != null) {
            inFlight.remove(exchange.connection);
        }
    }

    private HttpTransport newTransport(boolean carriesKey) {
        if (config.transport() != null) {
            return config.transport().get();
        }
        return defaultTransport(carriesKey && config.apiDirect() ? null : config.proxies(), this::opened);
    }

    private void opened(HttpURLConnection connection) {
        inFlight.add(connection);
        UploadWatch.Exchange exchange = current.get();
        if (exchange != null) {
            exchange.connection = connection;
        }
    }

    /**
     * The JDK transport ({@code proxies} null: always direct): no extra libraries in the plugin realm and no
     * third-party wire logging that could print the {@code Authorization} header under {@code mvn -X}. It cannot
     * send PATCH, so PATCH goes as POST with {@code X-Http-Method-Override}, which the Platform API documents.
     */
    private static HttpTransport defaultTransport(List<HttpProxy> proxies, Consumer<HttpURLConnection> opened) {
        return new NetHttpTransport.Builder().setConnectionFactory(url -> {
            HttpURLConnection connection = open(url, proxies);
            opened.accept(connection);
            return connection;
        }).build();
    }

    private static HttpURLConnection open(URL url, List<HttpProxy> proxies) throws IOException {
        if (proxies == null) {
            return (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
        }
        if (proxies.isEmpty()) {
            return (HttpURLConnection) url.openConnection(); // the JVM's proxy settings apply
        }
        URI uri;
        try {
            uri = url.toURI();
        } catch (URISyntaxException e) {
            throw new IOException("Not a URI: " + url, e);
        }
        Optional<HttpProxy> proxy = HttpProxy.forUri(proxies, uri);
        HttpURLConnection connection = (HttpURLConnection) (proxy.isPresent()
                ? url.openConnection(proxy.get().proxy()) : url.openConnection(Proxy.NO_PROXY));
        proxy.map(HttpProxy::authenticator).ifPresent(connection::setAuthenticator);
        // A request with a body (the upload, a POST) cannot be sent again after a 407: for plain-http targets,
        // which the proxy sees anyway, give the credentials with the first try.
        proxy.flatMap(HttpProxy::basicCredentials).filter(credentials -> "http".equals(uri.getScheme()))
                .ifPresent(credentials -> connection.setRequestProperty("Proxy-Authorization", credentials));
        return connection;
    }

    /** Cuts every connection still in use (their threads fail at once), then shuts the transports down. */
    @Override
    public synchronized void close() throws IOException {
        for (HttpURLConnection connection : inFlight) {
            connection.disconnect();
        }
        inFlight.clear();
        if (transport != null) {
            transport.shutdown();
        }
        if (apiTransport != null && apiTransport != transport) {
            apiTransport.shutdown();
        }
    }
}
