package io.github.herokupipeline.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Runs a Maven build of a sample project with the Maven that runs this JVM, against a local repository that
 * already holds the plugin (installed by the invoker) and falls back to the outer build's repository, so nothing
 * is fetched from the network.
 */
final class NestedMaven {

    private final Path mavenHome;
    private final Path settings;
    private final Path localRepository;
    private final List<String> properties;

    NestedMaven(Path mavenHome, Path workDir, Path localRepository, Path outerRepository, List<String> properties)
            throws IOException {
        this.mavenHome = mavenHome;
        this.localRepository = localRepository;
        this.properties = properties;
        this.settings = workDir.resolve("settings.xml");
        String url = outerRepository.toUri().toString();
        Files.createDirectories(workDir);
        Files.writeString(settings, """
                <settings>
                  <profiles>
                    <profile>
                      <id>outer-repository</id>
                      <activation><activeByDefault>true</activeByDefault></activation>
                      <repositories><repository><id>outer</id><url>%1$s</url>
                        <releases><checksumPolicy>ignore</checksumPolicy></releases></repository></repositories>
                      <pluginRepositories><pluginRepository><id>outer</id><url>%1$s</url>
                        <releases><checksumPolicy>ignore</checksumPolicy></releases></pluginRepository></pluginRepositories>
                    </profile>
                  </profiles>
                </settings>
                """.formatted(url), StandardCharsets.UTF_8);
    }

    /** Runs {@code mvn} in {@code project}; each output line goes to {@code lines} with the millis since start. */
    int run(Path project, Map<String, String> environment, BiConsumer<Long, String> lines, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(mavenHome.resolve("bin/mvn").toString());
        command.addAll(List.of("-B", "-s", settings.toString(), "-Dmaven.repo.local=" + localRepository));
        command.addAll(properties);
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        Process process = builder.start();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.accept((System.nanoTime() - started) / 1_000_000, line);
            }
        }
        return process.waitFor();
    }
}
