package io.github.herokupipeline.benchmark;

import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.HerokuClientConfig;
import io.github.herokupipeline.pipeline.common.Reporter;
import io.github.herokupipeline.pipeline.common.SourceSettings;
import io.github.herokupipeline.pipeline.common.Waiting;
import io.github.herokupipeline.pipeline.prepare.Preparation;
import io.github.herokupipeline.pipeline.prepare.PrepareSettings;
import io.github.herokupipeline.pipeline.promote.PromoteSettings;
import io.github.herokupipeline.pipeline.promote.Promotion;
import io.github.herokupipeline.simulator.HerokuSimulator;
import io.github.herokupipeline.simulator.RecordedRequest;
import io.github.herokupipeline.testing.QuietReporter;
import io.github.herokupipeline.testing.TestRepo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The three commit-to-production flows of the benchmark, each against a fresh simulator and a fresh commit:
 * (a) sequential build on each app, (b) a shell script's one-shot check, (c) this plugin. "Tests" and "smoke
 * checks" are the CI's own time, so they are sleeps.
 */
final class Flows {

    /** The scenario, scaled 1 minute to 1 second. */
    record Scenario(long testMillis, long buildMillis, long releasePhaseMillis, long smokeMillis) {
        double idealSeconds() {
            return (Math.max(testMillis, buildMillis) + 2 * releasePhaseMillis + 2 * smokeMillis) / 1000.0;
        }
    }

    /** One run: its total, plus for the plugin the build-to-promotion delay and the requests of one promote. */
    record Result(double seconds, Double actDelayMillis, Integer promoteRequests) {}

    private static final Reporter QUIET = new QuietReporter();

    private final Scenario scenario;
    private final Path workDir;

    Flows(Scenario scenario, Path workDir) {
        this.scenario = scenario;
        this.workDir = workDir;
    }

    private HerokuSimulator simulator() throws IOException {
        HerokuSimulator.Timing timing = new HerokuSimulator.Timing();
        timing.buildMillis = scenario.buildMillis();
        timing.promotionMillis = 50;
        timing.statusLagMillis = 30;
        HerokuSimulator sim = HerokuSimulator.start(timing);
        sim.createStandardPipeline("bench");
        sim.appHandle("bench-staging").releasePhase(scenario.releasePhaseMillis(), false);
        sim.appHandle("bench-production").releasePhase(scenario.releasePhaseMillis(), false);
        return sim;
    }

    private Path commit(String name) throws IOException {
        Path root = workDir.resolve(name + "-" + System.nanoTime());
        TestRepo.init(root).write("pom.xml", "<project/>").write("Procfile", "web: java -jar app.jar\n")
                .commitAll("benchmark commit " + name);
        return root;
    }

    private static HerokuClient client(HerokuSimulator sim) {
        return new HerokuClient(HerokuClientConfig.builder(sim.apiUrl(), HerokuSimulator.DEFAULT_KEY).build());
    }

    /** (a) Test, build on staging, smoke, build on production, smoke. */
    Result sequential() throws Exception {
        Path repo = commit("sequential");
        try (HerokuSimulator sim = simulator(); HerokuClient heroku = client(sim);
                CliSteps shell = new CliSteps(heroku, repo)) {
            Instant start = Instant.now();
            sleep(scenario.testMillis());
            shell.buildOn("bench-staging");
            sleep(scenario.smokeMillis());
            shell.buildOn("bench-production");
            sleep(scenario.smokeMillis());
            return new Result(since(start), null, null);
        }
    }

    /**
     * (b) A shell script's approach: start the prepare build in parallel with the tests; at each deploy step,
     * promote only if the prepare app's current slug is already this commit, else build on the target.
     */
    Result oneShot() throws Exception {
        Path repo = commit("one-shot");
        try (HerokuSimulator sim = simulator(); HerokuClient heroku = client(sim);
                CliSteps shell = new CliSteps(heroku, repo)) {
            Instant start = Instant.now();
            shell.startBuild("bench-prepare");
            sleep(scenario.testMillis());
            for (String target : List.of("bench-staging", "bench-production")) {
                if (shell.prepareCurrentIsCommit("bench-prepare")) {
                    shell.promoteCurrent("bench-prepare", target);
                } else {
                    shell.buildOn(target);
                }
                sleep(scenario.smokeMillis());
            }
            return new Result(since(start), null, null);
        }
    }

    /** (c) The plugin: prepare, tests, promote to staging, smoke, promote to production, smoke. */
    Result plugin() throws Exception {
        Path repo = commit("plugin");
        try (HerokuSimulator sim = simulator(); HerokuClient heroku = client(sim)) {
            Waiting waiting = Waiting.system();
            SourceSettings source = new SourceSettings(repo, null, null, false, repo.resolve("target/hp"));
            Instant start = Instant.now();
            new Preparation(heroku, QUIET, waiting).prepare(new PrepareSettings("bench-prepare", source, List.of(),
                    true));
            sleep(scenario.testMillis());
            int before = sim.apiRequests().size();
            promote(heroku, waiting, source, "bench-staging");
            int promoteRequests = sim.apiRequests().size() - before;
            sleep(scenario.smokeMillis());
            promote(heroku, waiting, source, "bench-production");
            sleep(scenario.smokeMillis());
            double total = since(start);
            Instant built = sim.builds("bench-prepare").get(0).finishedAt();
            Optional<Instant> promoted = sim.apiRequests().stream()
                    .filter(r -> r.is("POST", "/pipeline-promotions")).map(RecordedRequest::at).findFirst();
            Double delay = promoted.map(p -> Duration.between(built, p).toNanos() / 1e6).orElse(null);
            return new Result(total, delay, promoteRequests);
        }
    }

    private static void promote(HerokuClient heroku, Waiting waiting, SourceSettings source, String target)
            throws Exception {
        new Promotion(heroku, QUIET, waiting).promote(new PromoteSettings("bench-prepare", List.of(target), source,
                PromoteSettings.OnMissingPrepare.BUILD, PromoteSettings.OnPrepareFailure.FAIL,
                Duration.ofMinutes(5), Duration.ofMinutes(5), false, List.of(), null));
    }

    private static double since(Instant start) {
        return Duration.between(start, Instant.now()).toMillis() / 1000.0;
    }

    static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }
}
