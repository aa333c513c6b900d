package io.github.herokupipeline.maven;

import io.github.herokupipeline.pipeline.prepare.PreparationInProgress;
import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import org.apache.maven.execution.ExecutionEvent;
import org.apache.maven.execution.ExecutionListener;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.logging.Log;

/**
 * Keeps Maven from ending the session while prepare work still runs in the background (a run without promote,
 * such as {@code mvn verify}): at the end of the session, before the build result is printed, it waits for the
 * upload and the build's creation, saying so; a failure there fails the build. When the build failed anyway, the
 * work is stopped instead. It wraps the session's execution listener and hands every event on to it.
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
        for (PreparationInProgress work : units.inProgress()) {
            if (work.isDone()) {
                continue;
            }
            String what = "the prepare of " + work.commit().shortSha() + " on " + work.app();
            if (failed) {
                log.info("The build failed: stopping " + what);
                work.cancel();
                continue;
            }
            log.info("Waiting for " + what + " (upload and build creation) to finish before Maven exits");
            try {
                work.await();
            } catch (IOException | SourceException | RuntimeException e) {
                log.error(capitalize(what) + " failed: " + e.getMessage());
                if (session.getResult() != null) {
                    session.getResult().addException(new MojoExecutionException("heroku-pipeline:prepare: " + what
                            + " failed: " + e.getMessage(), e));
                }
            }
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
