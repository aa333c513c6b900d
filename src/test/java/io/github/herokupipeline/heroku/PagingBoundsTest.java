package io.github.herokupipeline.heroku;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.herokupipeline.testing.FakeTime;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A server that pages wrongly cannot keep a list request going: a repeated range or too many pages end it. */
class PagingBoundsTest {

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private HerokuClient serve(IntFunction<String> nextRange) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            int n = requests.incrementAndGet();
            byte[] body = ("[{\"id\":\"build-" + n + "\",\"status\":\"succeeded\"}]").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Next-Range", nextRange.apply(n));
            exchange.sendResponseHeaders(206, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        FakeTime time = new FakeTime();
        return new HerokuClient(HerokuClientConfig.builder("http://127.0.0.1:" + server.getAddress().getPort(), "k")
                .clock(time).sleeper(time).maxRetryTime(Duration.ofSeconds(5)).build());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aRepeatedNextRange_endsTheList() throws IOException {
        try (HerokuClient client = serve(n -> "id ]build-1..; max=1")) {
            assertThat(client.listBuilds("foo-prepare", 1000)).hasSize(2);
        }
        assertThat(requests).hasValue(2);
    }

    @Test
    void aListThatNeverEnds_stopsAtThePageCap() throws IOException {
        try (HerokuClient client = serve(n -> "id ]build-" + n + "..; max=1")) {
            assertThat(client.listBuilds("foo-prepare", 1000)).hasSize(HerokuHttp.MAX_PAGES);
        }
        assertThat(requests).hasValue(HerokuHttp.MAX_PAGES);
    }
}
