package io.github.herokupipeline.maven;

import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.pipeline.common.Reporter;
import io.github.herokupipeline.pipeline.prepare.Preparation;
import io.github.herokupipeline.pipeline.prepare.PreparationInProgress;
import io.github.herokupipeline.pipeline.prepare.PrepareSettings;
import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Starts a Heroku build of the commit being built on the prepare app and returns without waiting, so Heroku builds
 * while Maven runs the tests. Uploads exactly the tracked files of the commit. Runs once per deployment unit of a
 * reactor: modules with the same prepare app and source directory share one build.
 *
 * @since 0.1.0
 */
@Mojo(name = PrepareMojo.GOAL, defaultPhase = LifecyclePhase.TEST_COMPILE, threadSafe = true, aggregator = false)
public final class PrepareMojo extends AbstractSourceMojo {

    static final String GOAL = "prepare";

    /** Skips only this goal. */
    @Parameter(property = "heroku.prepare.skip", defaultValue = "false")
    private boolean prepareSkip;

    /**
     * Cancel the prepare app's pending builds of older commits (ancestors of this one in local git history) when
     * starting a build. Saves build time on busy branches; the older commit's own promote then sees the build was
     * superseded and applies {@code onMissingPrepare}. Off by default: that older run then builds on its targets
     * (the slow path) unless a newer run has shipped already.
     */
    @Parameter(property = "heroku.cancelSuperseded", defaultValue = "false")
    private boolean cancelSuperseded;

    /**
     * Prepare in every build, also on a developer's machine. By default prepare runs only where its build will be
     * promoted: in CI (the environment variable {@code CI} is set, as on GitHub Actions, GitLab CI, CircleCI,
     * Travis CI, Bitbucket Pipelines and Buildkite; or {@code JENKINS_URL}, {@code TF_BUILD}, {@code TEAMCITY_VERSION},
     * {@code CODEBUILD_BUILD_ID}), or when this build runs {@code promote} itself. Elsewhere, such as a developer's
     * {@code mvn verify}, it is skipped with one line and nothing is sent to Heroku.
     */
    @Parameter(property = "heroku.prepareLocally", defaultValue = "false")
    private boolean prepareLocally;

    /** Environment variables that say a build runs in CI. */
    static final List<String> CI_VARIABLES = List.of("CI", "JENKINS_URL", "TF_BUILD", "TEAMCITY_VERSION",
            "BUILDKITE", "CODEBUILD_BUILD_ID");

    @Inject
    public PrepareMojo(SettingsDecrypter decrypter) {
        super(decrypter, GOAL);
    }

    @Override
    boolean goalSkipped() {
        return prepareSkip;
    }

    /** Every request of prepare goes from its background work, which loads the client's classes itself. */
    @Override
    boolean firstRequestOnGoalThread() {
        return false;
    }

    /**
     * Prepare only where its build is going to be promoted (CI, or a build that promotes), and never fail a build
     * for what prepare merely could not do: offline, or without a key (a pull request from a fork), it is skipped
     * with a warning; promote, if it runs, still fails.
     */
    @Override
    boolean wantedInThisBuild(MavenSession session) throws MojoFailureException {
        if (!prepareLocally && !inCi() && !promotesInThisBuild(session)) {
            getLog().info("Skipping heroku-pipeline:prepare: not a CI build (no CI environment variable) and this"
                    + " build does not promote; nothing is sent to Heroku. -Dheroku.prepareLocally=true prepares"
                    + " anyway.");
            return false;
        }
        if (session.isOffline()) {
            getLog().warn("Skipping heroku-pipeline:prepare: Maven is offline (-o); the tests run without a prepared"
                    + " build.");
            return false;
        }
        if (!apiKeyAvailable()) {
            getLog().warn("Skipping heroku-pipeline:prepare: no Heroku API key (" + ApiKeyResolver.ENV + ", the"
                    + " settings.xml <server>, ~/.netrc), as in a pull request from a fork; the tests run without a"
                    + " prepared build.");
            return false;
        }
        return true;
    }

    private boolean inCi() {
        return CI_VARIABLES.stream().map(this::environment)
                .anyMatch(value -> value != null && !value.isBlank() && !value.strip().equalsIgnoreCase("false")
                        && !value.strip().equals("0"));
    }

    /** The build reaches deploy with promote bound in a module, or calls promote on the command line. */
    private boolean promotesInThisBuild(MavenSession session) {
        List<String> goals = session.getGoals();
        if (goals.stream().anyMatch(goal -> goal.endsWith(":" + PromoteMojo.GOAL))) {
            return true;
        }
        return goals.contains("deploy") && session.getProjects().stream()
                .anyMatch(project -> bindsGoal(project, PromoteMojo.GOAL));
    }

    /**
     * Once per deployment unit: the first module to reach prepare with a given prepare app, source directory and
     * commit runs it; later modules with the same unit have nothing to do.
     */
    @Override
    void runInReactor(MavenSession session, MavenProject project) throws MojoExecutionException,
            MojoFailureException {
        String unit = prepareApp().strip() + " " + sourceKey();
        String claimedBy = ReactorUnits.of(session).claimPrepare(unit, project.getArtifactId());
        if (claimedBy != null) {
            getLog().info("heroku-pipeline:prepare of " + prepareApp().strip() + " ran in " + claimedBy
                    + " already; nothing to do in " + project.getArtifactId());
            return;
        }
        Reporter reporter = reporter();
        ReactorUnits units = ReactorUnits.of(session);
        Preparation.Beginning beginning = begin(reporter);
        Connection connection;
        PreparationInProgress work;
        try {
            connection = connection(); // the key and the client's settings, while git names the commit
            work = connection.start(GOAL, heroku -> new Preparation(heroku, reporter, waiting()).start(beginning,
                    () -> closeQuietly(heroku)));
        } catch (MojoFailureException | MojoExecutionException | RuntimeException e) {
            discardQuietly(beginning); // nothing of it outlives the goal
            throw e;
        }
        units.handOn(work, connection);
        SessionEndGuard.install(session, units, getLog());
        getLog().info("Preparing " + work.commit().shortSha() + " on " + work.app() + " in the background (app"
                + " check, reuse check, archive, upload, build); the tests start now");
    }

    /** git starts at once: the goal waits for its answers, not for the client. */
    private Preparation.Beginning begin(Reporter reporter) throws MojoFailureException {
        try {
            return Preparation.begin(new PrepareSettings(prepareApp(), sourceSettings(), buildpacks(),
                    cancelSuperseded), reporter, waiting());
        } catch (SourceException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
    }

    private void discardQuietly(Preparation.Beginning beginning) {
        try {
            beginning.discard();
        } catch (IOException e) {
            getLog().debug("Removing the unused archive: " + e.getMessage());
        }
    }

    private void closeQuietly(HerokuClient heroku) {
        try {
            heroku.close();
        } catch (IOException e) {
            getLog().debug("Closing the Heroku client: " + e.getMessage());
        }
    }

    @Override
    void validate() throws MojoFailureException {
        requirePrepareApp();
    }
}
