package io.github.herokupipeline.simulator;

import static io.github.herokupipeline.simulator.SimHttp.Abort;
import static io.github.herokupipeline.simulator.SimHttp.Reply;
import static io.github.herokupipeline.simulator.SimHttp.send;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Output streams of builds and release phases: chunked, resumable with {@code Range}, cut on request. */
final class StreamResource {

    private final SimWorld world;

    StreamResource(SimWorld world) {
        this.world = world;
    }

    // ------------------------------------------------------------------ output streams

    void serveStream(HttpExchange exchange, String id, java.util.function.IntConsumer record)
            throws IOException {
        SimLog log = world.logs.get(id);
        if (log == null) {
            record.accept(404);
            send(exchange, new Reply(404, Map.of("Content-Type", "text/plain"),
                    "stream not found".getBytes(StandardCharsets.UTF_8)));
            return;
        }
        int offset = 0;
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null) {
            Matcher matcher = Pattern.compile("bytes=(\\d+)-").matcher(range.strip());
            if (matcher.matches()) {
                offset = Integer.parseInt(matcher.group(1));
            }
        }
        if (offset > 0 && log.isClosed() && offset >= log.size()) {
            record.accept(416);
            send(exchange, new Reply(416, Map.of("Content-Range", "bytes */" + log.size()), new byte[0]));
            return;
        }
        Integer cutAfterLines = world.faults.takeStreamCut(id);
        int status = offset > 0 ? 206 : 200;
        record.accept(status);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, 0);
        OutputStream out = exchange.getResponseBody();
        int linesSent = 0;
        try {
            while (true) {
                byte[] chunk = log.readFrom(offset, world.timing.streamPollMillis);
                if (chunk.length == 0) {
                    if (log.isClosed() && offset >= log.size()) {
                        break;
                    }
                    continue;
                }
                for (int i = 0; i < chunk.length; i++) {
                    out.write(chunk[i]);
                    if (chunk[i] == '\n' && cutAfterLines != null && ++linesSent >= cutAfterLines) {
                        // send half of the next line, then drop the connection without ending the chunked body
                        int half = Math.min(chunk.length, i + 1 + 3);
                        out.write(chunk, i + 1, half - (i + 1));
                        out.flush();
                        throw new Abort();
                    }
                }
                out.flush();
                offset += chunk.length;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Abort();
        }
        out.close();
        exchange.close();
    }
}
