package io.github.herokupipeline.maven;

import io.github.herokupipeline.maven.ReactorUnits.PendingPromotion;
import io.github.herokupipeline.pipeline.check.SmokeSettings;
import io.github.herokupipeline.pipeline.common.Reporter;
import io.github.herokupipeline.pipeline.prepare.PreparationInProgress;
import io.github.herokupipeline.pipeline.promote.PromoteSettings.OnMissingPrepare;
import io.github.herokupipeline.pipeline.promote.PromoteSettings.OnNewerCommit;
import io.github.herokupipeline.pipeline.promote.PromoteSettings.OnPrepareFailure;
import io.github.herokupipeline.pipeline.promote.PromoteSettings;
import io.github.herokupipeline.pipeline.promote.Promotion;
import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
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
 * on the targets instead (or fails, by policy). In a reactor it runs after the last module, once per deployment
 * unit: modules with the same prepare app and targets share one promotion.
 *
 * @since 0.1.0
 */
@Mojo(name = PromoteMojo.GOAL, defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public final class PromoteMojo extends AbstractTargetsMojo {

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
     * {@code deploy} takes it back to this commit anyway. Needs the history in the checkout ({@code fetch-depth: 0}
     * on GitHub Actions); without it the order cannot be checked, which is logged, and the target is deployed.
     */
    @Parameter(property = "heroku.onNewerCommit", defaultValue = "skip")
    private String onNewerCommit;

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

    /** A regular expression the smoke check's response body must contain. */
    @Parameter(property = "heroku.smokeBodyPattern")
    private String smokeBodyPattern;

    /** How long the smoke check retries while the app boots, e.g. {@code 2m}. */
    @Parameter(property = "heroku.smokeTimeout", defaultValue = "2m")
    private String smokeTimeout;

    /** When the smoke check fails, roll the target back to the release it ran before this deploy. */
    @Parameter(property = "heroku.rollbackOnFailure", defaultValue = "true")
    private boolean rollbackOnFailure;

    @Inject
    public PromoteMojo(SettingsDecrypter decrypter) {
        super(decrypter, GOAL);
    }

    @Override
    boolean goalSkipped() {
        return promoteSkip;
    }

    /**
     * Every module registers its deployment unit (prepare app, targets, source); the last module that runs the goal
     * waits for the others (under {@code -T}) and then promotes every registered unit, one after the other. A unit
     * that fails fails the build, naming it, after all units have run and been reported.
     */
    @Override
    void runInReactor(MavenSession session, MavenProject project) throws MojoExecutionException,
            MojoFailureException {
        ReactorUnits units = ReactorUnits.of(session);
        PendingPromotion mine = new PendingPromotion(unit(), project.getArtifactId(), settings(), connection());
        String registeredBy = units.register(mine);
        List<MavenProject> running = projectsRunning(session, GOAL);
        MavenProject last = running.get(running.size() - 1);
        boolean isLast = last == project || last.getId().equals(project.getId());
        if (registeredBy != null) {
            getLog().info("heroku-pipeline:promote of " + describe(mine) + " is registered by " + registeredBy
                    + " already; nothing more to add from " + project.getArtifactId());
        } else if (!isLast) {
            getLog().info("heroku-pipeline:promote of " + describe(mine) + " runs after the last module ("
                    + last.getArtifactId() + "); deferred from " + project.getArtifactId());
        }
        if (!isLast) {
            return;
        }
        if (session.isParallel() && !awaitOtherModules(session, project)) {
            return;
        }
        List<PendingPromotion> promotions = units.takePromotions();
        if (session.getResult() != null && session.getResult().hasExceptions()) {
            getLog().error("heroku-pipeline:promote skipped: other modules of this build failed; not deployed: "
                    + String.join(", ", promotions.stream().map(PromoteMojo::describe).toList()));
            return;
        }
        warnAboutUnpromotedUnits(units, promotions);
        promoteAll(units, promotions);
    }

    private void promoteAll(ReactorUnits units, List<PendingPromotion> promotions)
            throws MojoExecutionException, MojoFailureException {
        Reporter reporter = reporter();
        List<String> failures = new ArrayList<>();
        MojoExecutionException unexpected = null;
        for (PendingPromotion promotion : promotions) {
            if (promotions.size() > 1) {
                getLog().info("heroku-pipeline:promote of " + describe(promotion) + " (from " + promotion.module()
                        + ")");
            }
            awaitPrepare(units, promotion.settings().prepareApp().strip());
            try {
                promotion.connection().run(GOAL, heroku -> new Promotion(heroku, reporter, waiting())
                        .promote(promotion.settings()));
            } catch (MojoFailureException e) {
                failures.add(describe(promotion) + " (" + promotion.module() + "): " + e.getMessage());
            } catch (MojoExecutionException e) {
                failures.add(describe(promotion) + " (" + promotion.module() + "): " + e.getMessage());
                unexpected = unexpected == null ? e : unexpected;
            }
        }
        if (failures.isEmpty()) {
            return;
        }
        String message = promotions.size() == 1 ? failures.get(0).substring(failures.get(0).indexOf("): ") + 3)
                : "Deploy failed for " + failures.size() + " of " + promotions.size() + " app(s):\n"
                        + String.join("\n", failures);
        if (unexpected != null) {
            throw new MojoExecutionException(message, unexpected);
        }
        throw new MojoFailureException(message);
    }

    /**
     * Prepare work of this run still going on in the background (upload, build creation) is awaited before the
     * prepared build is looked for; if it failed, promote goes on without it (onMissingPrepare applies).
     */
    private void awaitPrepare(ReactorUnits units, String prepareApp) {
        for (PreparationInProgress work : units.inProgress(prepareApp)) {
            if (!work.isDone()) {
                getLog().info("Waiting for the prepare of " + work.commit().shortSha() + " on " + prepareApp
                        + " (upload and build creation) started at test-compile");
            }
            try {
                work.await();
            } catch (IOException | SourceException | RuntimeException e) {
                getLog().warn("The prepare of " + work.commit().shortSha() + " on " + prepareApp + " failed: "
                        + e.getMessage() + "; promote goes on without it");
            }
        }
    }

    /** A unit that prepared in this run but that no module promotes is said plainly, never dropped in silence. */
    private void warnAboutUnpromotedUnits(ReactorUnits units, List<PendingPromotion> promotions) {
        for (Map.Entry<String, String> prepared : units.prepared().entrySet()) {
            String app = prepared.getKey().substring(0, prepared.getKey().indexOf(' '));
            if (promotions.stream().noneMatch(p -> p.settings().prepareApp().strip().equals(app))) {
                getLog().warn("heroku-pipeline: " + app + " was prepared (in " + prepared.getValue() + ") but no"
                        + " module of this build promotes it: bind the promote goal in that module too, or skip its"
                        + " prepare (-Dheroku.prepare.skip=true)");
            }
        }
    }

    private String unit() throws MojoFailureException {
        return prepareApp().strip() + " -> " + String.join(",", targetApps().stream().map(String::strip).sorted()
                .toList()) + " " + sourceKey();
    }

    private static String describe(PendingPromotion promotion) {
        return promotion.settings().prepareApp().strip() + " -> " + String.join(", ", promotion.settings()
                .targetApps().stream().map(String::strip).toList());
    }

    /**
     * In a parallel build (-T) the last module can reach deploy while others still run their tests: wait until
     * every other module has finished. None of them depends on the last one, so this cannot deadlock.
     */
    private boolean awaitOtherModules(MavenSession session, MavenProject project) {
        boolean announced = false;
        while (true) {
            List<MavenProject> running = session.getProjects().stream()
                    .filter(other -> other != project && session.getResult().getBuildSummary(other) == null)
                    .toList();
            if (running.isEmpty()) {
                return true;
            }
            if (!announced) {
                getLog().info("heroku-pipeline:promote waits for " + running.size() + " other module(s) to finish");
                announced = true;
            }
            try {
                waiting().sleep(java.time.Duration.ofMillis(200));
            } catch (java.io.InterruptedIOException e) {
                return false;
            }
        }
    }

    @Override
    void validate() throws MojoFailureException {
        requirePrepareApp();
        validateTargets();
        smokeSettings();
        policy(OnMissingPrepare.class, onMissingPrepare, "<onMissingPrepare>");
        policy(OnPrepareFailure.class, onPrepareFailure, "<onPrepareFailure>");
        policy(OnNewerCommit.class, onNewerCommit, "<onNewerCommit>");
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
                policy(OnNewerCommit.class, onNewerCommit, "<onNewerCommit>"));
    }

    private SmokeSettings smokeSettings() throws MojoFailureException {
        if (smokeUrl == null || smokeUrl.isBlank()) {
            return null;
        }
        if (!SmokeSettings.isValidStatusList(smokeStatus)) {
            throw new MojoFailureException("'" + smokeStatus + "' is not a list of status codes for <smokeStatus>"
                    + " (-Dheroku.smokeStatus); write e.g. 2xx or 200,204");
        }
        Pattern pattern = null;
        if (smokeBodyPattern != null && !smokeBodyPattern.isBlank()) {
            try {
                pattern = Pattern.compile(smokeBodyPattern);
            } catch (PatternSyntaxException e) {
                throw new MojoFailureException("<smokeBodyPattern> (-Dheroku.smokeBodyPattern) is not a regular"
                        + " expression: " + e.getDescription(), e);
            }
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
