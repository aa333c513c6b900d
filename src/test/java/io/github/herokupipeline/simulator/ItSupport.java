package io.github.herokupipeline.simulator;

import io.github.herokupipeline.testing.TestRepo;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
