package io.github.herokupipeline.maven;

import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.common.Reporter;
import io.github.herokupipeline.pipeline.status.PipelineOverview;
import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import java.nio.file.Path;
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
 * Shows what runs where in the pipeline: for every app (by stage) its release, the commit it runs and how that
 * stands against HEAD, and for each pair of adjacent stages the commits a promotion would ship; with the prepare
 * app's newest builds and the drift that breaks promotion (stack, buildpacks, web dynos on the prepare app). From
 * the Platform API and local git history, with GET requests only: {@code mvn heroku-pipeline:status}. Writes
 * {@code target/heroku-pipeline/status.json}.
 *
 * @since 0.1.0
 */
@Mojo(name = StatusMojo.GOAL, threadSafe = true, aggregator = true)
public final class StatusMojo extends AbstractPipelineMojo {

    static final String GOAL = "status";

    /** The pipeline to show, by name or id, instead of the prepare app's; then no {@code prepareApp} is needed. */
    @Parameter(property = "heroku.pipeline")
    private String pipeline;

    /**
     * The config vars the build reads (e.g. {@code IMAGEMAGICK_VERSION}), comma-separated: a name the prepare app
     * lacks, or holds with another value than a target, is a warning (names only, values never printed);
     * {@code heroku-pipeline:setup} copies them.
     */
    @Parameter(property = "heroku.buildConfigVars")
    private List<String> buildConfigVars;

    @Inject
    public StatusMojo(SettingsDecrypter decrypter) {
        super(decrypter, GOAL);
    }

    @Override
    boolean needsPrepareApp() {
        return false;
    }

    @Override
    void validate() throws MojoFailureException {
        if ((pipeline == null || pipeline.isBlank()) && (prepareApp() == null || prepareApp().isBlank())) {
            throw new MojoFailureException("heroku-pipeline:status needs the pipeline: set <prepareApp> in the"
                    + " plugin configuration (its pipeline is shown), or -Dheroku.pipeline=<name or id>");
        }
        BuildConfigVars.validate(buildConfigVars);
    }

    @Override
    void runInReactor(MavenSession session, MavenProject project) throws MojoExecutionException,
            MojoFailureException {
        runHere(this::status);
    }

    private void status(HerokuClient heroku, Reporter reporter) throws IOException, SourceException,
            DeployException {
        String summary = environment("GITHUB_STEP_SUMMARY");
        new PipelineOverview(heroku, reporter).status(new PipelineOverview.Settings(prepareApp(), pipeline,
                projectDirectory(), workDirectory(),
                summary == null || summary.isBlank() ? null : Path.of(summary),
                BuildConfigVars.orEmpty(buildConfigVars)));
    }
}
