package io.github.herokupipeline.simulator;

import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.HerokuClientConfig;
import io.github.herokupipeline.pipeline.common.SourceSettings;
import io.github.herokupipeline.pipeline.common.Waiting;
import io.github.herokupipeline.pipeline.promote.PromoteReport;
import io.github.herokupipeline.pipeline.promote.PromoteSettings;
import io.github.herokupipeline.pipeline.promote.Promotion;
import io.github.herokupipeline.testing.QuietReporter;
import io.github.herokupipeline.testing.TestRepo;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What the invoker ITs' Groovy hooks share: start a simulator with pipeline {@code foo} (apps foo-prepare,
 * foo-staging, foo-production, foo-production-eu), make the IT project a git repository with one commit, and hand
 * the simulator's URL to the forked Maven build as {@code -Dheroku.apiUrl}. The hooks find the simulator as
 * {@code context.sim} and the commit as {@code context.sha}.
 */
public final class ItSupport {

    /** The key src/it/settings.xml gives the ITs through {@code <server><id>heroku</id>}. */
    public static final String SETTINGS_KEY = HerokuSimulator.DEFAULT_KEY;

    private ItSupport() {}

    public static HerokuSimulator start(Map<String, Object> context, File basedir) throws IOException {
        HerokuSimulator.Timing timing = new HerokuSimulator.Timing();
        timing.buildMillis = 1500;
        HerokuSimulator sim = HerokuSimulator.start(timing);
        sim.createStandardPipeline("foo", "foo-production-eu");
        context.put("sha", commit(basedir, "Sample app for the IT"));
        context.put("sim", sim);
        ((Properties) context.get("userProperties")).setProperty("heroku.apiUrl", sim.apiUrl());
        return sim;
    }

    /** A pipeline of {@code foo-staging} and {@code foo-production} only, as a team has it before {@code setup}. */
    public static HerokuSimulator startWithoutPrepareApp(Map<String, Object> context, File basedir)
            throws IOException {
        HerokuSimulator.Timing timing = new HerokuSimulator.Timing();
        timing.buildMillis = 1500;
        HerokuSimulator sim = HerokuSimulator.start(timing);
        sim.createPipeline("foo");
        for (String[] app : new String[][] {{"foo-staging", "staging"}, {"foo-production", "production"}}) {
            sim.createApp(app[0]);
            sim.couple(app[0], "foo", app[1]);
        }
        context.put("sha", commit(basedir, "Sample app for the IT"));
        context.put("sim", sim);
        ((Properties) context.get("userProperties")).setProperty("heroku.apiUrl", sim.apiUrl());
        return sim;
    }

    /** Makes {@code basedir} a git repository (if needed) and commits everything in it; returns the SHA. */
    public static String commit(File basedir, String message) throws IOException {
        Path root = basedir.toPath();
        TestRepo repo = Files.isDirectory(root.resolve(".git")) ? TestRepo.open(root) : TestRepo.init(root);
        Path ignore = root.resolve(".gitignore");
        if (!Files.exists(ignore)) {
            Files.writeString(ignore, "target/\nbuild.log\n", StandardCharsets.UTF_8);
        }
        return repo.commitAll(message);
    }

    /**
     * Another CI run's checkout: a clone of {@code basedir} with one more commit on top, fetched back into
     * {@code basedir} as {@code origin/main}, as a checkout with full history ({@code fetch-depth: 0}) sees a newer
     * push. Returns the new commit's SHA.
     */
    public static String newerCommitInAnotherClone(File basedir, File clone) throws IOException {
        TestRepo.open(basedir.toPath().getParent()).git("clone", "-q", basedir.getAbsolutePath(),
                clone.getAbsolutePath());
        String newer = TestRepo.open(clone.toPath()).write("NEWS.md", "A newer commit\n")
                .commitAll("A newer commit");
        TestRepo here = TestRepo.open(basedir.toPath());
        here.git("fetch", "-q", clone.getAbsolutePath(), "HEAD:refs/remotes/origin/main");
        return newer;
    }

    /**
     * Deploys {@code commit} of {@code clone} to {@code targetApp} the way the plugin's promote goal does (with no
     * prepared build it builds on the target): the other CI run, which ships first.
     */
    public static PromoteReport deployFrom(HerokuSimulator sim, File clone, String targetApp) throws Exception {
        Path root = clone.toPath();
        try (HerokuClient client = new HerokuClient(HerokuClientConfig.builder(sim.apiUrl(),
                HerokuSimulator.DEFAULT_KEY).build())) {
            PromoteSettings settings = new PromoteSettings("foo-prepare", List.of(targetApp), new SourceSettings(root,
                    null, null, false, root.resolve("target/heroku-pipeline")), PromoteSettings.OnMissingPrepare.BUILD,
                    PromoteSettings.OnPrepareFailure.FAIL, Duration.ofMinutes(1), Duration.ofMinutes(1), false,
                    List.of(), null);
            return new Promotion(client, new QuietReporter(), Waiting.system()).promote(settings);
        }
    }

    /** The names of the files in a {@code .tar.gz} source archive. */
    public static List<String> archiveEntries(byte[] tarGz) throws IOException {
        List<String> names = new java.util.ArrayList<>();
        try (org.apache.commons.compress.archivers.tar.TarArchiveInputStream tar =
                new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new java.util.zip.GZIPInputStream(
                        new java.io.ByteArrayInputStream(tarGz)))) {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    /** The text of the IT's build.log. */
    public static String buildLog(File basedir) throws IOException {
        return Files.readString(basedir.toPath().resolve("build.log"), StandardCharsets.UTF_8);
    }

    /** Index of the first line of {@code log} containing {@code text}, or -1. */
    public static int lineOf(String log, String text) {
        List<String> lines = log.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
