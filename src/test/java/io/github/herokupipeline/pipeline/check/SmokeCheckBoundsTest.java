package io.github.herokupipeline.pipeline.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.pipeline.common.Waiting;
import io.github.herokupipeline.testing.RecordingReporter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An app that answers badly cannot hold a smoke check past its time, nor make it read without end. */
class SmokeCheckBoundsTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;

    private String serve(Handler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (OutputStream out = exchange.getResponseBody()) {
                handler.handle(exchange.getResponseHeaders(), status -> exchange.sendResponseHeaders(status, 0), out);
            } catch (IOException | InterruptedException e) {
                // the client went away: what these tests want
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
    }

    interface Handler {
        void handle(com.sun.net.httpserver.Headers headers, StatusSender send, OutputStream body)
                throws IOException, InterruptedException;
    }

    interface StatusSender {
        void send(int status) throws IOException;
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private SmokeCheck.Outcome check(String url, Duration timeout, RecordingReporter reporter) throws IOException {
        return new SmokeCheck(new SmokeSettings(url, "2xx", null, timeout, false), reporter, Waiting.system(),
                List.of()).check(new App("id", "foo-staging", null, null, null, null), "c0ffee00".repeat(5));
    }

    @Test
    void headersThenAStalledBody_endWithinTheCheckTime() throws Exception {
        String url = serve((headers, send, body) -> {
            send.send(200);
            body.write("{\"status\":".getBytes(StandardCharsets.UTF_8));
            body.flush();
            release.await(60, TimeUnit.SECONDS);
        });
        long started = System.nanoTime();

        SmokeCheck.Outcome outcome = check(url, Duration.ofSeconds(1), new RecordingReporter());

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.summary()).contains("no complete answer within");
    }

    /**
     * The socket's read timeout and the wait for the exchange are both the attempt's limit; under load the socket's
     * fires first now and then, and the attempt was then reported as a SocketTimeoutException instead of its limit.
     */
    @Test
    void aSocketTimeout_isToldAsTheAttemptsLimit() {
        assertThat(SmokeCheck.failure(new java.net.SocketTimeoutException("Read timed out"), Duration.ofSeconds(1)))
                .isEqualTo("no complete answer within 1.0s (Read timed out)");
        assertThat(SmokeCheck.failure(new java.net.ConnectException("Connection refused"), Duration.ofSeconds(1)))
                .isEqualTo("ConnectException: Connection refused");
    }

    @Test
    void aBodyWithoutEnd_isReadOnlyUpToItsCap() throws Exception {
        byte[] block = "ok ".repeat(1024).getBytes(StandardCharsets.UTF_8);
        String url = serve((headers, send, body) -> {
            send.send(200);
            while (release.getCount() > 0) {
                body.write(block);
            }
        });
        long started = System.nanoTime();

        SmokeCheck.Outcome outcome = check(url, Duration.ofSeconds(20), new RecordingReporter());

        assertThat(outcome.passed()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void theResponseBody_isLoggedAtDebugOnly() throws Exception {
        String url = serve((headers, send, body) -> {
            send.send(200);
            body.write("secret-looking body".getBytes(StandardCharsets.UTF_8));
        });
        RecordingReporter reporter = new RecordingReporter();

        assertThat(check(url, Duration.ofSeconds(5), reporter).passed()).isTrue();

        assertThat(reporter.infoText()).contains("HTTP 200").doesNotContain("secret-looking body");
        assertThat(reporter.text()).contains("secret-looking body");
    }

    @Test
    void retries_areDenseWhileAnAppBoots_thenBackOffToTwoSeconds() {
        java.time.Duration ms50 = java.time.Duration.ofMillis(50);
        assertThat(SmokeCheck.nextRetry(ms50, java.time.Duration.ofMillis(2999))).isEqualTo(ms50);
        assertThat(SmokeCheck.nextRetry(ms50, java.time.Duration.ofSeconds(3)))
                .isEqualTo(java.time.Duration.ofMillis(75));
        assertThat(SmokeCheck.nextRetry(java.time.Duration.ofMillis(1800), java.time.Duration.ofSeconds(10)))
                .isEqualTo(java.time.Duration.ofSeconds(2));
    }
}
