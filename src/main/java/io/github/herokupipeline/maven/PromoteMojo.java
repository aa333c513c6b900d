package io.github.herokupipeline.maven;

import io.github.herokupipeline.maven.ReactorUnits.PendingPromotion;
import io.github.herokupipeline.pipeline.check.SmokeSettings;
import io.github.herokupipeline.pipeline.promote.PromoteSettings.OnMissingPrepare;
import io.github.herokupipeline.pipeline.promote.PromoteSettings.OnNewerCommit;
import io.github.herokupipeline.pipeline.promote.PromoteSettings.OnPrepareFailure;
import io.github.herokupipeline.pipeline.promote.PromoteSettings.OnUnknownOrder;
import io.github.herokupipeline.pipeline.promote.PromoteSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
 * Promotes the prepare app's release of this exact commit through the pipeline to the target apps, waiting for
 * the prepare build if it is still running, and verifies every target; without a usable prepared slug it builds
 * on the targets instead (or fails, by policy). In a reactor it runs once every module has finished, once per
 * deployment unit: modules with the same prepare app and targets share one promotion.
 *
 * @since 0.1.0
 */
@Mojo(name = PromoteMojo.GOAL, defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public final class PromoteMojo extends AbstractSourceMojo {

    static final String GOAL = "promote";

    /** Skips only this goal. */
    @Parameter(property = "heroku.promote.skip", defaultValue = "false")
    private boolean promoteSkip;

    /** No build of this commit on the prepare app: {@code build} on the targets, or {@code fail}. */
    @Parameter(property = "heroku.onMissingPrepare", defaultValue = "build")
    private String onMissingPrepare;

    /** The prepare build of this commit failed: {@code fail} with its log, or {@code build} on the targets. */
    @Parameter(property = "heroku.onPrepareFailure", defaultValue = "fail")
    private String onPrepareFailure;

    /** How long to wait for a build (the prepare build, or a fallback build), e.g. {@code 20m}. */
    @Parameter(property = "heroku.buildTimeout", defaultValue = "20m")
    private String buildTimeout;

    /**
     * A target already runs a newer commit than this one (a descendant in local git history: an overlapping CI run
     * shipped first): {@code skip} leaves it and reports it as skipped, {@code fail} leaves it and fails the build,
     * {@code deploy} takes it back to this commit anyway. Newer is read from local git history, or, when the checkout
     * lacks the commit, from what its build recorded on Heroku (see {@code onUnknownOrder} for neither).
     */
    @Parameter(property = "heroku.onNewerCommit", defaultValue = "skip")
    private String onNewerCommit;

    /**
     * A target runs a commit whose order against this one neither local git history nor the evidence its build
     * recorded on Heroku can tell (a release deployed by other means): {@code deploy} over it (saying so),
     * {@code skip} it, or {@code fail}.
     */
    @Parameter(property = "heroku.onUnknownOrder", defaultValue = "deploy")
    private String onUnknownOrder;

    /** Resolve everything and print the plan, changing nothing on Heroku. */
    @Parameter(property = "heroku.dryRun", defaultValue = "false")
    private boolean dryRun;

    /**
     * Smoke check after each target's release: an absolute URL, or a path resolved against the app's
     * {@code web_url}; {@code {app}} is replaced by the app's name. With a smoke check, targets are deployed one at
     * a time and a failure stops the ones after it. Default: no smoke check.
     */
    @Parameter(property = "heroku.smokeUrl")
    private String smokeUrl;

    /** Status codes the smoke check accepts, e.g. {@code 2xx} or {@code 200,204}. */
    @Parameter(property = "heroku.smokeStatus", defaultValue = "2xx")
    private String smokeStatus;

    /**
     * A regular expression the smoke check's response body must contain. {@code {commit}} in it stands for the full
     * SHA of the commit being deployed: with an endpoint that prints the commit it runs (such as
     * {@code HEROKU_BUILD_COMMIT} from dyno metadata), only the new release passes, even while preboot keeps the old
     * dynos answering.
     */
    @Parameter(property = "heroku.smokeBodyPattern")
    private String smokeBodyPattern;

    /** How long the smoke check retries while the app boots, e.g. {@code 2m}. */
    @Parameter(property = "heroku.smokeTimeout", defaultValue = "2m")
    private String smokeTimeout;

    /** When the smoke check fails, roll the target back to the release it ran before this deploy. */
    @Parameter(property = "heroku.rollbackOnFailure", defaultValue = "true")
    private boolean rollbackOnFailure;

    /**
     * The target apps, usually set per profile: staging, or the production apps; promote deploys to them, in this
     * order.
     */
    @Parameter(property = "heroku.targetApps")
    private List<String> targetApps;

    /** How long a promotion and the targets' release phases may take, e.g. {@code 10m}. */
    @Parameter(property = "heroku.promotionTimeout", defaultValue = "10m")
    private String promotionTimeout;

    /**
     * The config vars the build reads (e.g. {@code IMAGEMAGICK_VERSION}), comma-separated: a name the prepare app
     * lacks, or holds with another value than a target, is a warning (names only, values never printed);
     * {@code heroku-pipeline:setup} copies them.
     */
    @Parameter(property = "heroku.buildConfigVars")
    private List<String> buildConfigVars;

    @Inject
    public PromoteMojo(SettingsDecrypter decrypter) {
        super(decrypter, GOAL);
    }

    @Override
    boolean goalSkipped() {
        return promoteSkip;
    }

    /**
     * Every module registers its deployment unit (prepare app, targets, source); the registered promotions run
     * once every module of the session has finished, from the session's end, never on a module's thread that
     * waits for others: so a later module (packaging, end-to-end tests) is built before any target changes, and
     * {@code -T} cannot deadlock. A failed module means no promotion; a unit that fails fails the build.
     */
    @Override
    void runInReactor(MavenSession session, MavenProject project) throws MojoExecutionException,
            MojoFailureException {
        ReactorUnits units = ReactorUnits.of(session);
        PendingPromotion mine = new PendingPromotion(unit(), project.getArtifactId(), settings(), connection(),
                reporter(), waiting());
        String registeredBy = units.register(mine);
        if (registeredBy != null) {
            getLog().info("heroku-pipeline:promote of " + DeferredPromotions.describe(mine) + " is registered by "
                    + registeredBy + " already; nothing more to add from " + project.getArtifactId());
            return;
        }
        SessionEndGuard.install(session, units, getLog());
        getLog().info("heroku-pipeline:promote of " + DeferredPromotions.describe(mine) + " runs once every module"
                + " of this build has finished; registered by " + project.getArtifactId());
    }

    private String unit() throws MojoFailureException {
        return prepareApp().strip() + " -> " + String.join(",", targetApps().stream().map(String::strip).sorted()
                .toList()) + " " + sourceKey();
    }

    List<String> targetApps() {
        return TargetApps.orEmpty(targetApps);
    }

    Duration promotionTimeout() throws MojoFailureException {
        return TargetApps.promotionTimeout(promotionTimeout);
    }

    @Override
    void validate() throws MojoFailureException {
        requirePrepareApp();
        TargetApps.validate(goal(), targetApps, promotionTimeout);
        smokeSettings();
        policy(OnMissingPrepare.class, onMissingPrepare, "<onMissingPrepare>");
        policy(OnPrepareFailure.class, onPrepareFailure, "<onPrepareFailure>");
        policy(OnNewerCommit.class, onNewerCommit, "<onNewerCommit>");
        policy(OnUnknownOrder.class, onUnknownOrder, "<onUnknownOrder>");
        BuildConfigVars.validate(buildConfigVars);
        duration(buildTimeout, "<buildTimeout> (-Dheroku.buildTimeout)");
    }

    private PromoteSettings settings() throws MojoFailureException {
        String summary = environment("GITHUB_STEP_SUMMARY");
        return new PromoteSettings(prepareApp(), targetApps(),
                sourceSettings(), policy(OnMissingPrepare.class, onMissingPrepare, "<onMissingPrepare>"),
                policy(OnPrepareFailure.class, onPrepareFailure, "<onPrepareFailure>"),
                duration(buildTimeout, "<buildTimeout> (-Dheroku.buildTimeout)"),
                promotionTimeout(), dryRun, buildpacks(),
                summary == null || summary.isBlank() ? null : Path.of(summary), smokeSettings(),
                policy(OnNewerCommit.class, onNewerCommit, "<onNewerCommit>"),
                policy(OnUnknownOrder.class, onUnknownOrder, "<onUnknownOrder>"),
                BuildConfigVars.orEmpty(buildConfigVars));
    }

    private SmokeSettings smokeSettings() throws MojoFailureException {
        if (smokeUrl == null || smokeUrl.isBlank()) {
            return null;
        }
        String urlProblem = SmokeSettings.urlProblem(smokeUrl);
        if (urlProblem != null) {
            throw new MojoFailureException("<smokeUrl> (-Dheroku.smokeUrl) '" + smokeUrl + "' is not usable: "
                    + urlProblem + ". Give an absolute http(s) URL or a path such as /health ({app} stands for the"
                    + " app's name); nothing was changed.");
        }
        if (!SmokeSettings.isValidStatusList(smokeStatus)) {
            throw new MojoFailureException("'" + smokeStatus + "' is not a list of status codes for <smokeStatus>"
                    + " (-Dheroku.smokeStatus); write e.g. 2xx or 200,204");
        }
        String pattern = null;
        if (smokeBodyPattern != null && !smokeBodyPattern.isBlank()) {
            String problem = SmokeSettings.patternProblem(smokeBodyPattern);
            if (problem != null) {
                throw new MojoFailureException("<smokeBodyPattern> (-Dheroku.smokeBodyPattern) is not a regular"
                        + " expression: " + problem + " ({commit} may stand for the deployed commit's SHA)");
            }
            pattern = smokeBodyPattern;
        }
        return new SmokeSettings(smokeUrl.strip(), smokeStatus.strip(), pattern,
                duration(smokeTimeout, "<smokeTimeout> (-Dheroku.smokeTimeout)"), rollbackOnFailure);
    }

    static <E extends Enum<E>> E policy(Class<E> type, String value, String parameter) throws MojoFailureException {
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            List<String> allowed = java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
            throw new MojoFailureException("'" + value + "' is not a value of " + parameter + "; use one of "
                    + String.join(", ", allowed));
        }
    }
}
