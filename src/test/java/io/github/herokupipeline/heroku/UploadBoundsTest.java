package io.github.herokupipeline.heroku;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An object store that accepts the upload's connection and never reads cannot hold the build. */
class UploadBoundsTest {

    @TempDir
    Path temp;

    private ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws IOException {
        server.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }

    /** Accepts connections and never reads from them. */
    private String neverReading() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setReceiveBufferSize(4096);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    accepted.add(server.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }, "never-reading store");
        acceptor.setDaemon(true);
        acceptor.start();
        return "http://127.0.0.1:" + server.getLocalPort() + "/blobs/upload?signature=x";
    }

    @Test
    void aStalledUpload_failsWithinItsWriteTimeoutAndRetryBudget() throws Exception {
        byte[] data = new byte[20 * 1024 * 1024];
        new Random(1).nextBytes(data);
        Path archive = Files.write(temp.resolve("source.tar.gz"), data);
        String url = neverReading();
        long started = System.nanoTime();

        try (HerokuClient client = new HerokuClient(HerokuClientConfig.builder("https://api.heroku.com", "k")
                .connectTimeout(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(1))
                .maxRetryTime(Duration.ofSeconds(2)).build())) {
            assertThatThrownBy(() -> client.uploadSource(url, archive)).isInstanceOf(IOException.class)
                    .hasMessageContaining("upload the source archive")
                    .hasMessageContaining("stopped moving");
        }

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }
}
