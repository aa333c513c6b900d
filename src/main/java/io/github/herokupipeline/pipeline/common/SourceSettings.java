package io.github.herokupipeline.pipeline.common;

import java.nio.file.Path;

/**
 * Which source to ship: the project directory (to find the git repository), an optional app root inside the
 * repository, an optional commit instead of HEAD, whether uncommitted changes are tolerated, and the folder for
 * the archive and records ({@code target/heroku-pipeline}).
 */
public record SourceSettings(Path projectDirectory, Path sourceDirectory, String commit, boolean allowDirty,
        Path workDirectory) {}
