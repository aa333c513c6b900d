package io.github.herokupipeline.maven;

import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.common.Reporter;
import io.github.herokupipeline.pipeline.setup.Setup;
import io.github.herokupipeline.pipeline.setup.SetupSettings;
import java.io.IOException;
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
 * Sets the prepare app up like production, once and again whenever production changes: creates it when it does
 * not exist (same team or personal account, region, space and stack as the reference app), adds it to the targets'
 * pipeline at stage {@code development}, gives it the reference app's buildpacks in order and the config vars
 * named in {@code buildConfigVars}, and scales its dynos to 0. Each step reports "already so" or what it changed;
 * a second run changes nothing. Run with the profile that configures {@code targetApps}:
 * {@code mvn heroku-pipeline:setup -Pproduction}. Never touches the targets, nor the prepare app's other config
 * vars, add-ons or domains.
 *
 * @since 0.1.0
 */
@Mojo(name = SetupMojo.GOAL, threadSafe = true)
public final class SetupMojo extends AbstractPipelineMojo {

    static final String GOAL = "setup";

    /** The apps promote ships to, whose pipeline the prepare app joins (as for promote). */
    @Parameter(property = "heroku.targetApps")
    private List<String> targetApps;

    /**
     * The app the prepare app is made like: its team, region, space and stack when created, its buildpacks and its
     * {@code buildConfigVars}. Default: the last of {@code targetApps} (production, in the README's profiles).
     */
    @Parameter(property = "heroku.setupFrom")
    private String setupFrom;

    /**
     * The config vars the build reads (e.g. {@code IMAGEMAGICK_VERSION,MAVEN_CUSTOM_OPTS}), comma-separated or as
     * {@code <buildConfigVar>} elements: {@code setup} copies them from {@code setupFrom} to the prepare app;
     * {@code status} and {@code promote} warn when they differ. Only these names are ever read or written; values
     * are never printed.
     */
    @Parameter(property = "heroku.buildConfigVars")
    private List<String> buildConfigVars;

    /** Print what setup would change, sending only GET requests. */
    @Parameter(property = "heroku.dryRun", defaultValue = "false")
    private boolean dryRun;

    @Inject
    public SetupMojo(SettingsDecrypter decrypter) {
        super(decrypter, GOAL);
    }

    @Override
    void validate() throws MojoFailureException {
        requirePrepareApp();
        TargetApps.require(goal(), targetApps);
        BuildConfigVars.validate(buildConfigVars);
    }

    @Override
    void runInReactor(MavenSession session, MavenProject project) throws MojoExecutionException,
            MojoFailureException {
        runHere(this::setUp);
    }

    private void setUp(HerokuClient heroku, Reporter reporter) throws IOException, DeployException {
        new Setup(heroku, reporter).setUp(new SetupSettings(prepareApp(), TargetApps.orEmpty(targetApps), setupFrom,
                BuildConfigVars.orEmpty(buildConfigVars), dryRun));
    }
}
