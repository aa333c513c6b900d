package io.github.herokupipeline.maven;

import java.time.Duration;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/** The parameters of the goals that change the target apps: {@code promote} and {@code rollback}. */
abstract class AbstractTargetsMojo extends AbstractHerokuMojo {

    /**
     * The target apps, usually set per profile: staging, or the production apps. {@code promote} deploys to them,
     * {@code rollback} rolls them back.
     */
    @Parameter(property = "heroku.targetApps")
    private List<String> targetApps;

    /** How long a promotion and the targets' release phases (or a rollback's) may take, e.g. {@code 10m}. */
    @Parameter(property = "heroku.promotionTimeout", defaultValue = "10m")
    private String promotionTimeout;

    AbstractTargetsMojo(SettingsDecrypter decrypter, String goal) {
        super(decrypter, goal);
    }

    List<String> targetApps() {
        return targetApps == null ? List.of() : targetApps;
    }

    Duration promotionTimeout() throws MojoFailureException {
        return duration(promotionTimeout, "<promotionTimeout> (-Dheroku.promotionTimeout)");
    }

    /** Checks the parameters declared here. */
    void validateTargets() throws MojoFailureException {
        if (targetApps == null || targetApps.stream().allMatch(app -> app == null || app.isBlank())) {
            throw new MojoFailureException("heroku-pipeline:" + goal() + " needs the target apps: set"
                    + " <targetApps> in the plugin configuration of the active profile, or"
                    + " -Dheroku.targetApps=<app>[,<app>]");
        }
        promotionTimeout();
    }
}
