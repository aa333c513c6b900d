package io.github.herokupipeline.pipeline.promote;

import io.github.herokupipeline.heroku.HerokuApiException;
import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.Build;
import io.github.herokupipeline.heroku.model.Generation;
import io.github.herokupipeline.heroku.model.PipelineCoupling;
import io.github.herokupipeline.heroku.model.Release;
import io.github.herokupipeline.pipeline.check.PrebootCheck;
import io.github.herokupipeline.pipeline.check.SmokeSettings;
import io.github.herokupipeline.pipeline.common.Apps;
import io.github.herokupipeline.pipeline.common.Background;
import io.github.herokupipeline.pipeline.common.CommitLookup.Running;
import io.github.herokupipeline.pipeline.common.CommitLookup;
import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.common.DriftCheck;
import io.github.herokupipeline.pipeline.common.OrderEvidence;
import io.github.herokupipeline.pipeline.common.Parallel;
import io.github.herokupipeline.pipeline.common.Reporter;
import io.github.herokupipeline.pipeline.common.SourcePackager;
import io.github.herokupipeline.pipeline.common.Waiting;
import io.github.herokupipeline.pipeline.common.Watcher;
import io.github.herokupipeline.pipeline.promote.PromoteReport.TargetResult;
import io.github.herokupipeline.pipeline.promote.PromoteSettings.OnMissingPrepare;
import io.github.herokupipeline.pipeline.promote.PromoteSettings.OnPrepareFailure;
import io.github.herokupipeline.source.Commit;
import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code promote} goal: find the prepare app's build of this commit (waiting for it if it is still running),
 * promote exactly its release through the pipeline to the target apps, and check every target; or, without a
 * usable prepared slug or image, build the commit on the targets. Never reports success for a target that does not
 * run this commit.
 */
public final class Promotion {

    private final HerokuClient heroku;
    private final Reporter reporter;
    private final Waiting waiting;
    private final CommitLookup commits;
    private final PreparedBuildLookup preparedBuilds;
    private final OrderCheck orderCheck;
    private final TargetDeployment deployment;

    public Promotion(HerokuClient heroku, Reporter reporter, Waiting waiting) {
        this.heroku = heroku;
        this.reporter = reporter;
        this.waiting = waiting;
        this.commits = new CommitLookup(heroku);
        this.preparedBuilds = new PreparedBuildLookup(heroku, reporter, waiting, commits);
        this.orderCheck = new OrderCheck(reporter, (prepareApp, target, commit) -> {
            // the builds that may record the commit's place: the prepare app's, and the target's own (a fallback
            // build), read side by side
            List<Parallel.Call<Object>> lists = new ArrayList<>();
            lists.add(() -> heroku.listBuilds(target, CommitLookup.RECENT_BUILDS));
            if (prepareApp != null) {
                lists.add(() -> heroku.listBuilds(prepareApp, CommitLookup.RECENT_BUILDS));
            }
            List<Object> listed;
            try {
                listed = Parallel.all(lists);
            } catch (DeployException e) {
                throw new IOException(e.getMessage(), e);
            }
            List<Build> builds = new ArrayList<>();
            for (Object list : listed) {
                @SuppressWarnings("unchecked")
                List<Build> found = (List<Build>) list;
                builds.addAll(found);
            }
            return OrderEvidence.of(commit, builds);
        });
        this.deployment = new TargetDeployment(heroku, reporter, waiting, commits, orderCheck);
    }

    public PromoteReport promote(PromoteSettings settings) throws IOException, SourceException, DeployException {
        PromoteReportBuilder report = new PromoteReportBuilder(waiting.now());
        report.prepareApp = settings.prepareApp();
        report.targetApps = settings.targetApps() == null ? List.of()
                : settings.targetApps().stream().map(String::strip).toList();
        ReportWriter writer = new ReportWriter(reporter);
        PromoteReport result;
        try {
            result = run(settings, report);
        } catch (DeployException | SourceException | IOException | RuntimeException e) {
            writer.write(report.failed(e.getMessage(), waiting.now()), String.valueOf(settings.prepareApp()).strip(),
                    settings.source().workDirectory(), settings.githubStepSummary());
            throw e;
        }
        writer.write(result, String.valueOf(settings.prepareApp()).strip(), settings.source().workDirectory(),
                settings.githubStepSummary());
        if (!result.success()) {
            throw new DeployException(result.error());
        }
        return result;
    }

    private PromoteReport run(PromoteSettings settings, PromoteReportBuilder report)
            throws IOException, SourceException, DeployException {
        if (settings.smoke() != null && SmokeSettings.urlProblem(settings.smoke().url()) != null) {
            throw new DeployException("<smokeUrl> '" + settings.smoke().url() + "' is not usable: "
                    + SmokeSettings.urlProblem(settings.smoke().url()) + "; nothing was changed");
        }
        SourcePackager packager = new SourcePackager(settings.source(), reporter, waiting);
        Background<Commit> git = packager.besideFirstRequest("commit", packager::commit);
        Resolved resolved;
        try {
            resolved = resolve(settings, git, report);
        } catch (IOException | DeployException | RuntimeException e) {
            git.stop();
            // a problem with the repository is reported first, as it would be without the overlap
            report.commit = git.get().sha();
            throw e;
        } finally {
            git.stop();
        }
        PromoteContext context = resolved.run();
        orderCheck.readHistoryWith(settings.source().projectDirectory(), packager.history());
        // only warnings: they need not hold up the promotion, and are awaited before the goal ends
        Background<Void> drift = Background.start("drift check", () -> {
            warnAboutDrift(settings, context.prepare(), context.targets());
            return null;
        });
        Background<Void> preboot = settings.smoke() == null ? null : Background.start("preboot check", () -> {
            warnAboutPreboot(settings.smoke(), context.targets());
            return null;
        });
        try {
            return deploy(settings, packager, resolved, report);
        } finally {
            drift.stop();
            if (preboot != null) {
                preboot.stop();
            }
        }
    }

    private PromoteReport deploy(PromoteSettings settings, SourcePackager packager, Resolved resolved,
            PromoteReportBuilder report) throws IOException, SourceException, DeployException {
        PromoteContext run = resolved.run();
        Commit commit = run.commit();

        List<App> toDeploy = new ArrayList<>();
        for (App target : run.targets()) {
            Running running = run.runningBefore().get(target.name());
            if (running != null && running.isCommit(commit.sha())) {
                reporter.info(target.name() + " already runs " + commit.shortSha() + " (release v"
                        + running.version() + "): nothing to do there");
                report.target(new TargetResult(target.name(), TargetResult.ALREADY_RUNNING, running.version(),
                        running.release().status(), commit.sha(), 0.0, null));
            } else {
                toDeploy.add(target);
            }
        }
        if (toDeploy.isEmpty()) {
            report.decision = PromoteReport.UNCHANGED;
            report.reason = "every target already runs " + commit.shortSha();
            return report.build(waiting.now(), true);
        }

        PreparedBuild prepared = resolved.prepared();
        // after a wait the targets' first read is stale: they are read again as soon as the build is seen to have
        // succeeded, beside the check of its release, instead of after it
        TargetDeployment.EarlyRead firstRead = deployment.firstBatchRead(run, toDeploy);
        try {
            if (prepared instanceof PreparedBuild.StillBuilding building && !settings.dryRun()) {
                prepared = preparedBuilds.await(run, building, report, firstRead::start);
            }
            if (prepared instanceof PreparedBuild.Ready ready) {
                return promoteRelease(run, ready, toDeploy, report, firstRead);
            }
        } finally {
            firstRead.stop();
        }
        if (prepared instanceof PreparedBuild.StillBuilding building) {
            report.decision = PromoteReport.DRY_RUN;
            report.reason = "build " + building.build().id() + " of " + commit.shortSha() + " on "
                    + run.prepare().name() + " is still running";
            reporter.info("[dry run] would wait for build " + building.build().id() + " on " + run.prepare().name()
                    + ", then promote its release to " + names(toDeploy));
            planDryRun(run, toDeploy, report);
            return report.finish(waiting.now());
        }
        if (prepared instanceof PreparedBuild.Failed failed) {
            String summary = "the prepare build " + failed.build().id() + " of " + commit.shortSha() + " on "
                    + run.prepare().name() + " failed";
            if (settings.onPrepareFailure() == OnPrepareFailure.FAIL) {
                throw new DeployException(capitalize(summary) + "; the targets would fail the same way. Last lines"
                        + " of its log:\n    " + String.join("\n    ", failed.logTail()) + "\nFull log: `heroku"
                        + " builds:output " + failed.build().id() + " -a " + run.prepare().name() + "`. To build"
                        + " on the targets anyway set <onPrepareFailure>build</onPrepareFailure>"
                        + " (-Dheroku.onPrepareFailure=build).");
            }
            return buildOnTargets(run, packager, toDeploy, summary + " (onPrepareFailure=build)", report);
        }
        String reason = ((PreparedBuild.Missing) prepared).reason();
        if (settings.onMissingPrepare() == OnMissingPrepare.FAIL) {
            throw new DeployException("Nothing to promote: " + reason + ". Run the prepare goal earlier in this"
                    + " build (it binds to test-compile), or set <onMissingPrepare>build</onMissingPrepare>"
                    + " (-Dheroku.onMissingPrepare=build) to build on the targets instead.");
        }
        return buildOnTargets(run, packager, toDeploy, reason, report);
    }

    /** The run's context and the prepare app's build of the commit as first found (not waited for). */
    private record Resolved(PromoteContext run, PreparedBuild prepared) {}

    /**
     * Looks up the apps and their pipeline, checks that they can promote to each other, reads what each target
     * runs and finds the prepared build: lookups that do not depend on each other go side by side, so this waits
     * for one round trip whatever the number of targets when they run slugs of the prepare app's listed builds and
     * the prepared build has finished, and for two otherwise (a slug made another way, an image, a running build).
     */
    private Resolved resolve(PromoteSettings settings, Background<Commit> git, PromoteReportBuilder report)
            throws IOException, SourceException, DeployException {
        if (settings.targetApps() == null || settings.targetApps().isEmpty()) {
            throw new DeployException("No target app: set <targetApps> in the plugin configuration of the active"
                    + " profile, or -Dheroku.targetApps=<app>[,<app>...]");
        }
        List<String> names = settings.targetApps().stream().map(String::strip).toList();
        String prepareName = String.valueOf(settings.prepareApp()).strip();
        List<Parallel.Call<Object>> lookups = new ArrayList<>();
        lookups.add(() -> Apps.get(heroku, settings.prepareApp(), "<prepareApp> (-Dheroku.prepareApp)"));
        lookups.add(() -> Apps.findCoupling(heroku, prepareName));
        for (String name : names) {
            lookups.add(() -> Apps.get(heroku, name, "<targetApps> (-Dheroku.targetApps)"));
            lookups.add(() -> Apps.findCoupling(heroku, name));
            lookups.add(() -> heroku.listReleases(name, CommitLookup.RECENT_RELEASES));
        }
        lookups.add(() -> heroku.listBuilds(prepareName, CommitLookup.RECENT_BUILDS));
        lookups.add(() -> heroku.listReleases(prepareName, CommitLookup.RECENT_RELEASES));
        lookups.add(() -> preparedBuilds.recorded(settings, git)); // a failure to name the commit: reported below
        List<Object> found = Parallel.all(lookups);
        Commit commit = git.get();
        report.commit = commit.sha();

        App prepare = (App) found.get(0);
        Apps.refuseContainerStack(prepare, "The prepare app");
        report.prepareApp = prepare.name();
        report.generation = prepare.generation().apiName();
        PipelineCoupling pipeline = inPipeline(prepare, found.get(1));
        List<App> targets = new ArrayList<>();
        Map<String, Release> releases = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            App target = (App) found.get(2 + 3 * i);
            Apps.refuseContainerStack(target, "The target app");
            checkTarget(prepare, pipeline, target, inPipeline(target, found.get(3 + 3 * i)));
            targets.add(target);
            @SuppressWarnings("unchecked")
            List<Release> newestFirst = (List<Release>) found.get(4 + 3 * i);
            CommitLookup.runningRelease(newestFirst).ifPresent(release -> releases.put(target.name(), release));
        }
        @SuppressWarnings("unchecked")
        List<Build> prepareBuilds = (List<Build>) found.get(found.size() - 3);
        @SuppressWarnings("unchecked")
        List<Release> prepareReleases = (List<Release>) found.get(found.size() - 2);
        PreparedBuildLookup.Known builds = PreparedBuildLookup.Known.of((Build) found.get(found.size() - 1),
                prepareBuilds, prepareReleases);
        PromoteContext known = new PromoteContext(settings, commit, prepare, pipeline.pipelineId(),
                prepare.generation(), targets, Map.of(), waiting.now());
        // what the targets run is usually a slug a prepare build made: then its commit is known without a request
        commits.noteSlugsOf(prepareBuilds);

        List<Parallel.Call<Object>> next = new ArrayList<>();
        releases.forEach((app, release) -> next.add(() -> commits.describe(app, release)));
        next.add(() -> preparedBuilds.find(known, builds, report));
        List<Object> described = Parallel.all(next);
        Map<String, Running> runningBefore = new LinkedHashMap<>();
        int index = 0;
        for (String app : releases.keySet()) {
            runningBefore.put(app, (Running) described.get(index++));
        }
        PreparedBuild prepared = (PreparedBuild) described.get(described.size() - 1);
        return new Resolved(new PromoteContext(settings, commit, prepare, pipeline.pipelineId(),
                prepare.generation(), targets, runningBefore, known.runningReadAt()), prepared);
    }

    /** Where preboot would let a smoke check pass on the release it replaces, a warning before the check runs. */
    private void warnAboutPreboot(SmokeSettings smoke, List<App> targets) {
        try {
            new PrebootCheck(heroku).warnings(targets, smoke).forEach(reporter::warn);
        } catch (IOException | DeployException e) {
            reporter.debug("Could not read the targets' preboot feature: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static PipelineCoupling inPipeline(App app, Object coupling) throws DeployException {
        return Apps.coupled(app, (Optional<PipelineCoupling>) coupling);
    }

    /** The drift the status goal flags (stack, buildpacks, build config vars, web dynos), as warnings. */
    private void warnAboutDrift(PromoteSettings settings, App prepare, List<App> targets) {
        try {
            new DriftCheck(heroku).check(prepare, targets, settings.buildConfigVars()).forEach(reporter::warn);
        } catch (IOException | DeployException e) {
            reporter.debug("Could not compare the apps' stacks and buildpacks: " + e.getMessage());
        }
    }

    private void checkTarget(App prepare, PipelineCoupling pipeline, App target, PipelineCoupling coupling)
            throws IOException, DeployException {
        if (target.id().equals(prepare.id())) {
            throw new DeployException("'" + target.name() + "' is the prepare app itself; <targetApps> must name the"
                    + " apps to promote to (staging, production)");
        }
        if (!pipeline.pipelineId().equals(coupling.pipelineId())) {
            throw new DeployException("App '" + target.name() + "' is in pipeline '"
                    + pipelineName(coupling.pipelineId()) + "', but the prepare app '" + prepare.name()
                    + "' is in pipeline '" + pipelineName(pipeline.pipelineId()) + "'; promotion only works"
                    + " within one pipeline. Move one of them: `heroku pipelines:add`/`pipelines:remove`.");
        }
        requireSameGeneration(prepare, target);
    }

    /** A slug cannot run on a Fir app nor an image on a Cedar one: refuse before anything changes. */
    static void requireSameGeneration(App prepare, App target) throws DeployException {
        Generation source = prepare.generation();
        if (source != target.generation()) {
            throw new DeployException("The prepare app '" + prepare.name() + "' is a " + source.apiName()
                    + "-generation app (its releases run " + source.artifactNoun() + "s), but the target '"
                    + target.name() + "' is a " + target.generation().apiName() + "-generation app (it runs "
                    + target.generation().artifactNoun() + "s). Heroku cannot promote between generations: use a"
                    + " prepare app of the targets' generation (<prepareApp>, -Dheroku.prepareApp), or migrate the"
                    + " apps of the pipeline together.");
        }
    }

    private String pipelineName(String id) throws IOException {
        try {
            return heroku.getPipeline(id).name();
        } catch (HerokuApiException.NotFound e) {
            return id;
        }
    }

    private PromoteReport promoteRelease(PromoteContext run, PreparedBuild.Ready ready, List<App> targets,
            PromoteReportBuilder report, TargetDeployment.EarlyRead firstRead)
            throws IOException, SourceException, DeployException {
        Commit commit = run.commit();
        App prepare = run.prepare();
        report.decision = PromoteReport.PROMOTE;
        report.promotedReleaseVersion = ready.release().version();
        report.reason = "build " + Watcher.shortId(ready.build().id()) + " of " + commit.shortSha() + " on "
                + prepare.name() + " succeeded";
        String release = "release v" + ready.release().version() + " of " + prepare.name() + " (build "
                + Watcher.shortId(ready.build().id()) + " for " + commit.shortSha() + ", " + run.artifactNoun()
                + ")";
        if (run.settings().dryRun()) {
            report.decision = PromoteReport.DRY_RUN;
            reporter.info("[dry run] would promote " + release + " to " + names(targets));
            planDryRun(run, targets, report);
            return report.finish(waiting.now());
        }
        deployment.promote(run, ready, release, targets, report, firstRead);
        return report.finish(waiting.now());
    }

    private PromoteReport buildOnTargets(PromoteContext run, SourcePackager packager, List<App> targets,
            String reason, PromoteReportBuilder report) throws IOException, SourceException, DeployException {
        report.decision = PromoteReport.BUILD;
        report.reason = reason;
        if (run.settings().dryRun()) {
            report.decision = PromoteReport.DRY_RUN;
            reporter.info("[dry run] " + reason + ": would build " + run.commit().shortSha() + " on "
                    + names(targets));
            planDryRun(run, targets, report);
            return report.finish(waiting.now());
        }
        reporter.info(capitalize(reason) + ": building " + run.commit().shortSha() + " on " + names(targets));
        deployment.build(run, packager, targets, report);
        return report.finish(waiting.now());
    }

    /** A dry run reports each target as planned, or as the order check would leave it. */
    private void planDryRun(PromoteContext run, List<App> targets, PromoteReportBuilder report)
            throws SourceException {
        for (App target : targets) {
            OrderCheck.Verdict verdict = orderCheck.check(run, target, run.runningBefore().get(target.name()), true);
            report.target(verdict.deploy() ? new TargetResult(target.name(), TargetResult.PLANNED, null, null, null,
                    null, null).withNote(verdict.note()) : verdict.result());
        }
    }

    static String names(List<App> apps) {
        return String.join(", ", apps.stream().map(App::name).toList());
    }

    static String capitalize(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
