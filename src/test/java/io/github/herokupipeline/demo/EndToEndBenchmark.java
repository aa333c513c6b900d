package io.github.herokupipeline.demo;

import io.github.herokupipeline.benchmark.CliSteps;
import io.github.herokupipeline.demo.Demo.Bar;
import io.github.herokupipeline.demo.Demo.Flow;
import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.HerokuClientConfig;
import io.github.herokupipeline.simulator.HerokuSimulator.SimBuild;
import io.github.herokupipeline.simulator.HerokuSimulator;
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
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The benchmark's main table (not a test): commit to production measured end to end through real Maven runs of a
 * sample project, as the demo runs them, Maven start-ups included. The seed's proportions (tests 3.5 s, build 8 s,
 * release phase 0.5 s, smoke check 1 s per app; 1 minute = 1 second) with a compile step from a clean checkout; on
 * loopback, and on a real network (100 ms per request, a 20 MB/s uplink), with the sample as it is and with a 50 MB
 * repository. Each round measures Maven without the plugin (the floor) just before and just after its quick-start run,
 * then runs the other flows. Flows: building on
 * each app after the tests; the seed's script (a parallel job pushes to the prepare app while a Maven job tests,
 * then a deploy job checks the prepare app's slug once and promotes it with the CLI, whose start-up is counted per
 * command); the plugin as the quick start runs it (deploy to staging, then a standalone promote to production), and
 * in one Maven run to staging then production, with prepare at test-compile and at initialize. Prints tables and
 * writes {@code target/benchmark/timeline.svg}; asserts nothing.
 */
public final class EndToEndBenchmark {

    private static final long BUILD_MILLIS = 8000;
    private static final long RELEASE_MILLIS = 500;
    private static final long SMOKE_BOOT_MILLIS = 1000;
    private static final int GENERATED_CLASSES = 400;
    private static final List<String> TARGETS = List.of("demo-staging", "demo-production");

    /** A network and repository to measure on; {@code key} is how -Dbenchmark.variants names it. */
    private record Variant(String key, String name, long latencyMillis, long uploadBytesPerSecond,
            int repositoryMegabytes) {}

    /** How a flow reaches production. */
    private enum Shape {
        /** {@code mvn deploy -Pstaging}, then {@code mvn heroku-pipeline:promote -Pproduction}. */
        TWO_RUNS,
        /** One {@code mvn deploy} to staging, smoke check, then production. */
        ONE_RUN,
        /** The seed's shell script: a push job and a Maven test job in parallel, then a deploy job. */
        SCRIPT
    }

    private record Kind(String name, Shape shape, boolean prepare, String phase) {}

    /**
     * One measured run: the flow, when the prepare app's build started, how long prepare held Maven up, and the
     * standalone promote's round trips.
     */
    private record Run(Flow flow, Double prepareBuildStartSeconds, Double prepareBlockedSeconds,
            Integer promoteRoundTrips, Breakdown breakdown) {

        /** The same run against {@code floor}. */
        Run against(MavenFloor floor) {
            return breakdown == null ? this : new Run(flow, prepareBuildStartSeconds, prepareBlockedSeconds,
                    promoteRoundTrips, breakdown.withMavenFloors(floor.bareStart(), floor.testsEnd()));
        }
    }

    /**
     * What Maven needs without the plugin, measured in each round just before and just after its quick-start run, so
     * that the run is compared with a floor taken under the same conditions of the machine (the mean of the two): a
     * bare Maven start, and Maven's start to the end of the tests in {@code mvn verify} of a fresh checkout.
     */
    private record MavenFloor(double bareStart, double testsEnd) {

        /**
         * Two of each, their mean: a single Maven run of the same work varies from one run to the next about as much
         * as a quick-start run does, and the floor is compared with one such run.
         */
        static MavenFloor measure(NestedMaven maven, Path app) throws Exception {
            return new MavenFloor(Breakdown.bareMavenStart(maven, app, 2), Breakdown.testsEndWithoutPlugin(maven, app,
                    2));
        }

        /** The mean of two measures, one taken just before a round's quick start and one just after. */
        MavenFloor meanWith(MavenFloor other) {
            return new MavenFloor((bareStart + other.bareStart) / 2, (testsEnd + other.testsEnd) / 2);
        }
    }

    public static void main(String[] args) throws Exception {
        Path basedir = Path.of(args[0]);
        String pluginVersion = args[3];
        int runs = Integer.getInteger("benchmark.runs", 3);
        long cliStartupMillis = Long.getLong("benchmark.cliStartupMillis", 1500);
        // for comparing two versions of the code quickly: only the quick start's flow, only some variants
        boolean quickStartOnly = "quick-start".equals(System.getProperty("benchmark.only", ""));
        List<String> variantNames = Arrays.stream(System.getProperty("benchmark.variants", "").split(","))
                .map(String::strip).filter(name -> !name.isEmpty() && !name.equals("all")).toList();
        List<String> properties = new ArrayList<>(Arrays.asList(args).subList(4, args.length));
        properties.add("-Dheroku-pipeline.version=" + pluginVersion);
        Path work = basedir.resolve("target/benchmark");
        NestedMaven maven = new NestedMaven(Path.of(System.getProperty("maven.home")), work, Path.of(args[1]),
                Path.of(args[2]), properties);
        System.out.println("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + "; " + runs + " runs per flow, alternating; Heroku CLI"
                + " start-up counted as " + cliStartupMillis + " ms per command");
        List<Kind> allKinds = List.of(new Kind("building on each app", Shape.TWO_RUNS, false, "test-compile"),
                new Kind("seed's script: parallel push, one-shot check, CLI promote", Shape.SCRIPT, false,
                        "none"),
                new Kind("plugin, two runs, prepare at test-compile", Shape.TWO_RUNS, true, "test-compile"),
                new Kind("plugin, one run, prepare at test-compile", Shape.ONE_RUN, true, "test-compile"),
                new Kind("plugin, one run, prepare at initialize", Shape.ONE_RUN, true, "initialize"));
        List<Kind> kinds = quickStartOnly ? allKinds.subList(allKinds.size() - 1, allKinds.size()) : allKinds;
        if (!quickStartOnly) {
            System.out.printf("The plugin's own start-up (Maven resolves it, makes its class realm and runs its help"
                    + " goal, from that goal's first log line to the next): %.2f s, median of %d%n",
                    pluginStartup(maven, basedir, work, pluginVersion, runs), runs);
        }
        List<Flow> pictured = new ArrayList<>();
        List<Variant> variants = List.of(new Variant("loopback", "loopback", 0, 0, 0),
                new Variant("real", "real network: 100 ms per request, 20 MB/s up", 100, 20L * 1024 * 1024, 0),
                new Variant("real-50mb", "real network with a 50 MB repository: 100 ms per request, 20 MB/s up", 100,
                        20L * 1024 * 1024, 50));
        for (Variant variant : variants) {
            if (!variantNames.isEmpty() && !variantNames.contains(variant.key())) {
                continue;
            }
            Path app = sample(basedir, work.resolve("sample-" + variants.indexOf(variant)), variant);
            String sha = TestRepo.open(app).git("rev-parse", "HEAD").strip();
            check(maven.run(app, Map.of(), (m, l) -> { }, "-q", "-Dheroku.skip=true", "test-compile"), "warm-up");
            Map<Kind, List<Run>> results = new LinkedHashMap<>();
            List<MavenFloor> floors = new ArrayList<>();
            Kind quickStart = kinds.get(kinds.size() - 1);
            for (int run = 0; run < runs; run++) {
                // the machine's speed drifts: Maven without the plugin is measured just before and just after the
                // quick start, the one flow compared with it, and that run is compared with the mean of the two; the
                // other flows, compared only with each other, follow
                MavenFloor before = MavenFloor.measure(maven, app);
                Map<Kind, Run> measured = new LinkedHashMap<>();
                measured.put(quickStart, run(maven, app, sha, pluginVersion, quickStart, variant, cliStartupMillis,
                        before));
                MavenFloor floor = before.meanWith(MavenFloor.measure(maven, app));
                floors.add(floor);
                for (Kind kind : kinds.subList(0, kinds.size() - 1)) {
                    measured.put(kind, run(maven, app, sha, pluginVersion, kind, variant, cliStartupMillis, floor));
                }
                for (Kind kind : kinds) {
                    results.computeIfAbsent(kind, k -> new ArrayList<>()).add(measured.get(kind).against(floor));
                }
            }
            print(variant, results, floors);
            if (variant.latencyMillis() == 0) {
                results.values().forEach(list -> pictured.add(list.get(list.size() - 1).flow()));
            }
        }
        if (pictured.isEmpty()) {
            return;
        }
        Path svg = work.resolve("timeline.svg");
        Files.writeString(svg, Timeline.svg(pictured), StandardCharsets.UTF_8);
        System.out.println("\nTimeline of the last loopback run of each flow: " + svg);
    }

    /** How long the help goal holds Maven up: what any goal of the plugin pays before its own work. */
    private static double pluginStartup(NestedMaven maven, Path basedir, Path work, String pluginVersion, int runs)
            throws Exception {
        Path app = Demo.copySampleApp(basedir.resolve("src/demo/sample-app"), work.resolve("sample-startup"));
        return Breakdown.medianOf(runs, () -> {
            GoalHold help = new GoalHold("help");
            check(maven.run(app, Map.of(), help, "io.github.herokupipeline:heroku-pipeline-maven-plugin:"
                    + pluginVersion + ":help"), "help");
            return help.seconds() == null ? 0 : help.seconds();
        });
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
            Variant variant, long cliStartupMillis, MavenFloor floor) throws Exception {
        HerokuSimulator.Timing timing = new HerokuSimulator.Timing();
        timing.buildMillis = BUILD_MILLIS;
        timing.promotionMillis = 300;
        timing.latencyMillis = variant.latencyMillis();
        timing.uploadBytesPerSecond = variant.uploadBytesPerSecond();
        try (HerokuSimulator sim = HerokuSimulator.start(timing)) {
            sim.createStandardPipeline("demo");
            for (String target : TARGETS) {
                sim.appHandle(target).releasePhase(RELEASE_MILLIS, false);
            }
            sim.webApp(sha, 200, "{\"status\":\"ok\"}", SMOKE_BOOT_MILLIS);
            Instant origin = Instant.now();
            List<Bar> bars = new ArrayList<>();
            MavenRuns runs = new MavenRuns(maven, app, sim, kind, origin, bars);
            Integer roundTrips = null;
            switch (kind.shape()) {
                case TWO_RUNS -> {
                    runs.deploy("mvn deploy -Pstaging", "-Pstaging");
                    Instant promoteStart = Instant.now();
                    runs.maven("mvn heroku-pipeline:promote -Pproduction", "io.github.herokupipeline:"
                            + "heroku-pipeline-maven-plugin:" + pluginVersion + ":promote", "-Pproduction");
                    roundTrips = RecordedRequest.sequentialRoundTrips(sim.requests().stream()
                            .filter(r -> !r.received().isBefore(promoteStart) && !r.path().startsWith("/web/"))
                            .toList());
                }
                case ONE_RUN -> runs.deploy("mvn deploy: staging, then production",
                        "-Dheroku.targetApps=" + String.join(",", TARGETS));
                case SCRIPT -> seedScript(runs, sim, app, cliStartupMillis);
            }
            double total = seconds(origin);
            for (String name : List.of("demo-prepare", "demo-staging", "demo-production")) {
                for (SimBuild build : sim.builds(name)) {
                    bars.add(new Bar("  Heroku build on " + name, since(origin, build.createdAt()),
                            since(origin, build.finishedAt() == null ? Instant.now() : build.finishedAt()), true));
                }
            }
            Double buildStart = sim.builds("demo-prepare").stream().findFirst()
                    .map(build -> since(origin, build.createdAt())).orElse(null);
            Breakdown breakdown = kind.shape() == Shape.ONE_RUN && kind.prepare() ? Breakdown.of(sim, origin,
                    "demo-prepare", TARGETS, runs.prepareStartedAt, runs.testsEndedAt, runs.promoteStartedAt, total,
                    new Breakdown.Floors(floor.bareStart(), floor.testsEnd(), BUILD_MILLIS / 1000.0,
                            timing.promotionMillis / 1000.0, RELEASE_MILLIS / 1000.0, SMOKE_BOOT_MILLIS / 1000.0))
                    : null;
            return new Run(new Flow(kind.name(), bars, total), buildStart, kind.prepare() ? runs.prepareBlocked
                    : null, roundTrips, breakdown);
        }
    }

    /**
     * The seed's script: the push job (git push to the prepare app: upload, build, wait for it) and the test job
     * ({@code mvn clean verify}) run side by side; when both are done the deploy job checks once that the prepare
     * app's current slug is this commit, then promotes it to each target with the CLI (its start-up counted per
     * command) and polls the target's URL like curl. A mismatch builds on the targets instead.
     */
    private static void seedScript(MavenRuns runs, HerokuSimulator sim, Path app, long cliStartupMillis)
            throws Exception {
        try (HerokuClient heroku = new HerokuClient(HerokuClientConfig.builder(sim.apiUrl(),
                HerokuSimulator.DEFAULT_KEY).build()); CliSteps cli = new CliSteps(heroku, app)) {
            ExecutorService pushJob = Executors.newSingleThreadExecutor();
            try {
                Future<Double> pushed = pushJob.submit(() -> {
                    cli.buildOn("demo-prepare");
                    return seconds(runs.origin);
                });
                Demo.deleteTarget(app); // a fresh checkout
                runs.maven("test job: mvn verify", "verify"); // prepare bound to "none": no plugin
                runs.bars.add(new Bar("push job: git push to demo-prepare", 0, pushed.get(), false));
            } finally {
                pushJob.shutdown();
            }
            double deployStart = seconds(runs.origin);
            Thread.sleep(cliStartupMillis);
            boolean prepared = cli.prepareCurrentIsCommit("demo-prepare");
            for (String target : TARGETS) {
                Thread.sleep(cliStartupMillis);
                if (prepared) {
                    cli.promoteCurrent("demo-prepare", target);
                } else {
                    cli.buildOn(target);
                }
                CliSteps.awaitOk(sim.localWebUrl(target));
            }
            runs.bars.add(new Bar("deploy job: check, promote, smoke (CLI, curl)", deployStart,
                    seconds(runs.origin), false));
        }
    }

    /** The Maven runs of one flow, each drawn as a bar, and how long prepare held Maven up in them. */
    private static final class MavenRuns {
        private final NestedMaven maven;
        private final Path app;
        private final Kind kind;
        private final Instant origin;
        private final List<Bar> bars;
        private final List<String> common;
        private double prepareBlocked;
        private Double prepareStartedAt;
        private double testsEndedAt;
        private Double promoteStartedAt;

        MavenRuns(NestedMaven maven, Path app, HerokuSimulator sim, Kind kind, Instant origin, List<Bar> bars) {
            this.maven = maven;
            this.app = app;
            this.kind = kind;
            this.origin = origin;
            this.bars = bars;
            this.common = List.of("-Dheroku.apiUrl=" + sim.apiUrl(), "-Dheroku.smokeUrl="
                    + sim.localWebUrl("{app}"), "-Dheroku.prepare.skip=" + !kind.prepare(),
                    "-Dheroku.prepare.phase=" + kind.phase());
        }

        /** {@code mvn deploy} from a fresh checkout, as CI runs it: no {@code target/} yet. */
        void deploy(String label, String... arguments) throws Exception {
            Demo.deleteTarget(app);
            List<String> all = new ArrayList<>(List.of("deploy"));
            all.addAll(List.of(arguments));
            maven(label, all.toArray(String[]::new));
        }

        void maven(String label, String... arguments) throws Exception {
            double start = seconds(origin);
            List<String> all = new ArrayList<>(common);
            all.addAll(List.of(arguments));
            GoalHold prepare = new GoalHold("prepare");
            GoalHold promote = new GoalHold("promote");
            BiConsumer<Long, String> lines = prepare.andThen(promote).andThen((millis, line) -> {
                if (line.startsWith("DEMO: tests end")) {
                    testsEndedAt = start + millis / 1000.0;
                }
            });
            check(maven.run(app, Map.of("HEROKU_API_KEY", HerokuSimulator.DEFAULT_KEY), lines,
                    all.toArray(String[]::new)), label);
            if (prepare.seconds() != null) {
                prepareBlocked = prepare.seconds();
            }
            if (prepare.firstStartSeconds() != null && prepareStartedAt == null) {
                prepareStartedAt = start + prepare.firstStartSeconds();
            }
            if (promote.firstStartSeconds() != null) {
                promoteStartedAt = start + promote.firstStartSeconds();
            }
            bars.add(new Bar(label, start, seconds(origin), false));
        }
    }

    private static void print(Variant variant, Map<Kind, List<Run>> results, List<MavenFloor> floors) {
        List<List<Run>> flows = new ArrayList<>(results.values());
        // without the first two flows (-Dbenchmark.only=quick-start) the ratios to them are not known: NaN
        double baseline = flows.size() < 2 ? Double.NaN
                : Breakdown.median(flows.get(0).stream().map(r -> r.flow().total()).toList());
        double script = flows.size() < 2 ? Double.NaN
                : Breakdown.median(flows.get(1).stream().map(r -> r.flow().total()).toList());
        System.out.printf("%nCommit to production end to end, %s: tests 3.5 s after a clean compile of %d classes,"
                + " Heroku build 8 s, release phase 0.5 s, smoke check (app boot) 1 s per app%n", variant.name(),
                GENERATED_CLASSES);
        System.out.println("| flow | median | min | max | vs building on each app | vs seed's script"
                + " | prepare build starts | prepare blocks Maven | promote's sequential requests |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Map.Entry<Kind, List<Run>> entry : results.entrySet()) {
            List<Run> runs = entry.getValue();
            List<Double> totals = runs.stream().map(r -> r.flow().total()).toList();
            double median = Breakdown.median(totals);
            System.out.printf("| %s | %.2f s | %.2f s | %.2f s | %.2fx | %.2fx | %s | %s | %s |%n",
                    entry.getKey().name(), median, totals.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                    totals.stream().mapToDouble(Double::doubleValue).max().orElse(0), baseline / median,
                    script / median, medianSeconds(runs, Run::prepareBuildStartSeconds),
                    medianSeconds(runs, Run::prepareBlockedSeconds), runs.get(0).promoteRoundTrips() == null ? "-"
                            : String.valueOf(runs.stream().mapToInt(Run::promoteRoundTrips).max().orElse(0)));
        }
        System.out.printf("%nWithout the plugin, each round (the mean of a measure just before its quick start and one"
                + " just after): a bare Maven start took %s s; mvn verify ended its tests %s s after Maven started%n",
                eachRound(floors, MavenFloor::bareStart), eachRound(floors, MavenFloor::testsEnd));
        printBreakdown(variant, flows.get(flows.size() - 1), script);
    }

    /**
     * The quick start's breakdown, of its median run over its own round's floor, and the spread of all its runs
     * against the floor and the script (issue targets).
     */
    private static void printBreakdown(Variant variant, List<Run> quickStart, double script) {
        List<Run> byOver = quickStart.stream().filter(run -> run.breakdown() != null)
                .sorted(java.util.Comparator.comparingDouble(EndToEndBenchmark::overFloor)).toList();
        if (byOver.isEmpty()) {
            return;
        }
        Run median = byOver.get(byOver.size() / 2);
        Breakdown.Floors floors = median.breakdown().floors();
        System.out.printf("%nWhere the quick start's time goes, %s (its median run; in its round a bare Maven start"
                + " took %.2f s, and mvn verify without the plugin ended its tests %.2f s after Maven started):%n",
                variant.name(), floors.bareMavenStart(), floors.testsEndWithoutPlugin());
        median.breakdown().table().forEach(System.out::println);
        List<Double> over = byOver.stream().map(EndToEndBenchmark::overFloor).toList();
        System.out.printf("Quick start over its floor: median %.1f%% (runs %s); %.2fx the seed's script%n",
                Breakdown.median(over), over.stream().map(v -> String.format("%.1f%%", v)).toList(),
                script / Breakdown.median(byOver.stream().map(run -> run.flow().total()).toList()));
        List<Double> plugin = byOver.stream().map(run -> 100 * run.breakdown().pluginOver()
                / run.breakdown().floorTotal()).sorted().toList();
        System.out.printf("The same without Maven's own goals after the tests (jar, install, deploy; not in the floor):"
                + " median %.1f%% (runs %s)%n", Breakdown.median(plugin), plugin.stream()
                        .map(v -> String.format("%.1f%%", v)).toList());
    }

    /** One figure of each round's floor, in seconds with two decimals. */
    private static List<String> eachRound(List<MavenFloor> floors,
            java.util.function.ToDoubleFunction<MavenFloor> figure) {
        return floors.stream().map(floor -> String.format("%.2f", figure.applyAsDouble(floor))).toList();
    }

    /** How far a run is over the floor of its own round, in percent. */
    private static double overFloor(Run run) {
        return 100 * (run.flow().total() - run.breakdown().floorTotal()) / run.breakdown().floorTotal();
    }

    private static String medianSeconds(List<Run> runs, Function<Run, Double> value) {
        List<Double> values = runs.stream().map(value).filter(Objects::nonNull).toList();
        return values.isEmpty() ? "-" : String.format("%.2f s", Breakdown.median(values));
    }

    private static double since(Instant origin, Instant instant) {
        return Duration.between(origin, instant).toMillis() / 1000.0;
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
