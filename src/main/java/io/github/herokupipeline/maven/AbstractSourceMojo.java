package io.github.herokupipeline.maven;

import io.github.herokupipeline.pipeline.common.SourceSettings;
import java.io.File;
import java.util.List;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/** The goals that ship a commit's source: {@code prepare} and {@code promote}. */
abstract class AbstractSourceMojo extends AbstractPipelineMojo {

    /** The commit to ship instead of HEAD (a SHA, tag or branch of the project's git repository). */
    @Parameter(property = "heroku.commit")
    private String commit;

    /** The app's root inside the git repository (for monorepos); default: the repository root. */
    @Parameter(property = "heroku.sourceDirectory")
    private File sourceDirectory;

    /** Ship HEAD's content even when tracked files have uncommitted changes (a warning lists them). */
    @Parameter(property = "heroku.allowDirty", defaultValue = "false")
    private boolean allowDirty;

    /**
     * Ship each submodule's files at the commit the repository pins, as {@code git push heroku} does; a submodule
     * that is not checked out fails the build. {@code false} ships without submodules.
     */
    @Parameter(property = "heroku.includeSubmodules", defaultValue = "true")
    private boolean includeSubmodules;

    /** Buildpacks for builds the plugin starts (names like {@code heroku/jvm} or URLs); default: the app's. */
    @Parameter(property = "heroku.buildpacks")
    private List<String> buildpacks;

    AbstractSourceMojo(SettingsDecrypter decrypter, String goal) {
        super(decrypter, goal);
    }

    SourceSettings sourceSettings() {
        return new SourceSettings(projectDirectory(), sourceDirectory == null ? null : sourceDirectory.toPath(),
                commit, allowDirty, workDirectory(), includeSubmodules);
    }

    /** What identifies this module's source: the source directory (or the repository root) and the commit. */
    String sourceKey() {
        return (sourceDirectory == null ? "(repository root)" : sourceDirectory.toPath().toAbsolutePath().normalize())
                + " @ " + (commit == null || commit.isBlank() ? "HEAD" : commit.strip());
    }

    List<String> buildpacks() {
        return buildpacks == null ? List.of() : buildpacks;
    }
}
