package io.github.herokupipeline.demo;

import io.github.herokupipeline.simulator.HerokuSimulator;
import io.github.herokupipeline.simulator.HerokuSimulator.SimBuild;
import io.github.herokupipeline.simulator.HerokuSimulator.SimRelease;
import io.github.herokupipeline.simulator.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the time of one commit to production goes, phase by phase, each against its own floor: what the platform
 * (or Maven, or the tests) needs at least. Read from what the simulator recorded (builds, releases, requests) and
 * from the times of two Maven log lines (prepare starts, the tests end), all in seconds since Maven started.
 */
final class Breakdown {

    /**
     * What Maven, the tests and the simulated platform take at least, in seconds: a bare Maven start, Maven's start
     * to the end of the tests in a run without the plugin, and the platform's own times.
     */
    record Floors(double bareMavenStart, double testsEndWithoutPlugin, double build, double promotion,
            double releasePhase, double appBoot) {}

    /** One phase: what it took, what it must take at least, and when it ended. */
    record Phase(String name, double took, double floor, double endsAt) {
        double over() {
            return took - floor;
        }
    }

    private static final String MAVEN_START = "Maven start -> prepare starts";
    private static final String TESTS = "Maven start -> tests end (compile, tests)";

    private final List<Phase> phases = new ArrayList<>();
    private final double total;
    private final Floors floors;
    private final double floorTotal;
    private final int apiRequests;
    /** Maven's own goals between the tests' end and the promote goal, on the way to production: not in the floor. */
    private double mavenAfterTests;

    private Breakdown(double total, Floors floors, double floorTotal, int apiRequests) {
        this.total = total;
        this.floors = floors;
        this.floorTotal = floorTotal;
        this.apiRequests = apiRequests;
    }

    /**
     * The breakdown of one flow that prepares on {@code prepareApp} and promotes to {@code targets} in order, with a
     * smoke check after each.
     *
     * @param prepareStarted when the prepare goal's log line came, null when prepare did not run
     * @param testsEnded when the tests' last line came (later than without the plugin by what prepare held Maven up)
     * @param promoteStarted when the promote goal's log line came (after Maven's own goals that follow the tests:
     *     jar, install, deploy), null when it is not known
     */
    static Breakdown of(HerokuSimulator sim, Instant origin, String prepareApp, List<String> targets,
            Double prepareStarted, double testsEnded, Double promoteStarted, double total, Floors floors) {
        List<RecordedRequest> requests = sim.requests();
        int api = (int) requests.stream().filter(RecordedRequest::isApi).count();
        double perApp = floors.promotion() + floors.releasePhase() + floors.appBoot();
        double floorTotal = total(floors) + targets.size() * perApp;
        Breakdown breakdown = new Breakdown(total, floors, floorTotal, api);
        SimBuild build = sim.builds(prepareApp).stream().findFirst().orElse(null);
        double buildDone = 0;
        if (prepareStarted != null && build != null) {
            breakdown.add(MAVEN_START, prepareStarted, floors.bareMavenStart(), prepareStarted);
            double created = seconds(origin, build.createdAt());
            breakdown.add("prepare starts -> build created", created - prepareStarted, 0, created);
            buildDone = build.finishedAt() == null ? created : seconds(origin, build.finishedAt());
            breakdown.add("build created -> build done (Heroku)", buildDone - created, floors.build(), buildDone);
        }
        breakdown.add(TESTS, testsEnded, floors.testsEndWithoutPlugin(), testsEnded);
        double previous = Math.max(buildDone, testsEnded);
        List<RecordedRequest> promotions = requests.stream()
                .filter(request -> request.is("POST", "/pipeline-promotions")).toList();
        for (int i = 0; i < targets.size(); i++) {
            String target = targets.get(i);
            Optional<SimRelease> release = sim.releases(target).stream()
                    .filter(r -> r.description() != null && r.description().startsWith("Promote")).findFirst();
            if (i >= promotions.size() || release.isEmpty()) {
                continue;
            }
            double promoted = seconds(origin, promotions.get(i).received());
            String from = i == 0 ? "build done and tests ended" : "previous smoke check passed";
            if (i == 0 && promoteStarted != null && promoteStarted > previous && promoteStarted < promoted) {
                // no code of the plugin's runs between the tests' end and the promote goal: Maven's own goals do
                breakdown.mavenAfterTests = promoteStarted - previous;
                breakdown.add(from + " -> promote goal starts (Maven: test report, jar, install, deploy)",
                        breakdown.mavenAfterTests, 0, promoteStarted);
                previous = promoteStarted;
                from = "  promote goal starts";
            }
            breakdown.add(from + " -> promotion to " + target + " sent", promoted - previous, 0, promoted);
            double landed = seconds(origin, release.get().createdAt());
            breakdown.add("  promotion to " + target + " done", landed - promoted, floors.promotion(), landed);
            double released = seconds(origin, release.get().updatedAt());
            breakdown.add("  release phase on " + target + " done", released - landed, floors.releasePhase(),
                    released);
            double smoked = requests.stream()
                    .filter(request -> request.method().equals("GET") && request.path().startsWith("/web/" + target
                            + "/") && request.status() == 200)
                    .map(request -> seconds(origin, request.at())).findFirst().orElse(released);
            breakdown.add("  smoke check of " + target + " passed", smoked - released, floors.appBoot(), smoked);
            previous = smoked;
        }
        breakdown.add("last smoke check -> Maven exits", total - previous, 0, total);
        return breakdown;
    }

    /**
     * The median time from Maven's start to the end of the tests in {@code mvn verify} of a fresh checkout of
     * {@code app} without the plugin (prepare bound to no phase; promote's phase is not reached): compile and tests
     * as they run with nothing of the plugin's in the way.
     */
    static double testsEndWithoutPlugin(NestedMaven maven, java.nio.file.Path app, int runs) throws Exception {
        return medianOf(runs, () -> {
            Demo.deleteTarget(app);
            double[] ended = {-1};
            if (maven.run(app, java.util.Map.of(), (millis, line) -> {
                if (line.startsWith("DEMO: tests end")) {
                    ended[0] = millis / 1000.0;
                }
            }, "-Dheroku.prepare.phase=none", "verify") != 0 || ended[0] < 0) {
                throw new IllegalStateException("mvn verify without the plugin failed or ran no tests");
            }
            return ended[0];
        });
    }

    /** The median wall time of {@code mvn validate} on {@code app} with the plugin skipped: Maven's own start. */
    static double bareMavenStart(NestedMaven maven, java.nio.file.Path app, int runs) throws Exception {
        return medianOf(runs, () -> {
            long started = System.nanoTime();
            if (maven.run(app, java.util.Map.of(), (millis, line) -> { }, "-q", "-Dheroku.skip=true", "validate")
                    != 0) {
                throw new IllegalStateException("mvn validate failed");
            }
            return (System.nanoTime() - started) / 1e9;
        });
    }

    /** One measurement in seconds. */
    interface Measurement {
        double seconds() throws Exception;
    }

    /** The median of {@code runs} measurements taken one after another. */
    static double medianOf(int runs, Measurement measurement) throws Exception {
        List<Double> times = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            times.add(measurement.seconds());
        }
        return median(times);
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private void add(String name, double took, double floor, double endsAt) {
        phases.add(new Phase(name, took, floor, endsAt));
    }

    List<Phase> phases() {
        return List.copyOf(phases);
    }

    /**
     * The same breakdown against another measure of Maven without the plugin (a bare start, Maven's start to the end
     * of the tests): the platform's floors and every measured time stay as they are.
     */
    Breakdown withMavenFloors(double bareMavenStart, double testsEndWithoutPlugin) {
        Floors moved = new Floors(bareMavenStart, testsEndWithoutPlugin, floors.build(), floors.promotion(),
                floors.releasePhase(), floors.appBoot());
        Breakdown rebased = new Breakdown(total, moved, floorTotal - total(floors) + total(moved), apiRequests);
        rebased.mavenAfterTests = mavenAfterTests;
        for (Phase phase : phases) {
            double floor = phase.name().equals(MAVEN_START) ? bareMavenStart
                    : phase.name().equals(TESTS) ? testsEndWithoutPlugin : phase.floor();
            rebased.phases.add(new Phase(phase.name(), phase.took(), floor, phase.endsAt()));
        }
        return rebased;
    }

    /** The part of the whole floor that Maven's own times make. */
    private static double total(Floors floors) {
        return floors.bareMavenStart() + Math.max(floors.build(), floors.testsEndWithoutPlugin()
                - floors.bareMavenStart());
    }

    double total() {
        return total;
    }

    double floorTotal() {
        return floorTotal;
    }

    Floors floors() {
        return floors;
    }

    int apiRequests() {
        return apiRequests;
    }

    /**
     * What is over the floor once Maven's own goals after the tests (which the floor leaves out, and which run as
     * long with or without the plugin) are taken off: the plugin's own share, in seconds.
     */
    double pluginOver() {
        return total - floorTotal - mavenAfterTests;
    }

    /** The table: each phase, what it took, its floor, the time over it. */
    List<String> table() {
        List<String> lines = new ArrayList<>();
        lines.add("| phase | ends at | took | floor | over the floor |");
        lines.add("|---|---|---|---|---|");
        for (Phase phase : phases) {
            lines.add(String.format("| %s | %.2f s | %.2f s | %.2f s | %+.2f s |", phase.name(), phase.endsAt(),
                    phase.took(), phase.floor(), phase.over()));
        }
        lines.add(String.format("| **commit to production** | %.2f s | | floor %.2f s | %+.2f s (%.1f%%) |", total,
                floorTotal, total - floorTotal, 100 * (total - floorTotal) / floorTotal));
        if (mavenAfterTests > 0) {
            lines.add(String.format("Of the %.2f s over the floor, %.2f s are Maven's own goals after the tests (jar,"
                    + " install, deploy), which the floor leaves out; the rest, %+.2f s (%.1f%% of the floor), is the"
                    + " plugin's.", total - floorTotal, mavenAfterTests, pluginOver(), 100 * pluginOver() / floorTotal));
        }
        lines.add(String.format("Platform API requests for this commit to production: %d (Heroku allows 4,500 an"
                + " hour per account)", apiRequests));
        return lines;
    }

    private static double seconds(Instant origin, Instant instant) {
        return Duration.between(origin, instant).toMillis() / 1000.0;
    }
}
