package io.github.herokupipeline.demo;

import io.github.herokupipeline.simulator.HerokuSimulator.SimBuild;
import io.github.herokupipeline.simulator.HerokuSimulator.SimRelease;
import io.github.herokupipeline.simulator.HerokuSimulator;
import io.github.herokupipeline.testing.TestRepo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The README's demo: a Heroku simulator with pipeline demo-prepare -> demo-staging -> demo-production (Heroku's
 * minutes scaled to seconds: a build takes 8 s, a release phase 0.5 s), a sample app whose tests take 3.5 s, and
 * two flows of {@code mvn deploy -Pstaging} then {@code heroku-pipeline:promote -Pproduction}, measured end to end
 * with real Maven runs: building on each app after the tests (prepare skipped), then the plugin's flow. Prints what
 * happens as it happens, both timelines side by side (also as {@code target/demo/timeline.svg}) and the speed-up.
 *
 * <p>Arguments: project base directory, local repository holding the plugin, the outer local repository, the
 * plugin version, then {@code -D} properties for the sample's plugin versions.
 */
public final class Demo {

    static final long BUILD_MILLIS = 8000;
    static final long RELEASE_PHASE_MILLIS = 500;
    static final double TEST_SECONDS = 3.5;
    static final long PROMOTION_MILLIS = 300;
    static final long APP_BOOT_MILLIS = 1000;

    private record Event(double seconds, String what) {}

    /** One bar of the timeline: a Maven run, the tests, or a Heroku build, in seconds since the flow started. */
    record Bar(String label, double start, double end, boolean heroku) {}

    /** One flow, measured end to end. */
    record Flow(String name, List<Bar> bars, double total) {}

    private final List<Event> events = new ArrayList<>();
    private Instant origin;
    private double testsStart = -1;
    private double testsEnd = -1;

    public static void main(String[] args) throws Exception {
        Path basedir = Path.of(args[0]);
        String pluginVersion = args[3];
        List<String> properties = new ArrayList<>(Arrays.asList(args).subList(4, args.length));
        properties.add("-Dheroku-pipeline.version=" + pluginVersion);
        Path work = basedir.resolve("target/demo");
        NestedMaven maven = new NestedMaven(Path.of(System.getProperty("maven.home")), work, Path.of(args[1]),
                Path.of(args[2]), properties);
        Path app = copySampleApp(basedir.resolve("src/demo/sample-app"), work.resolve("sample-app"));
        String sha = TestRepo.init(app).commitAll("Demo: a change on its way to production");
        say("Sample app committed as " + sha.substring(0, 8) + "; its tests take " + TEST_SECONDS + " s, a Heroku"
                + " build " + BUILD_MILLIS / 1000.0 + " s, a release phase " + RELEASE_PHASE_MILLIS / 1000.0 + " s"
                + " (1 minute of Heroku time = 1 second here)");
        say("Warming up Maven on the sample (compile only), so both flows start alike");
        check(maven.run(app, Map.of(), (millis, line) -> { }, "-q", "-Dheroku.skip=true", "test-compile"), "warm-up");
        bareMavenStart = Breakdown.bareMavenStart(maven, app, 3);
        say(String.format("A bare Maven start on the sample (validate, plugin skipped) takes %.2f s", bareMavenStart));
        testsEndWithoutPlugin = Breakdown.testsEndWithoutPlugin(maven, app, 1);
        say(String.format("Without the plugin, mvn verify of a fresh checkout ends its tests %.2f s after Maven starts",
                testsEndWithoutPlugin));

        say("");
        say("1. Without the plugin's prepare: test, then build on staging, check it, then build again on"
                + " production and check it");
        Demo sequentialRun = new Demo();
        Flow sequential = sequentialRun.run(maven, app, sha, false);
        say("");
        say("2. The README's quick start, `mvn deploy -Pproduction`: build on demo-prepare while the tests run,"
                + " then promote that release to staging, check it, and to production, check it");
        Demo pluginRun = new Demo();
        Flow plugin = pluginRun.run(maven, app, sha, true);

        Path svg = work.resolve("timeline.svg");
        Files.writeString(svg, Timeline.svg(List.of(sequential, plugin)), StandardCharsets.UTF_8);
        System.out.println();
        Timeline.text(List.of(sequential, plugin)).forEach(System.out::println);
        System.out.println();
        System.out.println("Where the quick start's time goes, each phase against what the platform needs at least:");
        pluginRun.breakdown.table().forEach(System.out::println);
        System.out.println();
        System.out.println("The same timeline as a picture: " + svg);
        System.out.printf("Commit to production, measured here end to end (Maven start-ups included): %.1f s"
                + " building on each app, %.1f s with the plugin: %.2fx faster, %.1f s saved per commit.%n",
                sequential.total(), plugin.total(), sequential.total() / plugin.total(),
                sequential.total() - plugin.total());
    }

    private static double bareMavenStart;
    private static double testsEndWithoutPlugin;
    private Breakdown breakdown;

    private Flow run(NestedMaven maven, Path app, String sha, boolean prepare) throws Exception {
        HerokuSimulator.Timing timing = new HerokuSimulator.Timing();
        timing.buildMillis = BUILD_MILLIS;
        timing.buildLogLines = 12;
        timing.promotionMillis = PROMOTION_MILLIS;
        try (HerokuSimulator sim = HerokuSimulator.start(timing)) {
            sim.createStandardPipeline("demo");
            sim.appHandle("demo-staging").releasePhase(RELEASE_PHASE_MILLIS, false);
            sim.appHandle("demo-production").releasePhase(RELEASE_PHASE_MILLIS, false);
            sim.webApp(sha, 200, "{\"status\":\"ok\"}", APP_BOOT_MILLIS);
            say("Heroku simulator on " + sim.apiUrl() + " with pipeline demo: demo-prepare -> demo-staging ->"
                    + " demo-production");
            Map<String, String> env = Map.of("HEROKU_API_KEY", HerokuSimulator.DEFAULT_KEY);
            List<Bar> bars = new ArrayList<>();
            origin = Instant.now();
            String command = "mvn deploy -Pproduction" + (prepare ? "" : " -Dheroku.prepare.skip=true");
            deleteTarget(app); // CI builds a fresh checkout: nothing compiled yet
            step(command + " starts");
            GoalHold prepareHold = new GoalHold("prepare");
            GoalHold promoteStart = new GoalHold("promote");
            check(maven.run(app, env, prepareHold.andThen(promoteStart).andThen(this::show),
                    "-Dheroku.apiUrl=" + sim.apiUrl(), "-Dheroku.smokeUrl=" + sim.localWebUrl("{app}") + "health",
                    "-Dheroku.prepare.skip=" + !prepare, "deploy", "-Pproduction"), command);
            double total = sinceOrigin();
            bars.add(new Bar(command, 0, total, false));
            step("production runs " + sha.substring(0, 8));
            if (testsStart >= 0 && testsEnd >= testsStart) {
                bars.add(1, new Bar("  tests", testsStart, testsEnd, false));
            }
            for (String name : List.of("demo-prepare", "demo-staging", "demo-production")) {
                for (SimBuild build : sim.builds(name)) {
                    bars.add(new Bar("  Heroku build on " + name, seconds(build.createdAt()),
                            seconds(build.finishedAt() == null ? Instant.now() : build.finishedAt()), true));
                }
            }
            timeline(sim, total);
            breakdown = Breakdown.of(sim, origin, "demo-prepare", List.of("demo-staging", "demo-production"),
                    prepareHold.firstStartSeconds(), testsEnd, promoteStart.firstStartSeconds(), total,
                    new Breakdown.Floors(bareMavenStart, testsEndWithoutPlugin, BUILD_MILLIS / 1000.0,
                            PROMOTION_MILLIS / 1000.0, RELEASE_PHASE_MILLIS / 1000.0, APP_BOOT_MILLIS / 1000.0));
            return new Flow(prepare ? "with the plugin (quick start)" : "building on each app", bars, total);
        }
    }

    private void show(long millis, String line) {
        String text = line.replaceFirst("^\\[(INFO|WARNING|ERROR)\\] ", "");
        String event = null;
        if (text.startsWith("Started build")) {
            int on = text.indexOf(" on ");
            int end = text.indexOf(';');
            event = "Heroku build started on " + text.substring(on + 4, end < 0 ? text.length() : end);
        } else if (text.startsWith("DEMO: tests start")) {
            event = "tests start";
            testsStart = sinceOrigin();
        } else if (text.startsWith("DEMO: tests end")) {
            event = "tests end";
            testsEnd = sinceOrigin();
        } else if (text.startsWith("Waiting for build")) {
            event = "promote: the prepare build is still running; waiting for it";
        } else if (text.startsWith("Promoting release")) {
            event = "promote: " + text;
        } else if (text.matches("demo-\\w+: (release v\\d+ succeeded|smoke check passed).*")) {
            event = text;
        }
        boolean interesting = event != null || text.startsWith("Heroku pipeline") || text.startsWith("BUILD ")
                || text.contains("ERROR") || text.startsWith("Preparing ") || text.contains(": building ");
        if (interesting) {
            System.out.printf("  %6.1fs  %s%n", sinceOrigin(), text);
        }
        if (event != null) {
            step(event);
        }
    }

    private void step(String what) {
        events.add(new Event(sinceOrigin(), what));
    }

    private double sinceOrigin() {
        return origin == null ? 0 : Duration.between(origin, Instant.now()).toMillis() / 1000.0;
    }

    private void timeline(HerokuSimulator sim, double total) {
        events.sort(Comparator.comparingDouble(Event::seconds));
        System.out.println("  Steps (seconds since Maven started):");
        for (Event event : events) {
            System.out.printf("  %6.1f  %s%n", event.seconds(), event.what());
        }
        int builds = sim.builds("demo-prepare").size() + sim.builds("demo-staging").size()
                + sim.builds("demo-production").size();
        List<SimRelease> production = sim.releases("demo-production");
        System.out.printf("  Done in %.1f s with %d Heroku build(s); demo-production: %s%n", total, builds,
                production.get(production.size() - 1).description());
    }

    private double seconds(Instant instant) {
        return Duration.between(origin, instant).toMillis() / 1000.0;
    }

    private static void check(int exitCode, String what) {
        if (exitCode != 0) {
            throw new IllegalStateException(what + " failed (exit code " + exitCode + ")");
        }
    }

    private static void say(String text) {
        System.out.println("DEMO " + text);
    }

    /** Removes {@code target/} of the app, as a fresh checkout has none. */
    static void deleteTarget(Path app) throws IOException {
        Path target = app.resolve("target");
        if (Files.exists(target)) {
            try (Stream<Path> old = Files.walk(target)) {
                old.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    static Path copySampleApp(Path from, Path to) throws IOException {
        if (Files.exists(to)) {
            try (Stream<Path> old = Files.walk(to)) {
                old.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(source -> {
                try {
                    Path target = to.resolve(from.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return to;
    }
}
