package io.github.herokupipeline.pipeline.setup;

import io.github.herokupipeline.heroku.HerokuApiException;
import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.Formation;
import io.github.herokupipeline.heroku.model.Generation;
import io.github.herokupipeline.heroku.model.Pipeline;
import io.github.herokupipeline.heroku.model.PipelineCoupling;
import io.github.herokupipeline.pipeline.common.Apps;
import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.common.Reporter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one-time set-up of a prepare app, as one idempotent run: create it like the reference app (production, by
 * default), couple it to the targets' pipeline, give it the reference app's buildpacks and build config vars, and
 * scale its dynos to zero. Everything is looked up and checked first; a problem found there changes nothing. Each
 * step then reports "already so" or what it changed, and sends a write request only for what differs, so a second
 * run sends none and a run after a failure part-way completes the rest.
 *
 * <p>Config values are read to be compared and copied, and never logged: only their names are.
 */
public final class Setup {

    /** The stage the prepare app joins; promote does not care, and it reads well before staging. */
    public static final String STAGE = "development";

    private final HerokuClient heroku;
    private final Reporter reporter;

    public Setup(HerokuClient heroku, Reporter reporter) {
        this.heroku = heroku;
        this.reporter = reporter;
    }

    /** What a run did (or, dry, would do): one line per change. */
    public record Result(List<String> changes, boolean dryRun) {

        public boolean changedNothing() {
            return changes.isEmpty();
        }
    }

    /** The apps as found before any change. */
    private record Found(App reference, List<App> targets, Pipeline pipeline, App prepare,
            PipelineCoupling prepareCoupling) {}

    public Result setUp(SetupSettings settings) throws IOException, DeployException {
        Found found = lookUp(settings);
        Plan plan = new Plan(settings.dryRun());
        App prepare = app(settings, found, plan);
        couple(settings, found, prepare, plan);
        buildpacks(settings, found, prepare, plan);
        buildConfigVars(settings, found, prepare, plan);
        idleDynos(settings, prepare, plan);
        List<String> changes = plan.changes;
        if (changes.isEmpty()) {
            plan.already("The prepare app " + settings.prepareApp() + " is set up like " + found.reference().name()
                    + ": nothing to change");
        } else if (settings.dryRun()) {
            reporter.info("[dry run] " + changes.size() + " change(s) planned for " + settings.prepareApp()
                    + "; nothing was changed (run without -Dheroku.dryRun to make them)");
        } else {
            reporter.info("Set up " + settings.prepareApp() + " like " + found.reference().name() + ": "
                    + changes.size() + " change(s)");
        }
        return new Result(List.copyOf(changes), settings.dryRun());
    }

    /**
     * The changes of one run, and how each step reports: what is already so (marked in a dry run), what is to be
     * changed (only logged in a dry run), what was changed.
     */
    private final class Plan {
        private final boolean dryRun;
        private final List<String> changes = new ArrayList<>();

        Plan(boolean dryRun) {
            this.dryRun = dryRun;
        }

        String prefix() {
            return dryRun ? "[dry run] " : "";
        }

        void already(String line) {
            reporter.info(prefix() + line);
        }

        /** Records {@code change} of {@code step}; true when it is to be made now, false in a dry run. */
        boolean make(String step, String change) {
            changes.add(change);
            if (dryRun) {
                reporter.info(prefix() + step + ": would " + change);
            }
            return !dryRun;
        }

        void done(String line) {
            reporter.info(line);
        }
    }

    // ------------------------------------------------------------------ looking up, checking: GET only

    private Found lookUp(SetupSettings settings) throws IOException, DeployException {
        String prepareName = settings.prepareApp();
        App reference = Apps.get(heroku, settings.referenceApp(), settings.referenceSetting());
        Apps.refuseContainerStack(reference, "The reference app");
        List<App> targets = new ArrayList<>();
        for (String name : settings.targetApps()) {
            App target = name.equals(reference.name()) ? reference : Apps.get(heroku, name, "<targetApps>");
            targets.add(target);
        }
        if (targets.stream().anyMatch(t -> t.name().equals(prepareName)) || reference.name().equals(prepareName)) {
            throw new DeployException("<prepareApp> " + prepareName + " is also a target or the reference app of"
                    + " setup: the prepare app must be an app of its own (e.g. foo-prepare). Nothing was changed.");
        }
        Pipeline pipeline = pipelineOf(targets);
        App prepare = findApp(prepareName).orElse(null);
        PipelineCoupling prepareCoupling = null;
        if (prepare != null) {
            Apps.refuseContainerStack(prepare, "The prepare app");
            if (prepare.generation() != pipeline.generation()) {
                throw new DeployException("The prepare app " + prepare.name() + " is a "
                        + prepare.generation().apiName() + " app, but pipeline " + pipeline.name() + " is "
                        + pipeline.generation().apiName() + ": a pipeline holds apps of one generation, and setup"
                        + " cannot change an app's generation. Choose another <prepareApp> (setup creates it"
                        + describePlacement(reference) + "), or delete " + prepare.name() + ". Nothing was changed.");
            }
            prepareCoupling = Apps.findCoupling(heroku, prepare.id()).orElse(null);
            if (prepareCoupling != null && !prepareCoupling.pipelineId().equals(pipeline.id())) {
                String other = pipelineName(prepareCoupling.pipelineId());
                throw new DeployException("The prepare app " + prepare.name() + " is in pipeline " + other
                        + ", not in " + pipeline.name() + " with " + names(targets) + ". Take it out (`heroku"
                        + " pipelines:remove -a " + prepare.name() + "`) and run setup again, or choose another"
                        + " <prepareApp>. Nothing was changed.");
            }
        }
        if (reference.generation() != pipeline.generation()) {
            throw new DeployException("The reference app " + reference.name() + " (" + settings.referenceSetting()
                    + ") is a " + reference.generation().apiName() + " app, but pipeline " + pipeline.name() + " is "
                    + pipeline.generation().apiName() + ": set <setupFrom> to an app of the pipeline. Nothing was"
                    + " changed.");
        }
        return new Found(reference, List.copyOf(targets), pipeline, prepare, prepareCoupling);
    }

    /** The one pipeline all targets are in, or the error that says how to put them in one. */
    private Pipeline pipelineOf(List<App> targets) throws IOException, DeployException {
        Map<App, PipelineCoupling> couplings = new LinkedHashMap<>();
        List<App> uncoupled = new ArrayList<>();
        for (App target : targets) {
            Optional<PipelineCoupling> coupling = Apps.findCoupling(heroku, target.id());
            if (coupling.isPresent()) {
                couplings.put(target, coupling.get());
            } else {
                uncoupled.add(target);
            }
        }
        List<String> pipelineIds = couplings.values().stream().map(PipelineCoupling::pipelineId).distinct().toList();
        if (pipelineIds.size() > 1) {
            List<String> where = new ArrayList<>();
            for (Map.Entry<App, PipelineCoupling> entry : couplings.entrySet()) {
                where.add(entry.getKey().name() + " in " + pipelineName(entry.getValue().pipelineId()));
            }
            throw new DeployException("The target apps are in different pipelines (" + String.join(", ", where)
                    + "): promotion moves releases within one pipeline. Move them into one (`heroku pipelines:add"
                    + " <pipeline> -a <app> -s <stage>` after `heroku pipelines:remove -a <app>`) and run setup"
                    + " again. Nothing was changed.");
        }
        if (!uncoupled.isEmpty()) {
            String fix;
            if (pipelineIds.isEmpty()) {
                App last = uncoupled.get(uncoupled.size() - 1);
                fix = "`heroku pipelines:create <name> -a " + last.name() + " -s production`"
                        + uncoupled.stream().filter(app -> app != last)
                                .map(app -> ", `heroku pipelines:add <name> -a " + app.name() + " -s staging`")
                                .reduce("", String::concat);
            } else {
                String pipeline = pipelineName(pipelineIds.get(0));
                fix = String.join(", ", uncoupled.stream().map(app -> "`heroku pipelines:add " + pipeline + " -a "
                        + app.name() + " -s <stage>`").toList());
            }
            throw new DeployException("The target app(s) " + names(uncoupled) + " are in no pipeline; setup puts the"
                    + " prepare app into the targets' pipeline, so they must be in one first: " + fix + ". Nothing"
                    + " was changed.");
        }
        return heroku.getPipeline(pipelineIds.get(0));
    }

    private String pipelineName(String pipelineId) throws IOException {
        try {
            return heroku.getPipeline(pipelineId).name();
        } catch (HerokuApiException.NotFound e) {
            return pipelineId;
        }
    }

    private Optional<App> findApp(String name) throws IOException {
        try {
            return Optional.of(heroku.getApp(name));
        } catch (HerokuApiException.NotFound e) {
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------ the steps

    /** Step 1: the app exists, placed and stacked like the reference app. Returns it (null: a dry run's new app). */
    private App app(SetupSettings settings, Found found, Plan plan) throws IOException, DeployException {
        App reference = found.reference();
        App prepare = found.prepare();
        if (prepare == null) {
            if (!plan.make("App", "create " + settings.prepareApp() + " like " + reference.name()
                    + describePlacement(reference))) {
                return null;
            }
            App created = create(settings.prepareApp(), reference);
            plan.done("App: created " + created.name() + describePlacement(reference));
            return created;
        }
        String stack = reference.buildStackName();
        if (reference.generation() == Generation.CEDAR && stack != null && !stack.equals(prepare.buildStackName())) {
            String what = " the build stack of " + prepare.name() + " to " + stack + " (was "
                    + prepare.buildStackName() + "), used from its next build";
            if (plan.make("App", "set" + what)) {
                heroku.updateBuildStack(prepare.name(), stack);
                plan.done("App: changed" + what);
            }
            return prepare;
        }
        plan.already("App: already so, " + prepare.name() + " exists" + describePlacement(prepare));
        return prepare;
    }

    private App create(String name, App reference) throws IOException, DeployException {
        boolean fir = reference.generation() == Generation.FIR;
        String stack = fir ? null : reference.buildStackName(); // a Fir app's stack comes with its space
        try {
            if (reference.teamName() != null || reference.spaceName() != null) {
                return heroku.createTeamApp(new App.TeamCreateRequest(name, reference.teamName(),
                        reference.spaceName() == null ? reference.regionName() : null, reference.spaceName(),
                        stack));
            }
            return heroku.createApp(new App.CreateRequest(name, reference.regionName(), stack));
        } catch (HerokuApiException.InvalidParams e) {
            throw new DeployException("Heroku did not create the prepare app " + name + ": " + e.getMessage()
                    + ". An app name is global on Heroku: if another account holds it, choose another <prepareApp>.",
                    e);
        }
    }

    /** Step 2: the prepare app is in the targets' pipeline. */
    private void couple(SetupSettings settings, Found found, App prepare, Plan plan) throws IOException,
            DeployException {
        if (found.prepareCoupling() != null) {
            plan.already("Pipeline: already so (" + found.prepare().name() + " is in " + found.pipeline().name()
                    + " at stage " + found.prepareCoupling().stage() + ")");
            return;
        }
        if (!plan.make("Pipeline", "add " + settings.prepareApp() + " to pipeline " + found.pipeline().name()
                + " at stage " + STAGE)) {
            return;
        }
        try {
            heroku.createPipelineCoupling(prepare.id(), found.pipeline().id(), STAGE);
        } catch (HerokuApiException.InvalidParams e) {
            throw new DeployException("Heroku did not add " + prepare.name() + " to pipeline " + found.pipeline()
                    .name() + ": " + e.getMessage() + ". Check `heroku pipelines:info " + found.pipeline().name()
                    + "` and run setup again.", e);
        }
        plan.done("Pipeline: added " + prepare.name() + " to " + found.pipeline().name() + " at stage " + STAGE);
    }

    /** Step 3: the reference app's buildpacks, in order (Cedar; Fir apps read theirs from project.toml). */
    private void buildpacks(SetupSettings settings, Found found, App prepare, Plan plan) throws IOException {
        App reference = found.reference();
        if (reference.generation() == Generation.FIR) {
            plan.already("Buildpacks: Fir apps take their buildpacks from project.toml in the source: nothing to"
                    + " set");
            return;
        }
        List<String> wanted = Apps.buildpacks(heroku, reference.name());
        List<String> current = prepare == null ? List.of() : Apps.buildpacks(heroku, prepare.name());
        if (wanted.equals(current)) {
            plan.already("Buildpacks: already so (" + describeBuildpacks(current) + ")");
            return;
        }
        String what = " the buildpacks of " + settings.prepareApp() + " to " + describeBuildpacks(wanted) + " (were "
                + describeBuildpacks(current) + ")";
        if (plan.make("Buildpacks", "set" + what)) {
            heroku.updateBuildpackInstallations(prepare.name(), wanted);
            plan.done("Buildpacks: changed" + what);
        }
    }

    private static String describeBuildpacks(List<String> buildpacks) {
        return buildpacks.isEmpty() ? "none: detected at build time" : String.join(", ", buildpacks);
    }

    /** Step 4: the config vars the build reads, with the reference app's values. Names only are logged. */
    private void buildConfigVars(SetupSettings settings, Found found, App prepare, Plan plan) throws IOException {
        List<String> names = settings.buildConfigVars();
        if (names.isEmpty()) {
            plan.already("Build config vars: none listed (<buildConfigVars>): nothing to copy");
            return;
        }
        App reference = found.reference();
        Map<String, String> theirs = heroku.getConfigVars(reference.name());
        Map<String, String> ours = prepare == null ? Map.of() : heroku.getConfigVars(prepare.name());
        Map<String, String> copy = new LinkedHashMap<>();
        List<String> absent = new ArrayList<>();
        for (String name : names) {
            String value = theirs.get(name);
            if (value == null) {
                absent.add(name);
            } else if (!value.equals(ours.get(name))) {
                copy.put(name, value);
            }
        }
        if (!absent.isEmpty()) {
            reporter.warn(plan.prefix() + "Build config vars: " + String.join(", ", absent) + " listed in"
                    + " <buildConfigVars> but not set on " + reference.name() + ": left as they are on "
                    + settings.prepareApp() + " (set them on " + reference.name() + ", or take them off the list)");
        }
        if (copy.isEmpty()) {
            List<String> same = names.stream().filter(name -> !absent.contains(name)).toList();
            if (!same.isEmpty()) {
                plan.already("Build config vars: already so (" + String.join(", ", same) + ")");
            }
            return;
        }
        if (!plan.make("Build config vars", "copy " + String.join(", ", copy.keySet()) + " from " + reference.name()
                + " to " + settings.prepareApp())) {
            return;
        }
        heroku.updateConfigVars(prepare.name(), copy);
        plan.done("Build config vars: copied " + String.join(", ", copy.keySet()) + " from " + reference.name()
                + " (values not shown)");
    }

    /** Step 5: no dynos on the prepare app, which never serves traffic. */
    private void idleDynos(SetupSettings settings, App prepare, Plan plan) throws IOException, DeployException {
        List<Formation> formation = prepare == null ? List.of() : heroku.listFormation(prepare.name());
        if (formation.isEmpty()) {
            plan.already("Dynos: " + settings.prepareApp() + " has no process types yet (an app"
                    + " has none before its first release); run setup again after the first deploy to scale them"
                    + " to 0");
            return;
        }
        List<Formation> running = formation.stream().filter(process -> process.quantity() > 0).toList();
        if (running.isEmpty()) {
            plan.already("Dynos: already so (" + describeFormation(formation) + ")");
            return;
        }
        if (!plan.make("Dynos", "scale " + describeFormation(running) + " on " + prepare.name() + " to 0")) {
            return;
        }
        try {
            heroku.updateFormation(prepare.name(), running.stream()
                    .map(process -> new Formation.Update(process.type(), 0)).toList());
        } catch (HerokuApiException.NotFound e) {
            throw new DeployException("Heroku did not scale the dynos of " + prepare.name() + ": " + e.getMessage()
                    + " (a process type removed meanwhile?). Run setup again.", e);
        }
        plan.done("Dynos: scaled " + describeFormation(running) + " on " + prepare.name() + " to 0");
    }

    private static String describeFormation(List<Formation> formation) {
        return String.join(", ", formation.stream().map(process -> process.type() + "=" + process.quantity())
                .toList());
    }

    private static String describePlacement(App app) {
        List<String> parts = new ArrayList<>();
        parts.add(app.teamName() == null ? "personal account" : "team " + app.teamName());
        if (app.spaceName() != null) {
            parts.add("space " + app.spaceName());
        }
        if (app.regionName() != null) {
            parts.add("region " + app.regionName());
        }
        if (app.generation() == Generation.FIR) {
            parts.add("Fir");
        } else if (app.buildStackName() != null) {
            parts.add("stack " + app.buildStackName());
        }
        return " (" + String.join(", ", parts) + ")";
    }

    private static String names(List<App> apps) {
        return String.join(", ", apps.stream().map(App::name).filter(Objects::nonNull).toList());
    }
}
