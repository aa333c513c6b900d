package io.github.herokupipeline.maven;

import java.util.List;
import java.util.regex.Pattern;
import org.apache.maven.plugin.MojoFailureException;

/** The {@code buildConfigVars} parameter of {@code setup}, {@code status} and {@code promote}, read the same way. */
final class BuildConfigVars {

    /** Heroku's config var keys: letters, digits and underscores. */
    private static final Pattern NAME = Pattern.compile("\\w+");

    private BuildConfigVars() {}

    static List<String> orEmpty(List<String> names) {
        return names == null ? List.of()
                : names.stream().filter(name -> name != null && !name.isBlank()).map(String::strip).toList();
    }

    /** Refuses anything in {@code names} that is not a config var name (a value, a {@code NAME=value}). */
    static void validate(List<String> names) throws MojoFailureException {
        for (String name : orEmpty(names)) {
            if (!NAME.matcher(name).matches()) {
                throw new MojoFailureException("'" + name + "' in <buildConfigVars> (-Dheroku.buildConfigVars) is not"
                        + " a config var name: list names only (letters, digits, _), comma-separated, never values");
            }
        }
    }
}
