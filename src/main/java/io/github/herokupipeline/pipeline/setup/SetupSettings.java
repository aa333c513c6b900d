package io.github.herokupipeline.pipeline.setup;

import java.util.List;

/**
 * What {@code setup} works on.
 *
 * @param prepareApp the app to create or set up
 * @param targetApps the apps promote ships to; their pipeline is the prepare app's
 * @param setupFrom the app whose placement, buildpacks and build config vars the prepare app copies; null or blank:
 *     the last of {@code targetApps}
 * @param buildConfigVars the names of the config vars the build reads, copied from {@code setupFrom}
 * @param dryRun print the plan, send only GET requests
 */
public record SetupSettings(String prepareApp, List<String> targetApps, String setupFrom,
        List<String> buildConfigVars, boolean dryRun) {

    public SetupSettings {
        prepareApp = prepareApp == null ? null : prepareApp.strip();
        targetApps = targetApps.stream().filter(app -> app != null && !app.isBlank()).map(String::strip).toList();
        buildConfigVars = buildConfigVars == null ? List.of()
                : buildConfigVars.stream().filter(name -> name != null && !name.isBlank()).map(String::strip)
                        .distinct().toList();
    }

    /** The app the prepare app is made like. */
    public String referenceApp() {
        return setupFrom != null && !setupFrom.isBlank() ? setupFrom.strip() : targetApps.get(targetApps.size() - 1);
    }

    /** The setting that names the reference app, for messages. */
    String referenceSetting() {
        return setupFrom != null && !setupFrom.isBlank() ? "<setupFrom> (-Dheroku.setupFrom)"
                : "the last of <targetApps>";
    }
}
