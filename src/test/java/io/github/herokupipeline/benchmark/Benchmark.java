package io.github.herokupipeline.benchmark;

import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.HerokuClientConfig;
import io.github.herokupipeline.pipeline.common.Reporter;
import io.github.herokupipeline.pipeline.common.SourceSettings;
import io.github.herokupipeline.pipeline.common.Waiting;
import io.github.herokupipeline.pipeline.prepare.Preparation;
import io.github.herokupipeline.pipeline.prepare.PrepareSettings;
import io.github.herokupipeline.simulator.HerokuSimulator;
import io.github.herokupipeline.testing.QuietReporter;
import io.github.herokupipeline.testing.TestRepo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The benchmark (not a test): {@code ./mvnw -B -Pbenchmark verify}. Part 1 times commit-to-production for three
 * flows against the simulator (1 minute of the story = 1 second here). Part 2 measures the plugin's own cost:
 * how long prepare blocks the build against {@code git archive}, peak heap while archiving, how fast promote acts
 * on a finished build, and how many requests a promote makes. Prints tables; asserts nothing.
 */
public final class Benchmark {

    private static final int COST_RUNS = 5;

    private static final Reporter QUIET = new QuietReporter();

    public static void main(String[] args) throws Exception {
        Path basedir = Path.of(args[0]);
        int runs = Integer.parseInt(args[1]);
        String classpath = System.getProperty("java.class.path");
        Path work = basedir.resolve("target/benchmark");
        deleteTree(work);
        Files.createDirectories(work);
        System.out.println("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java "
                + System.getProperty("java.version") + "; " + runs + " runs per flow");

        String only = System.getProperty("benchmark.only", "");
        if (!only.equals("cost")) {
            flows(runs, work);
        }
        if (!only.equals("flows")) {
            printArchiveCost(work.resolve("repos"), classpath);
        }
    }

    private static void flows(int runs, Path work) throws Exception {
        List<Double> delays = new ArrayList<>();
        List<Integer> requests = new ArrayList<>();
        for (long build : new long[] {8000, 2000}) {
            Flows.Scenario scenario = new Flows.Scenario(3500, build, 500, 1000);
            Flows flows = new Flows(scenario, work.resolve("flows"));
            Map<String, List<Double>> times = new LinkedHashMap<>();
            times.put("(a) sequential", new ArrayList<>());
            times.put("(b) one-shot script", new ArrayList<>());
            times.put("(c) this plugin", new ArrayList<>());
            for (int run = 0; run < runs; run++) {
                times.get("(a) sequential").add(flows.sequential().seconds());
                times.get("(b) one-shot script").add(flows.oneShot().seconds());
                Flows.Result plugin = flows.plugin();
                times.get("(c) this plugin").add(plugin.seconds());
                if (plugin.actDelayMillis() != null && build > scenario.testMillis()) {
                    delays.add(plugin.actDelayMillis());
                }
                requests.add(plugin.promoteRequests());
            }
            printFlows(scenario, times);
        }
        System.out.printf("%nPromote acted on the finished prepare build after: median %.0f ms, max %.0f ms (%d runs"
                + " where it waited)%n", median(delays), max(delays), delays.size());
        System.out.println("API requests made by one promote (to staging): " + requests.stream().distinct().sorted()
                .map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("-"));
    }

    private static void printFlows(Flows.Scenario scenario, Map<String, List<Double>> times) {
        double ideal = scenario.idealSeconds();
        double sequential = median(times.get("(a) sequential"));
        System.out.printf("%nCommit to production, tests %.1f s, Heroku build %.1f s, release phase %.1f s, smoke"
                + " check %.1f s per app; ideal = max(tests, build) + releases + smoke checks = %.1f s%n",
                scenario.testMillis() / 1000.0, scenario.buildMillis() / 1000.0,
                scenario.releasePhaseMillis() / 1000.0, scenario.smokeMillis() / 1000.0, ideal);
        System.out.println("| flow                | median | min    | max    | speed-up vs (a) | vs ideal |");
        System.out.println("|---------------------|--------|--------|--------|-----------------|----------|");
        for (Map.Entry<String, List<Double>> flow : times.entrySet()) {
            double median = median(flow.getValue());
            System.out.printf("| %-19s | %5.2fs | %5.2fs | %5.2fs | %14.2fx | %+7.1f%% |%n", flow.getKey(), median,
                    min(flow.getValue()), max(flow.getValue()), sequential / median, (median / ideal - 1) * 100);
        }
    }

    private static void printArchiveCost(Path repos, String classpath) throws Exception {
        System.out.printf("%nThe plugin's own cost: prepare against the simulator (archive, upload, build"
                + " request) vs `git archive --format=tar.gz HEAD`, medians of " + COST_RUNS + " after a warm-up%n");
        System.out.println("| repository          | files  | archive  | git archive | prepare blocks | difference |"
                + " max heap sampled, -Xmx64m |");
        System.out.println("|---------------------|--------|----------|-------------|----------------|------------|"
                + "---------------------------|");
        repo(repos, "100 files", 100, 2_000, classpath);
        repo(repos, "10,000 files", 10_000, 1_000, classpath);
        repo(repos, "200 MB", 20, 10 * 1024 * 1024, classpath);
    }

    private static void repo(Path repos, String label, int files, int bytesPerFile, String classpath)
            throws Exception {
        Path root = repos.resolve(label.replaceAll("[^0-9a-zA-Z]", ""));
        TestRepo repo = TestRepo.init(root);
        Random random = new Random(42);
        boolean binary = bytesPerFile > 100_000;
        for (int i = 0; i < files; i++) {
            Path file = root.resolve("src/dir" + (i % 100) + "/File" + i + (binary ? ".bin" : ".java"));
            Files.createDirectories(file.getParent());
            byte[] content = new byte[bytesPerFile];
            if (binary) {
                random.nextBytes(content);
            } else {
                for (int b = 0; b < content.length; b++) {
                    content[b] = (byte) ("abcdefghij klmnop;\n".charAt(random.nextInt(19)));
                }
            }
            Files.write(file, content);
        }
        repo.commitAll("generated " + label);

        List<Double> gitTimes = new ArrayList<>();
        List<Double> prepareTimes = new ArrayList<>();
        long archiveBytes = 0;
        for (int i = 0; i <= COST_RUNS; i++) { // run 0 warms the JIT up and is not counted
            long started = System.nanoTime();
            repo.git("archive", "--format=tar.gz", "-o", root.resolveSibling(root.getFileName() + ".git.tar.gz")
                    .toString(), "HEAD");
            double git = (System.nanoTime() - started) / 1e9;
            try (HerokuSimulator sim = HerokuSimulator.start();
                    HerokuClient heroku = new HerokuClient(HerokuClientConfig.builder(sim.apiUrl(),
                            HerokuSimulator.DEFAULT_KEY).build())) {
                sim.createStandardPipeline("bench");
                SourceSettings source = new SourceSettings(root, null, null, false,
                        root.resolveSibling(root.getFileName() + "-work"));
                long start = System.nanoTime();
                archiveBytes = new Preparation(heroku, QUIET, Waiting.system()).prepare(
                        new PrepareSettings("bench-prepare", source, List.of(), true)).archiveBytes();
                double prepare = (System.nanoTime() - start) / 1e9;
                if (i > 0) {
                    gitTimes.add(git);
                    prepareTimes.add(prepare);
                }
            }
        }
        long peak = probePeakHeap(root, classpath);
        double git = median(gitTimes);
        double prepare = median(prepareTimes);
        System.out.printf("| %-19s | %6d | %6.1fMB | %10.2fs | %13.2fs | %+9.0fms | %22.1f MB |%n", label, files,
                archiveBytes / 1048576.0, git, prepare, (prepare - git) * 1000, peak / 1048576.0);
    }

    private static long probePeakHeap(Path repo, String classpath) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx64m", "-cp", classpath,
                ArchiveProbe.class.getName(), repo.toString(), repo.resolveSibling(repo.getFileName() + ".probe.tar.gz")
                        .toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("archive probe failed: " + output);
        }
        String line = output.lines().filter(l -> l.startsWith("archive ")).findFirst().orElseThrow();
        return Long.parseLong(line.split(" ")[2]);
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
