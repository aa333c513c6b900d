package io.github.herokupipeline.pipeline.prepare;

import io.github.herokupipeline.pipeline.common.SourceSettings;
import java.util.List;

/** What {@code prepare} needs: the prepare app, the source, buildpacks, and whether to cancel superseded builds. */
public record PrepareSettings(String prepareApp, SourceSettings source, List<String> buildpacks,
        boolean cancelSuperseded) {}
