package io.github.herokupipeline.maven;

import io.github.herokupipeline.maven.ReactorUnits.PendingPromotion;
import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.prepare.PreparationInProgress;
import io.github.herokupipeline.pipeline.promote.Promotion;
import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;

/**
 * Runs the promotions that modules registered, once every module of the session has finished: one after the
 * other, in the order their modules reached the goal. A unit that fails fails the build, naming it, after every
 * unit has run and been reported.
 */
final class DeferredPromotions {

    private final ReactorUnits units;
    private final Log log;

    DeferredPromotions(ReactorUnits units, Log log) {
        this.units = units;
        this.log = log;
    }

    void promoteAll(List<PendingPromotion> promotions) throws MojoExecutionException, MojoFailureException {
        warnAboutUnpromotedUnits(promotions);
        List<String> failures = new ArrayList<>();
        MojoExecutionException unexpected = null;
        for (PendingPromotion promotion : promotions) {
            log.info("heroku-pipeline:promote of " + describe(promotion) + " (registered by " + promotion.module()
                    + ")");
            try {
                awaitPrepare(promotion);
                promotion.connection().run(PromoteMojo.GOAL, heroku -> new Promotion(heroku, promotion.reporter(),
                        promotion.waiting()).promote(promotion.settings()));
            } catch (MojoFailureException e) {
                failures.add(describe(promotion) + " (" + promotion.module() + "): " + e.getMessage());
            } catch (MojoExecutionException | RuntimeException e) {
                failures.add(describe(promotion) + " (" + promotion.module() + "): " + e.getMessage());
                if (unexpected == null) {
                    unexpected = e instanceof MojoExecutionException mee ? mee
                            : new MojoExecutionException(e.getMessage(), e);
                }
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
     * prepared build is looked for. If Heroku refused it (the key, the prepare app), promote fails with that: its
     * own checks would refuse the same. If it failed otherwise, promote goes on without it (onMissingPrepare
     * applies).
     */
    private void awaitPrepare(PendingPromotion promotion) throws MojoExecutionException, MojoFailureException {
        String prepareApp = promotion.settings().prepareApp().strip();
        for (PreparationInProgress work : units.inProgress(prepareApp)) {
            if (!work.isDone()) {
                log.info("Waiting for the prepare of " + work.commit().shortSha() + " on " + prepareApp
                        + " (upload and build creation)");
            }
            try {
                work.await(promotion.settings().buildTimeout());
            } catch (IOException | SourceException | DeployException | RuntimeException e) {
                Optional<Exception> refused = work.refusal();
                if (refused.isPresent()) {
                    promotion.connection().fail(PromoteMojo.GOAL, refused.get());
                }
                log.warn("The prepare of " + work.commit().shortSha() + " on " + prepareApp + " failed: "
                        + e.getMessage() + "; promote goes on without it");
            }
        }
    }

    /** A unit that prepared in this run but that no module promotes is said plainly, never dropped in silence. */
    private void warnAboutUnpromotedUnits(List<PendingPromotion> promotions) {
        for (Map.Entry<String, String> prepared : units.prepared().entrySet()) {
            String app = prepared.getKey().substring(0, prepared.getKey().indexOf(' '));
            if (promotions.stream().noneMatch(p -> p.settings().prepareApp().strip().equals(app))) {
                log.warn("heroku-pipeline: " + app + " was prepared (in " + prepared.getValue() + ") but no"
                        + " module of this build promotes it: bind the promote goal in that module too, or skip its"
                        + " prepare (-Dheroku.prepare.skip=true)");
            }
        }
    }

    static String describe(PendingPromotion promotion) {
        return promotion.settings().prepareApp().strip() + " -> " + String.join(", ", promotion.settings()
                .targetApps().stream().map(String::strip).toList());
    }

    static String describe(List<PendingPromotion> promotions) {
        return String.join("; ", promotions.stream().map(p -> describe(p) + " (registered by " + p.module() + ")")
                .toList());
    }
}
