package io.github.herokupipeline.heroku;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;
import com.google.gson.reflect.TypeToken;
import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.Build;
import io.github.herokupipeline.heroku.model.PipelineCoupling;
import io.github.herokupipeline.heroku.model.Release;
import io.github.herokupipeline.heroku.model.Slug;
import io.github.herokupipeline.heroku.model.Source;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Loads the classes of a goal's first Platform API requests ahead of them, on the caller's thread, which a goal runs
 * beside its own set-up. On a cold JVM the first request spends most of its time loading classes: the HTTP library
 * and the tracing hooks it calls on every request, gson's adapters for the answers, and the JDK's HTTP connection.
 * In {@code prepare} that request holds Maven up, so the tests wait for it.
 *
 * <p>Touches no network: a request goes through the whole client (retries, headers, the exchange, parsing) to a
 * transport that answers from memory, and the JDK's connection is made but never connected.
 */
public final class ClientWarmUp {

    private static final String APP = "{\"id\":\"01234567-89ab-cdef-0123-456789abcdef\",\"name\":\"warm-up\","
            + "\"build_stack\":{\"name\":\"heroku-24\"},\"generation\":{\"name\":\"cedar\"}}";
    /** The answers the goals read first. */
    private static final List<Class<?>> ANSWERS = List.of(App.class, Build.class, Release.class, Slug.class,
            PipelineCoupling.class, Source.class);

    private ClientWarmUp() {
    }

    /** Loads what the first requests need; any failure is ignored (the real request then pays for it). */
    public static void run() {
        try {
            exercise();
        } catch (IOException | RuntimeException e) {
            // only a warm-up: whatever it could not load is loaded by the request that needs it
        }
    }

    /**
     * What the warm-up does, in the order that helps most: the goal's own thread starts with the request, so this
     * starts with what is needed only once the answer comes (gson), then goes through a whole request.
     *
     * @return the app the in-memory request read
     */
    static App exercise() throws IOException {
        ANSWERS.forEach(type -> HerokuHttp.gson().getAdapter(TypeToken.get(type)));
        HerokuClientConfig config = HerokuClientConfig.builder("https://api.heroku.com", "warm-up")
                .transport(InMemory::new).build();
        App app;
        try (HerokuClient client = new HerokuClient(config)) {
            app = client.getApp("warm-up");
        }
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1/").toURL()
                .openConnection(Proxy.NO_PROXY);
        connection.setRequestProperty("Accept", HerokuHttp.ACCEPT_V3);
        return app;
    }

    /** Answers every request with the same app, from memory. */
    private static final class InMemory extends HttpTransport {
        @Override
        protected LowLevelHttpRequest buildRequest(String method, String url) {
            return new LowLevelHttpRequest() {
                @Override
                public void addHeader(String name, String value) {
                }

                @Override
                public LowLevelHttpResponse execute() {
                    return new Answer();
                }
            };
        }
    }

    private static final class Answer extends LowLevelHttpResponse {
        private final byte[] body = APP.getBytes(StandardCharsets.UTF_8);

        @Override
        public InputStream getContent() {
            return new ByteArrayInputStream(body);
        }

        @Override
        public String getContentEncoding() {
            return null;
        }

        @Override
        public long getContentLength() {
            return body.length;
        }

        @Override
        public String getContentType() {
            return "application/json";
        }

        @Override
        public String getStatusLine() {
            return "HTTP/1.1 200 OK";
        }

        @Override
        public int getStatusCode() {
            return 200;
        }

        @Override
        public String getReasonPhrase() {
            return "OK";
        }

        @Override
        public int getHeaderCount() {
            return 1;
        }

        @Override
        public String getHeaderName(int index) {
            return "Request-Id";
        }

        @Override
        public String getHeaderValue(int index) {
            return "warm-up";
        }
    }
}
