package io.github.herokupipeline.testing;

import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.HerokuClientConfig;
import io.github.herokupipeline.heroku.Sleeper;
import io.github.herokupipeline.pipeline.common.PrepareRecord;
import io.github.herokupipeline.pipeline.common.SourcePackager;
import io.github.herokupipeline.pipeline.common.SourceSettings;
import io.github.herokupipeline.pipeline.common.Waiting;
import io.github.herokupipeline.pipeline.prepare.Preparation;
import io.github.herokupipeline.pipeline.prepare.PrepareSettings;
import io.github.herokupipeline.pipeline.promote.PromoteReport;
import io.github.herokupipeline.pipeline.promote.PromoteSettings;
import io.github.herokupipeline.pipeline.promote.Promotion;
import io.github.herokupipeline.simulator.HerokuSimulator;
import io.github.herokupipeline.source.SourceArchive;
import io.github.herokupipeline.testing.RecordingReporter;
import io.github.herokupipeline.testing.TestRepo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** A simulator with pipeline "foo", a committed sample app, a client and a recording reporter. */
public final class PipelineFixture implements AutoCloseable {

    public final HerokuSimulator sim;
    public final TestRepo repo;
    public final String sha;
    public final HerokuClient client;
    public final RecordingReporter reporter = new RecordingReporter();
    public final Waiting waiting = new Waiting(Clock.systemUTC(), Sleeper.system(), Duration.ofMillis(300));

    public final String generation;

    public PipelineFixture(Path temp) throws IOException {
        this(temp, "cedar");
    }

    /** The same world on apps of {@code generation}: {@code cedar} (slugs) or {@code fir} (OCI images). */
    public PipelineFixture(Path temp, String generation) throws IOException {
        this.generation = generation;
        sim = HerokuSimulator.start();
        sim.createStandardPipeline("foo", "foo-production-eu");
        sim.useGeneration("foo", generation);
        repo = TestRepo.init(temp.resolve("app"));
        repo.write("pom.xml", "<project/>").write("Procfile", "web: java -jar target/app.jar\n")
                .write(".gitignore", ".env\ntarget/\n");
        sha = repo.commitAll("Add the app");
        repo.write(".env", "SECRET=1");
        client = new HerokuClient(HerokuClientConfig.builder(sim.apiUrl(), HerokuSimulator.DEFAULT_KEY)
                .debugLog(reporter::debug).build());
    }

    /** What a release runs on this generation, as the plugin's messages name it. */
    public String artifactNoun() {
        return "fir".equals(generation) ? "image" : "slug";
    }

    /** The source_blob.checksum any prepare of HEAD sends: the plugin's archive of a commit is reproducible. */
    public String checksumOfHead() throws Exception {
        SourcePackager packager = new SourcePackager(source(), reporter, waiting);
        try (SourceArchive archive = packager.writeArchive(packager.commit())) {
            return archive.checksum();
        }
    }

    public SourceSettings source() {
        return new SourceSettings(repo.root(), null, null, false, repo.root().resolve("target/heroku-pipeline"));
    }

    public PrepareRecord prepare() throws Exception {
        return new Preparation(client, reporter, waiting).prepare(new PrepareSettings("foo-prepare", source(),
                List.of(), false));
    }

    public PromoteSettings promoteTo(String... targets) {
        return new PromoteSettings("foo-prepare", List.of(targets), source(),
                PromoteSettings.OnMissingPrepare.BUILD, PromoteSettings.OnPrepareFailure.FAIL, Duration.ofSeconds(20),
                Duration.ofSeconds(20), false, List.of(), null);
    }

    public PromoteReport promote(PromoteSettings settings) throws Exception {
        return new Promotion(client, reporter, waiting).promote(settings);
    }

    @Override
    public void close() throws IOException {
        client.close();
        sim.close();
    }
}
