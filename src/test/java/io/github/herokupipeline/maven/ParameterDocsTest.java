package io.github.herokupipeline.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The goal reference is generated from the mojos' annotations (the plugin descriptor, the help goal); the README's
 * parameter table repeats the names, properties and defaults. This keeps the two from drifting apart.
 */
class ParameterDocsTest {

    /** A parameter as the descriptor has it: its {@code -D} property, default, and the goals that read it. */
    private record Documented(String property, String defaultValue, Set<String> goals) {}

    private static final Pattern PARAMETER = Pattern.compile(
            "<(\\w+) implementation=\"[^\"]*\"(?: default-value=\"([^\"]*)\")?>\\$\\{([\\w.]+)}</\\1>");
    private static final Pattern ROW = Pattern.compile(
            "^\\| `(\\w+)` \\| `([\\w.]+)` \\| ([^|]+) \\| ([^|]+) \\|", Pattern.MULTILINE);
    /** The README's shorthands in the goals column. */
    private static final Map<String, Set<String>> SHORTHANDS = Map.of(
            "both", Set.of("prepare", "promote"),
            "all", Set.of("prepare", "promote", "status", "rollback", "setup"));

    @Test
    void readmeParameterTable_matchesThePluginDescriptor() throws IOException {
        Map<String, Documented> descriptor = descriptorParameters();
        Map<String, String[]> readme = new LinkedHashMap<>();
        Matcher row = ROW.matcher(Files.readString(Path.of("README.md"), StandardCharsets.UTF_8));
        while (row.find()) {
            readme.put(row.group(1), new String[] {row.group(2), row.group(3).strip(), row.group(4).strip()});
        }

        assertThat(readme.keySet()).as("README rows without a parameter").isSubsetOf(descriptor.keySet());
        assertThat(descriptor.keySet()).as("parameters missing from the README table").isSubsetOf(readme.keySet());
        for (Map.Entry<String, Documented> parameter : descriptor.entrySet()) {
            String[] documented = readme.get(parameter.getKey());
            assertThat(documented[0]).as("property of " + parameter.getKey())
                    .isEqualTo(parameter.getValue().property());
            assertThat(goals(documented[2])).as("goals of " + parameter.getKey())
                    .isEqualTo(parameter.getValue().goals());
            String defaultValue = parameter.getValue().defaultValue();
            if (defaultValue != null && documented[1].startsWith("`")) {
                assertThat(documented[1]).as("default of " + parameter.getKey()).isEqualTo("`" + defaultValue + "`");
            }
        }
    }

    /** The goals a README row names; a shorthand stands for the goals of the descriptor it names. */
    private static Set<String> goals(String column) throws IOException {
        Set<String> all = goalsOfDescriptor();
        Set<String> goals = new TreeSet<>();
        for (String goal : column.split(",")) {
            goals.addAll(SHORTHANDS.getOrDefault(goal.strip(), Set.of(goal.strip())));
        }
        goals.retainAll(all);
        return goals;
    }

    private static Set<String> goalsOfDescriptor() throws IOException {
        Set<String> goals = new TreeSet<>();
        descriptorParameters().values().forEach(parameter -> goals.addAll(parameter.goals()));
        return goals;
    }

    /** Every user-settable parameter of every goal but help, from the generated plugin.xml. */
    private static Map<String, Documented> descriptorParameters() throws IOException {
        String xml;
        try (InputStream in = ParameterDocsTest.class.getResourceAsStream("/META-INF/maven/plugin.xml")) {
            assertThat(in).as("the plugin descriptor on the test classpath").isNotNull();
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Documented> parameters = new LinkedHashMap<>();
        Matcher mojo = Pattern.compile("<mojo>(.*?)</mojo>", Pattern.DOTALL).matcher(xml);
        while (mojo.find()) {
            String body = mojo.group(1);
            if (body.contains("<goal>help</goal>")) {
                continue;
            }
            Matcher goal = Pattern.compile("<goal>(\\w+)</goal>").matcher(body);
            String goalName = goal.find() ? goal.group(1) : "?";
            int configuration = body.indexOf("<configuration>");
            Matcher parameter = PARAMETER.matcher(body.substring(Math.max(0, configuration)));
            while (parameter.find()) {
                Documented known = parameters.get(parameter.group(1));
                Set<String> goals = new TreeSet<>(known == null ? Set.of() : known.goals());
                goals.add(goalName);
                parameters.put(parameter.group(1), new Documented(parameter.group(3), parameter.group(2), goals));
            }
        }
        return parameters;
    }
}
