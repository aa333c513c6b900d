package io.github.herokupipeline.demo;

import io.github.herokupipeline.simulator.HerokuSimulator;
import io.github.herokupipeline.simulator.HerokuSimulator.SimBuild;
import io.github.herokupipeline.simulator.HerokuSimulator.SimRelease;
import io.github.herokupipeline.testing.TestRepo;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * the plugin driving {@code mvn deploy -Pstaging} then {@code heroku-pipeline:promote -Pproduction}. Prints what
 * happens as it happens, then a timeline.
 *
 * <p>Arguments: project base directory, local repository holding the plugin, the outer local repository, the
 * plugin version, then {@code -D} properties for the sample's plugin versions.
 */
public final class Demo {

    static final long BUILD_MILLIS = 8000;
    static final long RELEASE_PHASE_MILLIS = 500;
    static final double TEST_SECONDS = 3.5;

    private record Event(double seconds, String what) {}

    private final List<Event> events = new ArrayList<>();
    private Instant origin;

    public static void main(String[] args) throws Exception {
        Path basedir = Path.of(args[0]);
        String pluginVersion = args[3];
        List<String> properties = new ArrayList<>(Arrays.asList(args).subList(4, args.length));
        properties.add("-Dheroku-pipeline.version=" + pluginVersion);
        Path work = basedir.resolve("target/demo");
        NestedMaven maven = new NestedMaven(Path.of(System.getProperty("maven.home")), work, Path.of(args[1]),
                Path.of(args[2]), properties);
        new Demo().run(basedir, work, maven, pluginVersion);
    }

    private void run(Path basedir, Path work, NestedMaven maven, String pluginVersion) throws Exception {
        HerokuSimulator.Timing timing = new HerokuSimulator.Timing();
        timing.buildMillis = BUILD_MILLIS;
        timing.buildLogLines = 12;
        timing.promotionMillis = 300;
        try (HerokuSimulator sim = HerokuSimulator.start(timing)) {
            sim.createStandardPipeline("demo");
            sim.appHandle("demo-staging").releasePhase(RELEASE_PHASE_MILLIS, false);
            sim.appHandle("demo-production").releasePhase(RELEASE_PHASE_MILLIS, false);
            Path app = copySampleApp(basedir.resolve("src/demo/sample-app"), work.resolve("sample-app"));
            String sha = TestRepo.init(app).commitAll("Demo: a change on its way to production");
            say("Heroku simulator on " + sim.apiUrl() + " with pipeline demo: demo-prepare -> demo-staging ->"
                    + " demo-production (1 minute of Heroku time = 1 second here)");
            say("Sample app committed as " + sha.substring(0, 8) + "; its tests take " + TEST_SECONDS + " s, a Heroku"
                    + " build " + BUILD_MILLIS / 1000.0 + " s, a release phase " + RELEASE_PHASE_MILLIS / 1000.0 + " s");

            Map<String, String> env = Map.of("HEROKU_API_KEY", HerokuSimulator.DEFAULT_KEY);
            String api = "-Dheroku.apiUrl=" + sim.apiUrl();
            origin = Instant.now();
            step("mvn deploy -Pstaging starts");
            check(maven.run(app, env, this::show, api, "deploy", "-Pstaging"), "mvn deploy -Pstaging");
            step("mvn deploy -Pstaging finished: staging runs " + sha.substring(0, 8));
            step("mvn heroku-pipeline:promote -Pproduction starts (after staging was checked)");
            check(maven.run(app, env, this::show, api, "io.github.herokupipeline:heroku-pipeline-maven-plugin:"
                    + pluginVersion + ":promote", "-Pproduction"), "heroku-pipeline:promote -Pproduction");
            step("production runs " + sha.substring(0, 8));
            timeline(sim, sha);
        }
    }

    private void show(long millis, String line) {
        String text = line.replaceFirst("^\\[(INFO|WARNING|ERROR)\\] ", "");
        String event = null;
        if (text.startsWith("Started build")) {
            event = "prepare: Heroku build started on demo-prepare; Maven goes on to the tests";
        } else if (text.startsWith("DEMO: tests start")) {
            event = "tests start";
        } else if (text.startsWith("DEMO: tests end")) {
            event = "tests end";
        } else if (text.startsWith("Waiting for build")) {
            event = "promote: the prepare build is still running; waiting for it";
        } else if (text.startsWith("Promoting release")) {
            event = "promote: " + text;
        } else if (text.matches("demo-\\w+: release v\\d+ succeeded.*")) {
            event = text;
        }
        boolean interesting = event != null || text.startsWith("[demo-") || text.startsWith("Heroku pipeline")
                || text.startsWith("  ") && !text.isBlank() && !text.startsWith("   ") && !text.contains("from pom.xml")
                || text.startsWith("BUILD ")
                || text.contains("ERROR") || text.startsWith("Source archive");
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

    private void timeline(HerokuSimulator sim, String sha) {
        SimBuild prepared = sim.builds("demo-prepare").get(0);
        events.add(new Event(seconds(prepared.finishedAt()), "Heroku: the demo-prepare build finished ("
                + String.format("%.1f", Duration.between(prepared.createdAt(), prepared.finishedAt()).toMillis()
                        / 1000.0)
                + " s, while Maven was testing)"));
        events.sort(Comparator.comparingDouble(Event::seconds));
        double total = events.get(events.size() - 1).seconds();
        System.out.println();
        System.out.println("Timeline (seconds since `mvn deploy -Pstaging` started; Maven start-up included)");
        for (Event event : events) {
            System.out.printf("  %6.1f  %s%n", event.seconds(), event.what());
        }
        double build = BUILD_MILLIS / 1000.0;
        double release = RELEASE_PHASE_MILLIS / 1000.0;
        double sequential = TEST_SECONDS + 2 * (build + release);
        System.out.println();
        System.out.printf("Building on each app after the tests takes at least %.1f s of the same work"
                + " (tests %.1f + 2 x (build %.1f + release phase %.1f)).%n", sequential, TEST_SECONDS, build, release);
        System.out.printf("With the plugin the whole flow took %.1f s here, including two Maven start-ups;"
                + " demo-staging and demo-production run %s, built once.%n", total, sha.substring(0, 8));
        List<SimRelease> production = sim.releases("demo-production");
        System.out.println("demo-production: " + production.get(production.size() - 1).description());
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
