package io.github.herokupipeline.maven;

import java.util.List;
import org.apache.maven.plugin.MojoFailureException;

/** The check both goals that change target apps ({@code promote}, {@code rollback}) make of {@code targetApps}. */
final class TargetApps {

    private TargetApps() {}

    static List<String> orEmpty(List<String> targetApps) {
        return targetApps == null ? List.of() : targetApps;
    }

    static void require(String goal, List<String> targetApps) throws MojoFailureException {
        if (targetApps == null || targetApps.stream().allMatch(app -> app == null || app.isBlank())) {
            throw new MojoFailureException("heroku-pipeline:" + goal + " needs the target apps: set <targetApps> in"
                    + " the plugin configuration of the active profile, or -Dheroku.targetApps=<app>[,<app>]");
        }
    }
}
