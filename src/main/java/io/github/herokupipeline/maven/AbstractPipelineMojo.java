package io.github.herokupipeline.maven;

import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/** The goals that work with the prepare app and its pipeline: {@code prepare}, {@code promote}, {@code status}. */
abstract class AbstractPipelineMojo extends AbstractHerokuMojo {

    /** The app that builds each commit while the tests run; it must be in the same pipeline as the targets. */
    @Parameter(property = "heroku.prepareApp")
    private String prepareApp;

    AbstractPipelineMojo(SettingsDecrypter decrypter, String goal) {
        super(decrypter, goal);
    }

    @Override
    boolean needsPrepareApp() {
        return true;
    }

    @Override
    final String prepareApp() {
        return prepareApp;
    }

    void requirePrepareApp() throws MojoFailureException {
        if (prepareApp == null || prepareApp.isBlank()) {
            throw new MojoFailureException("heroku-pipeline:" + goal() + " needs the prepare app: set <prepareApp> in"
                    + " the plugin configuration, or -Dheroku.prepareApp=<app>");
        }
    }
}
