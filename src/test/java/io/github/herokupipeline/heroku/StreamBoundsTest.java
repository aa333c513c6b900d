package io.github.herokupipeline.heroku;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An output stream that never ends, or a line without end, cannot hold a goal or its memory. */
class StreamBoundsTest {

    private final CountDownLatch done = new CountDownLatch(1);
    private HttpServer server;

    interface Body {
        void write(OutputStream out) throws IOException, InterruptedException;
    }

    private String serve(Body body) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                body.write(out);
            } catch (IOException | InterruptedException e) {
                // the client stopped reading: what these tests want
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/streams/build";
    }

    @AfterEach
    void stop() {
        done.countDown();
        server.stop(0);
    }

    private static HerokuClient client() {
        return new HerokuClient(HerokuClientConfig.builder("https://api.heroku.com", "k")
                .readTimeout(Duration.ofSeconds(5)).build());
    }

    @Test
    void aStreamThatNeverEnds_isLeftAtItsDeadline() throws Exception {
        String url = serve(out -> {
            for (int i = 0; done.getCount() > 0; i++) {
                out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(100);
            }
        });
        List<String> lines = new CopyOnWriteArrayList<>();
        long started = System.nanoTime();
        try (HerokuClient client = client()) {
            client.streamOutput(url, lines::add, Instant.now().plusSeconds(1));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        assertThat(lines).isNotEmpty().first().isEqualTo("line 0");
    }

    @Test
    void aLineWithoutEnd_isHandedOnInPieces() throws Exception {
        byte[] block = "x".repeat(8192).getBytes(StandardCharsets.UTF_8);
        String url = serve(out -> {
            for (int i = 0; i < 128; i++) { // 1 MiB, no newline
                out.write(block);
            }
            out.write("\nlast\n".getBytes(StandardCharsets.UTF_8));
        });
        List<String> lines = new CopyOnWriteArrayList<>();
        try (HerokuClient client = client()) {
            client.streamOutput(url, lines::add, Instant.now().plusSeconds(30));
        }
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(16 * 1024));
        assertThat(lines.stream().mapToInt(String::length).sum()).isEqualTo(128 * 8192 + "last".length());
        assertThat(lines).last().isEqualTo("last");
    }
}
