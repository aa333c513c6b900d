package io.github.herokupipeline.maven;

import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.pipeline.check.Rollback;
import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.common.Reporter;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Rolls each target app back to its previous release (or to {@code -Dheroku.release=vN}), follows the release
 * phase and reports the result: {@code mvn heroku-pipeline:rollback -Dheroku.targetApps=foo-production}.
 *
 * @since 0.1.0
 */
@Mojo(name = RollbackMojo.GOAL, threadSafe = true, aggregator = true, requiresProject = false)
public final class RollbackMojo extends AbstractHerokuMojo {

    static final String GOAL = "rollback";

    /** The release to go back to, e.g. {@code v41}; default: each app's previous release. */
    @Parameter(property = "heroku.release")
    private String release;

    /** The target apps to roll back, e.g. {@code -Dheroku.targetApps=foo-production}. */
    @Parameter(property = "heroku.targetApps")
    private List<String> targetApps;

    /** How long a rollback and the targets' release phases may take, e.g. {@code 10m}. */
    @Parameter(property = "heroku.promotionTimeout", defaultValue = "10m")
    private String promotionTimeout;

    @Inject
    public RollbackMojo(SettingsDecrypter decrypter) {
        super(decrypter, GOAL);
    }

    @Override
    boolean needsPrepareApp() {
        return false;
    }

    List<String> targetApps() {
        return TargetApps.orEmpty(targetApps);
    }

    Duration promotionTimeout() throws MojoFailureException {
        return TargetApps.promotionTimeout(promotionTimeout);
    }

    @Override
    void validate() throws MojoFailureException {
        TargetApps.validate(goal(), targetApps, promotionTimeout);
    }

    @Override
    void runInReactor(MavenSession session, MavenProject project) throws MojoExecutionException,
            MojoFailureException {
        runHere(this::rollBack);
    }

    private void rollBack(HerokuClient heroku, Reporter reporter) throws IOException, DeployException,
            MojoFailureException {
        List<Rollback.Result> results = new Rollback(heroku, reporter, waiting()).rollBack(targetApps(), release,
                promotionTimeout());
        List<Rollback.Result> failed = results.stream().filter(r -> !r.succeeded()).toList();
        if (!failed.isEmpty()) {
            throw new DeployException("Rollback failed on " + failed.size() + " of " + results.size() + " app(s):\n  "
                    + String.join("\n  ", failed.stream().map(Rollback.Result::describe).toList()));
        }
    }
}
