package io.github.herokupipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package map the README draws: only {@code maven} depends on Maven; the workflows under {@code pipeline}
 * share {@code pipeline.common} and do not reach into each other, except promote running the release checks; the
 * API records in {@code heroku.model} depend on nothing of ours; no package cycle anywhere.
 */
class ArchitectureTest {

    private static final Path MAIN = Path.of("src/main/java/io/github/herokupipeline");
    private static final Pattern OWN_IMPORT = Pattern.compile("^import (?:static )?io\\.github\\.herokupipeline\\."
            + "((?:[a-z]+\\.)*[a-z]+)\\.[A-Z]", Pattern.MULTILINE);

    /** Which of our packages each package may import; anything not listed is a layering error. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "maven", Set.of("heroku", "heroku.model", "source", "pipeline.common", "pipeline.prepare",
                    "pipeline.promote", "pipeline.check", "pipeline.status", "pipeline.setup"),
            "pipeline.prepare", Set.of("heroku", "heroku.model", "source", "pipeline.common"),
            "pipeline.promote", Set.of("heroku", "heroku.model", "source", "pipeline.common", "pipeline.check"),
            "pipeline.check", Set.of("heroku", "heroku.model", "source", "pipeline.common"),
            "pipeline.status", Set.of("heroku", "heroku.model", "source", "pipeline.common"),
            "pipeline.setup", Set.of("heroku", "heroku.model", "pipeline.common"),
            "pipeline.common", Set.of("heroku", "heroku.model", "source"),
            "heroku", Set.of("heroku.model"),
            "heroku.model", Set.of(),
            "source", Set.of());

    @Test
    void onlyTheMavenPackageImportsMaven() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path file : sources()) {
            if (!MAIN.relativize(file).startsWith("maven") && Files.readString(file).contains("import org.apache.maven")) {
                offenders.add(file.toString());
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void packagesImportOnlyWhatTheMapAllows() throws IOException {
        Map<String, Set<String>> graph = importGraph();
        assertThat(ALLOWED.keySet()).containsAll(graph.keySet());
        List<String> violations = new ArrayList<>();
        graph.forEach((from, targets) -> targets.stream().filter(to -> !ALLOWED.get(from).contains(to))
                .forEach(to -> violations.add(from + " -> " + to)));
        assertThat(violations).isEmpty();
    }

    @Test
    void noPackageCycles() throws IOException {
        Map<String, Set<String>> graph = importGraph();
        for (String start : graph.keySet()) {
            assertThat(reachable(graph, start)).as("packages reachable from " + start).doesNotContain(start);
        }
    }

    private static Set<String> reachable(Map<String, Set<String>> graph, String start) {
        Set<String> seen = new TreeSet<>();
        List<String> todo = new ArrayList<>(graph.getOrDefault(start, Set.of()));
        while (!todo.isEmpty()) {
            String next = todo.remove(todo.size() - 1);
            if (seen.add(next)) {
                todo.addAll(graph.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    private static Map<String, Set<String>> importGraph() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Path file : sources()) {
            String from = MAIN.relativize(file.getParent()).toString().replace('/', '.').replace('\\', '.');
            Set<String> targets = graph.computeIfAbsent(from, p -> new TreeSet<>());
            Matcher imports = OWN_IMPORT.matcher(Files.readString(file));
            while (imports.find()) {
                if (!imports.group(1).equals(from)) {
                    targets.add(imports.group(1));
                }
            }
        }
        return graph;
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }
}
