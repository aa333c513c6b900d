package io.github.herokupipeline.maven;

import java.time.Duration;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;

/**
 * The parameters both goals that change target apps ({@code promote}, {@code rollback}) declare, each in its own
 * words: {@code targetApps} and {@code promotionTimeout}, checked and read the same way.
 */
final class TargetApps {

    private TargetApps() {}

    static List<String> orEmpty(List<String> targetApps) {
        return targetApps == null ? List.of() : targetApps;
    }

    static Duration promotionTimeout(String value) throws MojoFailureException {
        return AbstractHerokuMojo.duration(value, "<promotionTimeout> (-Dheroku.promotionTimeout)");
    }

    static void validate(String goal, List<String> targetApps, String promotionTimeout)
            throws MojoFailureException {
        require(goal, targetApps);
        promotionTimeout(promotionTimeout);
    }

    static void require(String goal, List<String> targetApps) throws MojoFailureException {
        if (targetApps == null || targetApps.stream().allMatch(app -> app == null || app.isBlank())) {
            throw new MojoFailureException("heroku-pipeline:" + goal + " needs the target apps: set <targetApps> in"
                    + " the plugin configuration of the active profile, or -Dheroku.targetApps=<app>[,<app>]");
        }
    }
}
