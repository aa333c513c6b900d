package io.github.herokupipeline.pipeline.common;

import io.github.herokupipeline.heroku.HerokuApiException;
import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.BuildpackInstallation;
import io.github.herokupipeline.heroku.model.PipelineCoupling;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Looks apps and their pipeline up, turning "not found" into a message that names the setting to fix. */
public final class Apps {

    private Apps() {}

    public static App get(HerokuClient heroku, String name, String setting) throws IOException, DeployException {
        if (name == null || name.isBlank()) {
            throw new DeployException("No app name given: set " + setting);
        }
        try {
            return heroku.getApp(name.strip());
        } catch (HerokuApiException.NotFound e) {
            throw new DeployException("Heroku has no app '" + name + "' that this API key can see (" + setting
                    + "). Check the name with `heroku apps` and that the key's account has access to it.", e);
        }
    }

    public static PipelineCoupling coupling(HerokuClient heroku, App app) throws IOException, DeployException {
        return coupled(app, findCoupling(heroku, app.id()));
    }

    /** The pipeline coupling of an app (by id or name), or empty when it is in no pipeline. */
    public static Optional<PipelineCoupling> findCoupling(HerokuClient heroku, String app) throws IOException {
        try {
            return Optional.of(heroku.getPipelineCoupling(app));
        } catch (HerokuApiException.NotFound e) {
            return Optional.empty();
        }
    }

    /** The coupling found for {@code app}, or the error that says how to add the app to the pipeline. */
    public static PipelineCoupling coupled(App app, Optional<PipelineCoupling> coupling) throws DeployException {
        if (coupling.isEmpty()) {
            throw new DeployException("App '" + app.name() + "' is not in a Heroku pipeline. Add it to the prepare"
                    + " app's pipeline: `heroku pipelines:add <pipeline> -a " + app.name() + " -s <stage>`");
        }
        return coupling.get();
    }

    /** The app's buildpacks (names, else URLs), in the order they run. */
    public static List<String> buildpacks(HerokuClient heroku, String app) throws IOException {
        return heroku.listBuildpackInstallations(app).stream()
                .sorted(Comparator.comparingInt(BuildpackInstallation::ordinal))
                .map(BuildpackInstallation::label).toList();
    }

    /** The stack of apps that run Docker images; their releases cannot be promoted through a pipeline. */
    public static final String CONTAINER_STACK = "container";

    /**
     * Refuses an app on the {@code container} stack before anything is uploaded, built or promoted: Heroku cannot
     * promote releases of container-stack apps through a pipeline (heroku/roadmap#222), so the plugin could only fail
     * after building.
     */
    public static void refuseContainerStack(App app, String role) throws DeployException {
        if (CONTAINER_STACK.equals(app.stackName())) {
            throw new DeployException(role + " '" + app.name() + "' is on the container stack: Heroku cannot promote"
                    + " the releases of container-stack apps through a pipeline (heroku/roadmap#222), so this plugin"
                    + " cannot ship to or from it. Deploy it with `heroku container:push` and `heroku"
                    + " container:release` instead, or leave it out of <prepareApp>/<targetApps>. Nothing was changed.");
        }
    }
}
