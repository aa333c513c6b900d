package io.github.herokupipeline.demo;

import io.github.herokupipeline.demo.Demo.Bar;
import io.github.herokupipeline.demo.Demo.Flow;
import io.github.herokupipeline.simulator.HerokuSimulator;
import io.github.herokupipeline.simulator.HerokuSimulator.SimBuild;
import io.github.herokupipeline.simulator.RecordedRequest;
import io.github.herokupipeline.testing.TestRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The benchmark's main table (not a test): commit to production measured end to end through real Maven runs of a
 * sample project, as the demo runs them, Maven start-ups included. The seed's proportions (tests 3.5 s, build 8 s,
 * release phase 0.5 s, smoke check 1 s per app; 1 minute = 1 second) with a compile step of a few seconds; on
 * loopback, and on a real network (100 ms per request, a 20 MB/s uplink, a 50 MB repository). Flows: building on
 * each app after the tests; the plugin with prepare at test-compile (the default); the plugin with prepare at
 * initialize. Prints tables and writes {@code target/benchmark/timeline.svg}; asserts nothing.
 */
public final class EndToEndBenchmark {

    private static final long BUILD_MILLIS = 8000;
    private static final long RELEASE_MILLIS = 500;
    private static final long SMOKE_BOOT_MILLIS = 1000;
    private static final int GENERATED_CLASSES = 1500;

    private record Variant(String name, long latencyMillis, long uploadBytesPerSecond, int repositoryMegabytes) {}

    private record Kind(String name, boolean prepare, String phase) {}

    /** One measured run: the flow, how long prepare held Maven up, and the standalone promote's round trips. */
    private record Run(Flow flow, double prepareBlockedSeconds, int promoteRoundTrips) {}

    public static void main(String[] args) throws Exception {
        Path basedir = Path.of(args[0]);
        String pluginVersion = args[3];
        int runs = Integer.getInteger("benchmark.runs", 3);
        List<String> properties = new ArrayList<>(Arrays.asList(args).subList(4, args.length));
        properties.add("-Dheroku-pipeline.version=" + pluginVersion);
        Path work = basedir.resolve("target/benchmark");
        NestedMaven maven = new NestedMaven(Path.of(System.getProperty("maven.home")), work, Path.of(args[1]),
                Path.of(args[2]), properties);
        System.out.println("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + "; " + runs + " runs per flow, alternating");
        List<Kind> kinds = List.of(new Kind("building on each app", false, "test-compile"),
                new Kind("plugin, prepare at test-compile", true, "test-compile"),
                new Kind("plugin, prepare at initialize", true, "initialize"));
        List<Flow> pictured = new ArrayList<>();
        for (Variant variant : List.of(new Variant("loopback", 0, 0, 0),
                new Variant("real network: 100 ms per request, 20 MB/s up, 50 MB repository", 100,
                        20L * 1024 * 1024, 50))) {
            Path app = sample(basedir, work.resolve("sample-" + variant.repositoryMegabytes()), variant);
            String sha = TestRepo.open(app).git("rev-parse", "HEAD").strip();
            check(maven.run(app, Map.of(), (m, l) -> { }, "-q", "-Dheroku.skip=true", "test-compile"), "warm-up");
            Map<Kind, List<Run>> results = new LinkedHashMap<>();
            for (int run = 0; run < runs; run++) {
                for (Kind kind : kinds) {
                    results.computeIfAbsent(kind, k -> new ArrayList<>()).add(run(maven, app, sha, pluginVersion,
                            kind, variant));
                }
            }
            print(variant, results);
            if (variant.latencyMillis() == 0) {
                results.values().forEach(list -> pictured.add(list.get(list.size() - 1).flow()));
            }
        }
        Path svg = work.resolve("timeline.svg");
        Files.writeString(svg, Timeline.svg(pictured), StandardCharsets.UTF_8);
        System.out.println("\nTimeline of the last loopback run of each flow: " + svg);
    }

    /** The demo's sample with generated sources (a compile step of a few seconds) and, if asked, a large file. */
    private static Path sample(Path basedir, Path to, Variant variant) throws Exception {
        Path app = Demo.copySampleApp(basedir.resolve("src/demo/sample-app"), to);
        for (int i = 0; i < GENERATED_CLASSES; i++) {
            Path source = app.resolve("src/main/java/demo/generated/Generated" + i + ".java");
            Files.createDirectories(source.getParent());
            Files.writeString(source, "package demo.generated;\n\npublic final class Generated" + i + " {\n"
                    + "    public static int value(int x) {\n        return java.util.List.of(x, " + i
                    + ").stream().mapToInt(Integer::intValue).sum();\n    }\n}\n", StandardCharsets.UTF_8);
        }
        if (variant.repositoryMegabytes() > 0) {
            byte[] data = new byte[variant.repositoryMegabytes() * 1024 * 1024];
            new Random(7).nextBytes(data);
            Files.write(app.resolve("assets.bin"), data);
        }
        TestRepo.init(app).commitAll("Benchmark sample");
        return app;
    }

    private static Run run(NestedMaven maven, Path app, String sha, String pluginVersion, Kind kind,
            Variant variant) throws Exception {
        HerokuSimulator.Timing timing = new HerokuSimulator.Timing();
        timing.buildMillis = BUILD_MILLIS;
        timing.promotionMillis = 300;
        timing.latencyMillis = variant.latencyMillis();
        timing.uploadBytesPerSecond = variant.uploadBytesPerSecond();
        try (HerokuSimulator sim = HerokuSimulator.start(timing)) {
            sim.createStandardPipeline("demo");
            sim.appHandle("demo-staging").releasePhase(RELEASE_MILLIS, false);
            sim.appHandle("demo-production").releasePhase(RELEASE_MILLIS, false);
            sim.webApp(sha, 200, "{\"status\":\"ok\"}", SMOKE_BOOT_MILLIS);
            Map<String, String> env = Map.of("HEROKU_API_KEY", HerokuSimulator.DEFAULT_KEY);
            List<String> common = List.of("-Dheroku.apiUrl=" + sim.apiUrl(), "-Dheroku.smokeUrl="
                    + sim.localWebUrl("{app}"), "-Dheroku.prepare.skip=" + !kind.prepare(),
                    "-Dheroku.prepare.phase=" + kind.phase());
            double[] prepareBlocked = {0};
            long[] prepareStarted = {-1};
            Instant origin = Instant.now();
            List<String> deploy = new ArrayList<>(common);
            deploy.addAll(List.of("deploy", "-Pstaging"));
            check(maven.run(app, env, (millis, line) -> {
                if (line.contains("--- heroku-pipeline:") && line.contains(":prepare ")) {
                    prepareStarted[0] = millis;
                } else if (prepareStarted[0] >= 0 && line.startsWith("[INFO] --- ")) {
                    prepareBlocked[0] = (millis - prepareStarted[0]) / 1000.0;
                    prepareStarted[0] = -1;
                }
            }, deploy.toArray(String[]::new)), "deploy");
            double staged = seconds(origin);
            Instant promoteStart = Instant.now();
            List<String> promote = new ArrayList<>(common);
            promote.addAll(List.of("io.github.herokupipeline:heroku-pipeline-maven-plugin:" + pluginVersion
                    + ":promote", "-Pproduction"));
            check(maven.run(app, env, (millis, line) -> { }, promote.toArray(String[]::new)), "promote");
            double total = seconds(origin);
            List<RecordedRequest> promoteRequests = sim.requests().stream()
                    .filter(r -> !r.received().isBefore(promoteStart) && !r.path().startsWith("/web/")).toList();
            List<Bar> bars = new ArrayList<>();
            bars.add(new Bar("mvn deploy -Pstaging", 0, staged, false));
            bars.add(new Bar("mvn heroku-pipeline:promote -Pproduction", staged, total, false));
            for (String name : List.of("demo-prepare", "demo-staging", "demo-production")) {
                for (SimBuild build : sim.builds(name)) {
                    bars.add(new Bar("  Heroku build on " + name, Duration.between(origin, build.createdAt())
                            .toMillis() / 1000.0, Duration.between(origin, build.finishedAt() == null
                                    ? Instant.now() : build.finishedAt()).toMillis() / 1000.0, true));
                }
            }
            return new Run(new Flow(kind.name(), bars, total), prepareBlocked[0],
                    RecordedRequest.sequentialRoundTrips(promoteRequests));
        }
    }

    private static void print(Variant variant, Map<Kind, List<Run>> results) {
        double baseline = median(results.values().iterator().next().stream().map(r -> r.flow().total()).toList());
        System.out.printf("%nCommit to production end to end, %s: tests 3.5 s, compile of %d classes, Heroku build"
                + " 8 s, release phase 0.5 s, smoke check (app boot) 1 s per app%n", variant.name(), GENERATED_CLASSES);
        System.out.println("| flow | median | min | max | vs building on each app | prepare blocks Maven |"
                + " promote round trips |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Map.Entry<Kind, List<Run>> entry : results.entrySet()) {
            List<Double> totals = entry.getValue().stream().map(r -> r.flow().total()).toList();
            double median = median(totals);
            System.out.printf("| %s | %.2f s | %.2f s | %.2f s | %.2fx | %s | %s |%n", entry.getKey().name(), median,
                    totals.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                    totals.stream().mapToDouble(Double::doubleValue).max().orElse(0), baseline / median,
                    entry.getKey().prepare() ? String.format("%.2f s", median(entry.getValue().stream()
                            .map(Run::prepareBlockedSeconds).toList())) : "-",
                    entry.getKey().prepare() ? String.valueOf(entry.getValue().stream()
                            .mapToInt(Run::promoteRoundTrips).max().orElse(0)) : "-");
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static double seconds(Instant since) {
        return Duration.between(since, Instant.now()).toMillis() / 1000.0;
    }

    private static void check(int exitCode, String what) {
        if (exitCode != 0) {
            throw new IllegalStateException(what + " failed (exit code " + exitCode + ")");
        }
    }
}
