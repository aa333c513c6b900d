package io.github.herokupipeline.maven;

import io.github.herokupipeline.maven.ReactorUnits.HandedOn;
import io.github.herokupipeline.maven.ReactorUnits.PendingPromotion;
import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.prepare.PreparationInProgress;
import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.maven.execution.ExecutionEvent;
import org.apache.maven.execution.ExecutionListener;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;

/**
 * The plugin's work at the end of the session, once every module has finished and before the build result is
 * printed: the promotions that modules registered run here (none when a module failed: the build fails anyway,
 * and the log names what was not deployed), then prepare work still running in the background (a run without
 * promote, such as {@code mvn verify}) is awaited, saying so. A failure in either fails the build, and so does a
 * prepare that Heroku refused (the key, the prepare app) when no promote has said so already. When the build
 * failed, background prepare work is stopped instead. It wraps the session's execution listener and hands every
 * event on to it.
 */
final class SessionEndGuard implements ExecutionListener {

    private final ExecutionListener delegate;
    private final ReactorUnits units;
    private final Log log;

    private SessionEndGuard(ExecutionListener delegate, ReactorUnits units, Log log) {
        this.delegate = delegate;
        this.units = units;
        this.log = log;
    }

    /** Installs the guard once per session. */
    static void install(MavenSession session, ReactorUnits units, Log log) {
        if (units.claimGuard()) {
            MavenExecutionRequest request = session.getRequest();
            request.setExecutionListener(new SessionEndGuard(request.getExecutionListener(), units, log));
        }
    }

    @Override
    public void sessionEnded(ExecutionEvent event) {
        try {
            finishBackgroundWork(event.getSession());
        } finally {
            if (delegate != null) {
                delegate.sessionEnded(event);
            }
        }
    }

    private void finishBackgroundWork(MavenSession session) {
        boolean failed = session.getResult() != null && session.getResult().hasExceptions();
        List<PendingPromotion> promotions = units.takePromotions();
        if (failed && !promotions.isEmpty()) {
            log.error("heroku-pipeline:promote did not run: a module of this build failed. Not deployed: "
                    + DeferredPromotions.describe(promotions));
        } else if (!promotions.isEmpty()) {
            try {
                new DeferredPromotions(units, log).promoteAll(promotions);
            } catch (MojoExecutionException | MojoFailureException | RuntimeException e) {
                failBuild(session, e instanceof RuntimeException ? new MojoExecutionException(
                        "heroku-pipeline:promote failed: " + e.getMessage(), e) : e);
            }
        }
        Set<String> promoted = failed ? Set.of() : promotions.stream()
                .map(promotion -> promotion.settings().prepareApp().strip()).collect(Collectors.toSet());
        for (HandedOn handedOn : units.inProgress()) {
            PreparationInProgress work = handedOn.work();
            String what = "the prepare of " + work.commit().shortSha() + " on " + work.app();
            if (!work.isDone()) {
                if (failed) {
                    log.info("The build failed: stopping " + what);
                    work.cancel();
                    continue;
                }
                log.info("Waiting for " + what + " (upload and build creation) to finish before Maven exits");
                try {
                    work.await();
                } catch (IOException | SourceException | DeployException | RuntimeException e) {
                    if (work.refusal().isEmpty()) {
                        log.error(capitalize(what) + " failed: " + e.getMessage());
                        failBuild(session, new MojoExecutionException("heroku-pipeline:prepare: " + what
                                + " failed: " + e.getMessage(), e));
                    }
                }
            }
            // what Heroku refused is the user's to fix: it fails the build, unless promote has said it already
            if (work.refusal().isPresent() && !promoted.contains(work.app())) {
                failBuild(session, handedOn.connection().failure(PrepareMojo.GOAL, work.refusal().orElseThrow()));
            }
        }
    }

    private static void failBuild(MavenSession session, Exception cause) {
        if (session.getResult() != null) {
            session.getResult().addException(cause);
        }
    }

    private static String capitalize(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    @Override
    public void projectDiscoveryStarted(ExecutionEvent event) {
        if (delegate != null) {
            delegate.projectDiscoveryStarted(event);
        }
    }

    @Override
    public void sessionStarted(ExecutionEvent event) {
        if (delegate != null) {
            delegate.sessionStarted(event);
        }
    }

    @Override
    public void projectSkipped(ExecutionEvent event) {
        if (delegate != null) {
            delegate.projectSkipped(event);
        }
    }

    @Override
    public void projectStarted(ExecutionEvent event) {
        if (delegate != null) {
            delegate.projectStarted(event);
        }
    }

    @Override
    public void projectSucceeded(ExecutionEvent event) {
        if (delegate != null) {
            delegate.projectSucceeded(event);
        }
    }

    @Override
    public void projectFailed(ExecutionEvent event) {
        if (delegate != null) {
            delegate.projectFailed(event);
        }
    }

    @Override
    public void mojoSkipped(ExecutionEvent event) {
        if (delegate != null) {
            delegate.mojoSkipped(event);
        }
    }

    @Override
    public void mojoStarted(ExecutionEvent event) {
        if (delegate != null) {
            delegate.mojoStarted(event);
        }
    }

    @Override
    public void mojoSucceeded(ExecutionEvent event) {
        if (delegate != null) {
            delegate.mojoSucceeded(event);
        }
    }

    @Override
    public void mojoFailed(ExecutionEvent event) {
        if (delegate != null) {
            delegate.mojoFailed(event);
        }
    }

    @Override
    public void forkStarted(ExecutionEvent event) {
        if (delegate != null) {
            delegate.forkStarted(event);
        }
    }

    @Override
    public void forkSucceeded(ExecutionEvent event) {
        if (delegate != null) {
            delegate.forkSucceeded(event);
        }
    }

    @Override
    public void forkFailed(ExecutionEvent event) {
        if (delegate != null) {
            delegate.forkFailed(event);
        }
    }

    @Override
    public void forkedProjectStarted(ExecutionEvent event) {
        if (delegate != null) {
            delegate.forkedProjectStarted(event);
        }
    }

    @Override
    public void forkedProjectSucceeded(ExecutionEvent event) {
        if (delegate != null) {
            delegate.forkedProjectSucceeded(event);
        }
    }

    @Override
    public void forkedProjectFailed(ExecutionEvent event) {
        if (delegate != null) {
            delegate.forkedProjectFailed(event);
        }
    }
}
