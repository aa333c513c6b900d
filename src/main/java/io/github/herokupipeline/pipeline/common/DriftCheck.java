package io.github.herokupipeline.pipeline.common;

import io.github.herokupipeline.heroku.HerokuApiException;
import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.BuildpackInstallation;
import io.github.herokupipeline.heroku.model.Formation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Drift that silently breaks the idea of a prepare app: it builds what the targets will run, so it must build the
 * way they would (same stack, same buildpacks in the same order); and it never serves traffic, so web dynos on it
 * only cost money. Only GET requests, looked up side by side.
 */
public final class DriftCheck {

    private final HerokuClient heroku;

    public DriftCheck(HerokuClient heroku) {
        this.heroku = heroku;
    }

    /** One warning a line; none when the apps agree. */
    public List<String> check(App prepare, List<App> targets) throws IOException, DeployException {
        List<App> all = new ArrayList<>();
        all.add(prepare);
        all.addAll(targets);
        // every app's buildpacks and the prepare app's web dynos, all at once
        List<Parallel.Call<Object>> lookups = new ArrayList<>();
        for (App app : all) {
            lookups.add(() -> buildpacks(app));
        }
        lookups.add(() -> webDynos(prepare));
        List<Object> found = Parallel.all(lookups);
        @SuppressWarnings("unchecked")
        List<List<String>> buildpacks = found.subList(0, all.size()).stream().map(o -> (List<String>) o).toList();
        List<String> warnings = new ArrayList<>();
        List<String> prepareBuildpacks = buildpacks.get(0);
        for (int i = 0; i < targets.size(); i++) {
            App target = targets.get(i);
            if (prepare.stackName() != null && target.stackName() != null
                    && !prepare.stackName().equals(target.stackName())
                    && !Apps.CONTAINER_STACK.equals(prepare.stackName())
                    && !Apps.CONTAINER_STACK.equals(target.stackName())) { // refused outright, not a drift
                warnings.add(target.name() + " runs stack " + target.stackName() + " but the prepare app "
                        + prepare.name() + " builds on " + prepare.stackName() + ": what is promoted was built for "
                        + prepare.stackName() + " (`heroku stack:set " + prepare.stackName() + " -a "
                        + target.name() + "`, or set the prepare app's stack)");
            }
            List<String> targetBuildpacks = buildpacks.get(i + 1);
            if (!Objects.equals(prepareBuildpacks, targetBuildpacks)) {
                warnings.add(target.name() + " uses buildpacks " + targetBuildpacks + " but the prepare app "
                        + prepare.name() + " uses " + prepareBuildpacks + ": the prepared build is made the way "
                        + prepare.name() + " builds; give both the same buildpacks in the same order"
                        + " (`heroku buildpacks -a " + prepare.name() + "`)");
            }
        }
        int webDynos = (Integer) found.get(all.size());
        if (webDynos > 0) {
            warnings.add("The prepare app " + prepare.name() + " runs " + webDynos + " web dyno(s); it never serves"
                    + " traffic, so they only cost money (`heroku ps:scale web=0 -a " + prepare.name() + "`)");
        }
        return warnings;
    }

    /** The app's buildpacks, in the order they run. */
    private List<String> buildpacks(App app) throws IOException {
        return heroku.listBuildpackInstallations(app.name()).stream()
                .sorted(java.util.Comparator.comparingInt(BuildpackInstallation::ordinal))
                .map(BuildpackInstallation::label).toList();
    }

    private int webDynos(App app) throws IOException {
        try {
            Formation web = heroku.getFormation(app.name(), "web");
            return web.quantity();
        } catch (HerokuApiException.NotFound e) {
            return 0; // no web process type at all
        }
    }
}
