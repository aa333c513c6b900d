package io.github.herokupipeline.pipeline.promote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.HerokuClientConfig;
import io.github.herokupipeline.heroku.HttpProxy;
import io.github.herokupipeline.pipeline.check.SmokeSettings;
import io.github.herokupipeline.pipeline.common.PrepareRecord;
import io.github.herokupipeline.pipeline.prepare.Preparation;
import io.github.herokupipeline.pipeline.prepare.PrepareSettings;
import io.github.herokupipeline.simulator.HerokuSimulator;
import io.github.herokupipeline.simulator.RecordedRequest;
import io.github.herokupipeline.testing.PipelineFixture;
import io.github.herokupipeline.testing.RecordingProxy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behind a settings.xml proxy every request of the plugin goes through it: API, upload, output streams and smoke
 * checks, loopback included (the JDK's default proxy selector would skip loopback); {@code nonProxyHosts} exempts.
 */
class ProxyServerTest {

    @TempDir
    Path temp;

    private PipelineFixture f;

    @BeforeEach
    void start() throws IOException {
        f = new PipelineFixture(temp);
        f.sim.timing().buildLogLines = 3;
    }

    @AfterEach
    void stop() throws IOException {
        f.close();
    }

    private HerokuClient clientThrough(HttpProxy proxy) {
        return new HerokuClient(HerokuClientConfig.builder(f.sim.apiUrl(), HerokuSimulator.DEFAULT_KEY)
                .proxies(List.of(proxy)).build());
    }

    private void deploy(HerokuClient heroku) throws Exception {
        PrepareRecord record = new Preparation(heroku, f.reporter, f.waiting).prepare(new PrepareSettings(
                "foo-prepare", f.source(), List.of(), false));
        assertThat(record.buildId()).isNotNull();
        PromoteSettings settings = f.promoteTo("foo-staging").withSmoke(new SmokeSettings(
                f.sim.localWebUrl("{app}") + "health", "2xx", null, Duration.ofSeconds(10), true));
        new Promotion(heroku, f.reporter, f.waiting).promote(settings);
    }

    @Test
    void everyRequestWithoutTheKey_goesThroughTheProxy_theKeyNeverToAPlainHttpOne() throws Exception {
        try (RecordingProxy proxy = RecordingProxy.withCredentials("ci", "proxy-secret");
                HerokuClient heroku = clientThrough(new HttpProxy("http", "127.0.0.1", proxy.port(), "ci",
                        "proxy-secret", null))) {
            deploy(heroku);

            // the simulator serves log streams on the API's origin, so the plugin sends the key with them too
            List<RecordedRequest> api = f.sim.requests().stream().filter(RecordedRequest::authorized)
                    .toList();
            List<RecordedRequest> others = f.sim.requests().stream().filter(r -> !r.authorized())
                    .toList();
            Set<String> relayed = proxy.relayed().stream().map(r -> r.method() + " " + r.uri().getPath())
                    .collect(Collectors.toSet());
            assertThat(api).isNotEmpty();
            assertThat(others).isNotEmpty().allSatisfy(request -> assertThat(relayed).as("went through the proxy")
                    .contains(request.method() + " " + request.path()));
            assertThat(api).allSatisfy(request -> assertThat(relayed).as("the API is plain http on loopback: direct")
                    .doesNotContain(request.method() + " " + request.path()));
            assertThat(proxy.relayed()).hasSameSizeAs(others).allMatch(RecordingProxy.Relayed::authenticated)
                    .noneMatch(RecordingProxy.Relayed::carriedAuthorization);
            assertThat(relayed).anyMatch(r -> r.startsWith("PUT /blobs/"))
                    .anyMatch(r -> r.startsWith("GET /web/foo-staging/health"));
            assertThat(f.reporter.text()).doesNotContain("proxy-secret");
        }
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(f.sha);
    }

    @Test
    void nonProxyHosts_goDirect() throws Exception {
        try (RecordingProxy proxy = RecordingProxy.start();
                HerokuClient heroku = clientThrough(new HttpProxy("http", "127.0.0.1", proxy.port(), null, null,
                        "localhost|127.0.0.*"))) {
            deploy(heroku);

            assertThat(proxy.relayed()).isEmpty();
        }
        assertThat(f.sim.currentRelease("foo-staging").commit()).isEqualTo(f.sha);
    }

    @Test
    void proxySelection_followsProtocolThenHttp_andNeverShowsThePassword() {
        HttpProxy http = new HttpProxy("http", "proxy.example", 3128, "ci", "secret", "*.internal|build");
        HttpProxy https = new HttpProxy("https", "secure.example", 8443, null, null, null);
        assertThat(HttpProxy.forUri(List.of(http, https), java.net.URI.create("https://api.heroku.com/apps")))
                .contains(https);
        assertThat(HttpProxy.forUri(List.of(http), java.net.URI.create("https://api.heroku.com/apps")))
                .contains(http);
        assertThat(HttpProxy.forUri(List.of(http), java.net.URI.create("http://cache.internal/x"))).isEmpty();
        assertThat(HttpProxy.forUri(List.of(http), java.net.URI.create("http://BUILD/x"))).isEmpty();
        assertThat(http.toString()).contains("proxy.example:3128").doesNotContain("secret");
    }
}
