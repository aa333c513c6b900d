package io.github.herokupipeline.pipeline.common;

import io.github.herokupipeline.heroku.HerokuApiException;
import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.Formation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Drift that silently breaks the idea of a prepare app: it builds what the targets will run, so it must build the
 * way they would (same stack, same buildpacks in the same order, the same build-time config vars); and it never
 * serves traffic, so web dynos on it only cost money. Only GET requests, looked up side by side. Config values are
 * compared by their SHA-256 and never leave this class; warnings name config vars, never their values.
 */
public final class DriftCheck {

    private final HerokuClient heroku;

    public DriftCheck(HerokuClient heroku) {
        this.heroku = heroku;
    }

    /** What each drift warning names as its fix. */
    public static final String FIX = "`mvn heroku-pipeline:setup` repairs it";

    /** One warning a line; none when the apps agree. */
    public List<String> check(App prepare, List<App> targets) throws IOException, DeployException {
        return check(prepare, targets, List.of());
    }

    /**
     * One warning a line; none when the apps agree. {@code buildConfigVars} names the config vars the build reads,
     * which the prepare app must hold with the targets' values.
     */
    public List<String> check(App prepare, List<App> targets, List<String> buildConfigVars) throws IOException,
            DeployException {
        List<App> all = new ArrayList<>();
        all.add(prepare);
        all.addAll(targets);
        // every app's buildpacks and the prepare app's web dynos, all at once
        List<Parallel.Call<Object>> lookups = new ArrayList<>();
        for (App app : all) {
            lookups.add(() -> buildpacks(app));
        }
        lookups.add(() -> webDynos(prepare));
        if (!buildConfigVars.isEmpty()) {
            for (App app : all) {
                lookups.add(() -> configHashes(app, buildConfigVars));
            }
        }
        List<Object> found = Parallel.all(lookups);
        @SuppressWarnings("unchecked")
        List<List<String>> buildpacks = found.subList(0, all.size()).stream().map(o -> (List<String>) o).toList();
        List<String> warnings = new ArrayList<>();
        List<String> prepareBuildpacks = buildpacks.get(0);
        for (int i = 0; i < targets.size(); i++) {
            App target = targets.get(i);
            String prepareStack = prepare.buildStackName();
            if (prepareStack != null && target.stackName() != null && !prepareStack.equals(target.stackName())
                    && !Apps.CONTAINER_STACK.equals(prepareStack)
                    && !Apps.CONTAINER_STACK.equals(target.stackName())) { // refused outright, not a drift
                warnings.add(target.name() + " runs stack " + target.stackName() + " but the prepare app "
                        + prepare.name() + " builds on " + prepareStack + ": what is promoted was built for "
                        + prepareStack + " (" + FIX + "; by hand: `heroku stack:set " + target.stackName() + " -a "
                        + prepare.name() + "`)");
            }
            List<String> targetBuildpacks = buildpacks.get(i + 1);
            if (!Objects.equals(prepareBuildpacks, targetBuildpacks)) {
                warnings.add(target.name() + " uses buildpacks " + targetBuildpacks + " but the prepare app "
                        + prepare.name() + " uses " + prepareBuildpacks + ": the prepared build is made the way "
                        + prepare.name() + " builds; give both the same buildpacks in the same order (" + FIX
                        + "; by hand: `heroku buildpacks -a " + prepare.name() + "`)");
            }
        }
        int webDynos = (Integer) found.get(all.size());
        if (webDynos > 0) {
            warnings.add("The prepare app " + prepare.name() + " runs " + webDynos + " web dyno(s); it never serves"
                    + " traffic, so they only cost money (" + FIX + "; by hand: `heroku ps:scale web=0 -a "
                    + prepare.name() + "`)");
        }
        if (!buildConfigVars.isEmpty()) {
            @SuppressWarnings("unchecked")
            Map<String, String> prepareConfig = (Map<String, String>) found.get(all.size() + 1);
            for (int i = 0; i < targets.size(); i++) {
                @SuppressWarnings("unchecked")
                Map<String, String> targetConfig = (Map<String, String>) found.get(all.size() + 2 + i);
                configDrift(prepare, targets.get(i), buildConfigVars, prepareConfig, targetConfig)
                        .ifPresent(warnings::add);
            }
        }
        return warnings;
    }

    /** The build config vars the prepare app lacks or holds with another value than {@code target}. */
    private static java.util.Optional<String> configDrift(App prepare, App target, List<String> names,
            Map<String, String> prepareConfig, Map<String, String> targetConfig) {
        List<String> missing = new ArrayList<>();
        List<String> different = new ArrayList<>();
        for (String name : names) {
            String theirs = targetConfig.get(name);
            String ours = prepareConfig.get(name);
            if (theirs == null) {
                continue; // the target does not set it: nothing to match
            }
            if (ours == null) {
                missing.add(name);
            } else if (!ours.equals(theirs)) {
                different.add(name);
            }
        }
        if (missing.isEmpty() && different.isEmpty()) {
            return java.util.Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        if (!missing.isEmpty()) {
            parts.add(String.join(", ", missing) + " not set on the prepare app " + prepare.name());
        }
        if (!different.isEmpty()) {
            parts.add(String.join(", ", different) + " set on " + prepare.name() + " to another value than on "
                    + target.name());
        }
        return java.util.Optional.of("Build config vars of " + target.name() + ": " + String.join("; ", parts)
                + ". What is promoted was built without " + target.name() + "'s build settings (" + FIX + ")");
    }

    /** The SHA-256 of each of {@code names} the app sets; the values themselves are dropped here. */
    private Map<String, String> configHashes(App app, List<String> names) throws IOException {
        Map<String, String> config = heroku.getConfigVars(app.name());
        Map<String, String> hashes = new java.util.HashMap<>();
        for (String name : names) {
            String value = config.get(name);
            if (value != null) {
                hashes.put(name, sha256(value));
            }
        }
        return hashes;
    }

    /** Hex SHA-256 of a config value, so values can be compared without being kept. */
    private static String sha256(String value) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> buildpacks(App app) throws IOException {
        return Apps.buildpacks(heroku, app.name());
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
