package io.github.herokupipeline.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A forward HTTP proxy on loopback for tests: relays each request (absolute URI) to its target, streaming the
 * answer back, and records what passed through. With credentials set it answers 407 until they are sent.
 */
public final class RecordingProxy implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authorization",
            "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length");

    /** One relayed request: method and absolute URI, and whether it carried proxy credentials. */
    public record Relayed(String method, URI uri, boolean authenticated, boolean carriedAuthorization) {}

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "test-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Relayed> relayed = new CopyOnWriteArrayList<>();
    private final String expectedCredentials;

    private RecordingProxy(String username, String password) throws IOException {
        this.expectedCredentials = username == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + password).getBytes(StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(threads);
        server.createContext("/", this::relay);
        server.start();
    }

    public static RecordingProxy start() throws IOException {
        return new RecordingProxy(null, null);
    }

    /** A proxy that wants these credentials (Basic). */
    public static RecordingProxy withCredentials(String username, String password) throws IOException {
        return new RecordingProxy(username, password);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Relayed> relayed() {
        return List.copyOf(relayed);
    }

    private void relay(HttpExchange exchange) throws IOException {
        URI target = exchange.getRequestURI();
        String credentials = exchange.getRequestHeaders().getFirst("Proxy-Authorization");
        if (expectedCredentials != null && !expectedCredentials.equals(credentials)) {
            exchange.getResponseHeaders().set("Proxy-Authenticate", "Basic realm=\"test proxy\"");
            exchange.sendResponseHeaders(407, -1);
            exchange.close();
            return;
        }
        relayed.add(new Relayed(exchange.getRequestMethod(), target, credentials != null,
                exchange.getRequestHeaders().containsKey("Authorization")));
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpURLConnection connection = (HttpURLConnection) target.toURL().openConnection(Proxy.NO_PROXY);
        connection.setRequestMethod(exchange.getRequestMethod());
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> connection.addRequestProperty(name, value));
            }
        });
        if (body.length > 0) {
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        connection.getHeaderFields().forEach((name, values) -> {
            if (name != null && !HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        InputStream answer = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        exchange.sendResponseHeaders(status, answer == null ? -1 : 0);
        if (answer != null) {
            try (InputStream in = answer; OutputStream out = exchange.getResponseBody()) {
                byte[] buffer = new byte[8192];
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
