package io.github.herokupipeline.pipeline.common;

import java.nio.file.Path;

/**
 * Which source to ship: the project directory (to find the git repository), an optional app root inside the
 * repository, an optional commit instead of HEAD, whether uncommitted changes are tolerated, the folder for the
 * archive and records ({@code target/heroku-pipeline}), and whether submodules are shipped with it.
 */
public record SourceSettings(Path projectDirectory, Path sourceDirectory, String commit, boolean allowDirty,
        Path workDirectory, boolean includeSubmodules) {

    /** Settings that ship submodules, as {@code git push heroku} does. */
    public SourceSettings(Path projectDirectory, Path sourceDirectory, String commit, boolean allowDirty,
            Path workDirectory) {
        this(projectDirectory, sourceDirectory, commit, allowDirty, workDirectory, true);
    }
}
