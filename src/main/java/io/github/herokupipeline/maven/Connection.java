package io.github.herokupipeline.maven;

import io.github.herokupipeline.heroku.HerokuApiException;
import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.HerokuClientConfig;
import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import org.apache.maven.plugin.AbstractMojoExecutionException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

/**
 * One module's way to Heroku: its client configuration, and where its key came from (never the key) for the
 * message about a rejected key. Runs work with a client and turns failures into Maven's two kinds:
 * {@link MojoFailureException} for what the user can fix, {@link MojoExecutionException} for the unexpected.
 */
record Connection(HerokuClientConfig config, String keySource, String serverId) {

    /** Work done with a client. */
    @FunctionalInterface
    interface Work {
        void run(HerokuClient heroku) throws IOException, SourceException, DeployException, MojoFailureException;
    }

    /** Work that hands the client on to background work, which then closes it. */
    @FunctionalInterface
    interface Starter<T> {
        T start(HerokuClient heroku) throws IOException, SourceException, DeployException, MojoFailureException;
    }

    void run(String goal, Work work) throws MojoExecutionException, MojoFailureException {
        try (HerokuClient heroku = new HerokuClient(config)) {
            work.run(heroku);
        } catch (IOException | SourceException | DeployException e) {
            fail(goal, e);
        }
    }

    /**
     * Starts work that goes on in the background with a client of its own: on success the started work owns the
     * client (and closes it when it ends); on failure it is closed here.
     */
    <T> T start(String goal, Starter<T> starter) throws MojoExecutionException, MojoFailureException {
        HerokuClient heroku = new HerokuClient(config);
        try {
            return starter.start(heroku);
        } catch (IOException | SourceException | DeployException | MojoFailureException | RuntimeException e) {
            try {
                heroku.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            if (e instanceof MojoFailureException failure) {
                throw failure;
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            fail(goal, e);
            throw new IllegalStateException("unreachable", e);
        }
    }

    /** Throws the Maven exception for what went wrong, with the fix where the user can make one. */
    void fail(String goal, Exception cause) throws MojoExecutionException, MojoFailureException {
        AbstractMojoExecutionException failure = failure(goal, cause);
        if (failure instanceof MojoFailureException userFixable) {
            throw userFixable;
        }
        throw (MojoExecutionException) failure;
    }

    /**
     * The Maven exception for what went wrong, with the fix where the user can make one: a
     * {@link MojoFailureException} for what the user can fix, a {@link MojoExecutionException} otherwise.
     */
    AbstractMojoExecutionException failure(String goal, Exception cause) {
        try {
            throw cause;
        } catch (SourceException | DeployException e) {
            return new MojoFailureException(e.getMessage(), e);
        } catch (HerokuApiException.Unauthorized e) {
            return new MojoFailureException(e.getMessage() + ". Heroku rejected the API key from " + keySource
                    + ": set a valid key in " + ApiKeyResolver.ENV + ", the <server> '" + serverId
                    + "' of settings.xml or ~/.netrc (`heroku auth:token` prints one).", e);
        } catch (HerokuApiException.TwoFactorRequired e) {
            return new MojoFailureException(e.getMessage() + ". This operation needs a second factor, which a build"
                    + " cannot give: use a long-lived authorization (`heroku authorizations:create`).", e);
        } catch (HerokuApiException.Forbidden e) {
            return new MojoFailureException(e.getMessage() + ". The account of the key from " + keySource
                    + " lacks access: add it as a collaborator or team member of the app.", e);
        } catch (HerokuApiException.NotFound | HerokuApiException.InvalidParams e) {
            return new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            return new MojoExecutionException("heroku-pipeline:" + goal + " failed talking to Heroku at "
                    + config.baseUrl() + ": " + e.getMessage(), e);
        } catch (Exception e) {
            return new MojoExecutionException("heroku-pipeline:" + goal + " failed: " + e.getMessage(), e);
        }
    }
}
