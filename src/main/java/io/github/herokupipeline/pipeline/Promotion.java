package io.github.herokupipeline.pipeline;

import io.github.herokupipeline.heroku.App;
import io.github.herokupipeline.heroku.Build;
import io.github.herokupipeline.heroku.HerokuApiException;
import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.PipelineCoupling;
import io.github.herokupipeline.heroku.PipelinePromotion;
import io.github.herokupipeline.heroku.PromotionTarget;
import io.github.herokupipeline.heroku.Release;
import io.github.herokupipeline.heroku.Slug;
import io.github.herokupipeline.pipeline.PromoteReport.TargetResult;
import io.github.herokupipeline.pipeline.PromoteSettings.OnMissingPrepare;
import io.github.herokupipeline.pipeline.PromoteSettings.OnPrepareFailure;
import io.github.herokupipeline.source.ArchiveSummary;
import io.github.herokupipeline.source.Commit;
import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code promote} goal: find the prepare app's build of this commit (waiting for it if it is still running),
 * promote exactly its release through the pipeline to the target apps, and check every target; or, without a
 * usable prepared slug, build the commit on the targets. Never reports success for a target that does not run this
 * commit.
 */
public final class Promotion {

    private static final Duration FIRST_TARGET_POLL = Duration.ofMillis(50);
    private static final Duration MAX_TARGET_POLL = Duration.ofSeconds(2);

    private final HerokuClient heroku;
    private final Reporter reporter;
    private final Waiting waiting;
    private final Watcher watcher;
    private final SlugCheck slugCheck;

    public Promotion(HerokuClient heroku, Reporter reporter, Waiting waiting) {
        this.heroku = heroku;
        this.reporter = reporter;
        this.waiting = waiting;
        this.watcher = new Watcher(heroku, reporter, waiting);
        this.slugCheck = new SlugCheck(heroku);
    }

    /** The prepare app's build of this commit, as far as it could be resolved. */
    private sealed interface Prepared {
        /** A succeeded build whose release and slug are this commit: promote it. */
        record Ready(Build build, Release release, Slug slug) implements Prepared {}

        /** Still building, in a dry run (a real run waits instead). */
        record StillBuilding(Build build) implements Prepared {}

        /** No usable build: fall back or fail, per onMissingPrepare. */
        record Missing(String reason) implements Prepared {}

        /** The build failed: fail or fall back, per onPrepareFailure. */
        record Failed(Build build, List<String> logTail) implements Prepared {}
    }

    public PromoteReport promote(PromoteSettings settings) throws IOException, SourceException, DeployException {
        ReportBuilder report = new ReportBuilder(waiting.now());
        ReportWriter writer = new ReportWriter(reporter);
        PromoteReport result;
        try {
            result = run(settings, report);
        } catch (DeployException | SourceException | IOException | RuntimeException e) {
            writer.write(report.failed(e.getMessage(), waiting.now()), settings.source().workDirectory(),
                    settings.githubStepSummary());
            throw e;
        }
        writer.write(result, settings.source().workDirectory(), settings.githubStepSummary());
        if (!result.success()) {
            throw new DeployException(result.error());
        }
        return result;
    }

    private PromoteReport run(PromoteSettings settings, ReportBuilder report)
            throws IOException, SourceException, DeployException {
        SourcePackager packager = new SourcePackager(settings.source(), reporter, waiting);
        Commit commit = packager.commit();
        report.commit = commit.sha();
        if (settings.targetApps() == null || settings.targetApps().isEmpty()) {
            throw new DeployException("No target app: set <targetApps> in the plugin configuration of the active"
                    + " profile, or -Dheroku.targetApps=<app>[,<app>...]");
        }
        App prepare = Apps.get(heroku, settings.prepareApp(), "<prepareApp> (-Dheroku.prepareApp)");
        report.prepareApp = prepare.name();
        if (!"cedar".equals(prepare.generationName())) {
            throw new DeployException("App '" + prepare.name() + "' is a " + prepare.generationName() + "-generation"
                    + " app: it builds OCI images, not slugs, and this plugin promotes slugs (Cedar apps) only");
        }
        PipelineCoupling pipeline = Apps.coupling(heroku, prepare);
        List<App> targets = resolveTargets(settings.targetApps(), prepare, pipeline);

        List<App> toDeploy = new ArrayList<>();
        Map<String, Release> runningBefore = new LinkedHashMap<>();
        for (App target : targets) {
            Optional<Release> running = runningRelease(target.name());
            running.ifPresent(release -> runningBefore.put(target.name(), release));
            if (running.isPresent() && slugCheck.isCommit(target.name(), running.get().slugId(), commit.sha())) {
                reporter.info(target.name() + " already runs " + commit.shortSha() + " (release v"
                        + running.get().version() + "): nothing to do there");
                report.targets.put(target.name(), new TargetResult(target.name(), TargetResult.ALREADY_RUNNING,
                        running.get().version(), running.get().status(), commit.sha(), 0.0, null));
            } else {
                toDeploy.add(target);
            }
        }
        if (toDeploy.isEmpty()) {
            report.decision = PromoteReport.UNCHANGED;
            report.reason = "every target already runs " + commit.shortSha();
            return report.build(waiting.now(), true);
        }

        Prepared prepared = findPrepared(prepare, commit, settings, report);
        if (prepared instanceof Prepared.Ready ready) {
            return promoteRelease(settings, report, commit, prepare, pipeline, ready, toDeploy, runningBefore);
        }
        if (prepared instanceof Prepared.StillBuilding building) {
            report.decision = PromoteReport.DRY_RUN;
            report.reason = "build " + building.build().id() + " of " + commit.shortSha() + " on " + prepare.name()
                    + " is still running";
            reporter.info("[dry run] would wait for build " + building.build().id() + " on " + prepare.name()
                    + ", then promote its release to " + names(toDeploy));
            toDeploy.forEach(t -> report.targets.put(t.name(), planned(t)));
            return report.build(waiting.now(), true);
        }
        if (prepared instanceof Prepared.Failed failed) {
            String summary = "the prepare build " + failed.build().id() + " of " + commit.shortSha() + " on "
                    + prepare.name() + " failed";
            if (settings.onPrepareFailure() == OnPrepareFailure.FAIL) {
                throw new DeployException(capitalize(summary) + "; the targets would fail the same way. Last lines"
                        + " of its log:\n    " + String.join("\n    ", failed.logTail()) + "\nFull log: `heroku"
                        + " builds:output " + failed.build().id() + " -a " + prepare.name() + "`. To build on the"
                        + " targets anyway set <onPrepareFailure>build</onPrepareFailure>"
                        + " (-Dheroku.onPrepareFailure=build).");
            }
            return buildOnTargets(settings, report, packager, commit, toDeploy,
                    summary + " (onPrepareFailure=build)", runningBefore);
        }
        String reason = ((Prepared.Missing) prepared).reason();
        if (settings.onMissingPrepare() == OnMissingPrepare.FAIL) {
            throw new DeployException("Nothing to promote: " + reason + ". Run the prepare goal earlier in this"
                    + " build (it binds to test-compile), or set <onMissingPrepare>build</onMissingPrepare>"
                    + " (-Dheroku.onMissingPrepare=build) to build on the targets instead.");
        }
        return buildOnTargets(settings, report, packager, commit, toDeploy, reason, runningBefore);
    }

    private List<App> resolveTargets(List<String> names, App prepare, PipelineCoupling pipeline)
            throws IOException, DeployException {
        List<App> targets = new ArrayList<>();
        for (String name : names) {
            App target = Apps.get(heroku, name, "<targetApps> (-Dheroku.targetApps)");
            if (target.id().equals(prepare.id())) {
                throw new DeployException("'" + name + "' is the prepare app itself; <targetApps> must name the"
                        + " apps to promote to (staging, production)");
            }
            PipelineCoupling coupling = Apps.coupling(heroku, target);
            if (!pipeline.pipelineId().equals(coupling.pipelineId())) {
                throw new DeployException("App '" + target.name() + "' is in pipeline '"
                        + pipelineName(coupling.pipelineId()) + "', but the prepare app '" + prepare.name()
                        + "' is in pipeline '" + pipelineName(pipeline.pipelineId()) + "'; promotion only works"
                        + " within one pipeline. Move one of them: `heroku pipelines:add`/`pipelines:remove`.");
            }
            targets.add(target);
        }
        return targets;
    }

    private String pipelineName(String id) throws IOException {
        try {
            return heroku.getPipeline(id).name();
        } catch (HerokuApiException.NotFound e) {
            return id;
        }
    }

    /** The release an app runs now: the current one, else the newest that succeeded. */
    private Optional<Release> runningRelease(String app) throws IOException {
        List<Release> newest = heroku.listReleases(app, 10);
        return newest.stream().filter(Release::current).findFirst()
                .or(() -> newest.stream().filter(Release::isSucceeded).findFirst());
    }

    private Prepared findPrepared(App prepare, Commit commit, PromoteSettings settings, ReportBuilder report)
            throws IOException, DeployException {
        Optional<PrepareRecord> record = PrepareRecord.read(settings.source().workDirectory());
        Build build = fromRecord(prepare, commit, record);
        List<Build> recent = List.of();
        if (build == null || Build.FAILED.equals(build.status())) {
            List<Build> listed = heroku.listBuilds(prepare.name(), Preparation.RECENT_BUILDS);
            Build recorded = build;
            build = newestOfCommit(listed, commit, Build::isSucceeded)
                    .or(() -> newestOfCommit(listed, commit, Build::isPending))
                    .or(() -> Optional.ofNullable(recorded))
                    .or(() -> newestOfCommit(listed, commit, b -> true))
                    .orElse(null);
            recent = listed;
        }
        if (build == null) {
            Build newest = recent.isEmpty() ? null : recent.get(0);
            return new Prepared.Missing(newest == null ? prepare.name() + " has no build at all"
                    : "the newest prepare build on " + prepare.name() + " is for "
                            + Preparation.shortSha(newest.version()) + ", HEAD is " + commit.shortSha());
        }
        report.prepareBuildId = build.id();
        if (build.isPending()) {
            if (settings.dryRun()) {
                return new Prepared.StillBuilding(build);
            }
            reporter.info("Waiting for build " + build.id() + " of " + commit.shortSha() + " on " + prepare.name()
                    + " (up to " + Waiting.format(settings.buildTimeout()) + ")");
            Instant waitStarted = waiting.now();
            Watcher.Outcome<Build> outcome = watcher.awaitBuild(prepare.name(), build, settings.buildTimeout());
            report.waitedForPrepare = Duration.between(waitStarted, waiting.now());
            build = outcome.value();
            if (!build.isSucceeded()) {
                return new Prepared.Failed(build, outcome.logTail());
            }
        } else if (!build.isSucceeded()) {
            return new Prepared.Failed(build, watcher.readTail(build.outputStreamUrl(), prepare.name()));
        }
        report.prepareBuild(build, record);
        if (build.release() == null || build.slug() == null) {
            return new Prepared.Missing("build " + build.id() + " on " + prepare.name() + " has no release or slug");
        }
        Release release = heroku.getRelease(prepare.name(), build.release().id());
        if (Release.EXPIRED.equals(release.status())) {
            return new Prepared.Missing("release v" + release.version() + " of " + prepare.name() + " (build "
                    + Watcher.shortId(build.id()) + ") has expired");
        }
        if (release.isPending()) {
            release = watcher.awaitRelease(prepare.name(), release.id(), settings.promotionTimeout()).value();
        }
        if (!release.isSucceeded()) {
            return new Prepared.Failed(build, List.of("release v" + release.version() + " of " + prepare.name()
                    + " is " + release.status()));
        }
        Slug slug = heroku.getSlug(prepare.name(), build.slug().id());
        if (!commit.sha().equalsIgnoreCase(String.valueOf(slug.commit()))) {
            return new Prepared.Missing("the slug of build " + Watcher.shortId(build.id()) + " is for "
                    + Preparation.shortSha(slug.commit()) + ", not " + commit.shortSha());
        }
        return new Prepared.Ready(build, release, slug);
    }

    /** The newest build of the commit that passes {@code filter}: a succeeded one beats a newer failed retry. */
    private static Optional<Build> newestOfCommit(List<Build> newestFirst, Commit commit,
            java.util.function.Predicate<Build> filter) {
        return newestFirst.stream().filter(b -> commit.sha().equalsIgnoreCase(b.version())).filter(filter)
                .findFirst();
    }

    /** The build named in prepare.json, if it is for this commit and app and Heroku still knows it. */
    private Build fromRecord(App prepare, Commit commit, Optional<PrepareRecord> record) throws IOException {
        if (record.isEmpty() || !commit.sha().equalsIgnoreCase(record.get().commit())
                || !(prepare.name().equals(record.get().app()) || prepare.id().equals(record.get().appId()))) {
            return null;
        }
        try {
            Build build = heroku.getBuild(prepare.name(), record.get().buildId());
            return commit.sha().equalsIgnoreCase(build.version()) ? build : null;
        } catch (HerokuApiException.NotFound e) {
            return null;
        }
    }

    private PromoteReport promoteRelease(PromoteSettings settings, ReportBuilder report, Commit commit, App prepare,
            PipelineCoupling pipeline, Prepared.Ready ready, List<App> targets, Map<String, Release> runningBefore)
            throws IOException, DeployException {
        report.decision = PromoteReport.PROMOTE;
        report.promotedReleaseVersion = ready.release().version();
        report.reason = "build " + Watcher.shortId(ready.build().id()) + " of " + commit.shortSha() + " on "
                + prepare.name() + " succeeded";
        String plan = "release v" + ready.release().version() + " of " + prepare.name() + " (build "
                + Watcher.shortId(ready.build().id()) + " for " + commit.shortSha() + ") to " + names(targets);
        for (App target : targets) {
            if (ready.slug().stackName() != null && target.stackName() != null
                    && !ready.slug().stackName().equals(target.stackName())) {
                reporter.warn("The prepared slug is built for stack " + ready.slug().stackName() + " but "
                        + target.name() + " runs " + target.stackName() + "; align them with `heroku stack:set`");
            }
        }
        if (settings.dryRun()) {
            report.decision = PromoteReport.DRY_RUN;
            reporter.info("[dry run] would promote " + plan);
            targets.forEach(t -> report.targets.put(t.name(), planned(t)));
            return report.build(waiting.now(), true);
        }
        reporter.info("Promoting " + plan);
        for (List<App> batch : batches(settings, targets)) {
            Map<String, Release> before = releasesBefore(settings, batch, runningBefore);
            Instant started = waiting.now();
            PipelinePromotion promotion = heroku.createPipelinePromotion(pipeline.pipelineId(), prepare.id(),
                    ready.release().id(), batch.stream().map(App::id).toList());
            Instant deadline = started.plus(settings.promotionTimeout());
            List<PromotionTarget> outcome = awaitTargets(promotion, deadline, settings.promotionTimeout());
            for (App app : batch) {
                PromotionTarget target = outcome.stream().filter(t -> app.id().equals(t.appId())).findFirst()
                        .orElse(null);
                TargetResult result;
                if (target == null || !target.isSucceeded()) {
                    String error = target == null ? "Heroku reported no promotion target for this app"
                            : target.errorMessage() == null ? "promotion " + target.status() : target.errorMessage();
                    reporter.warn(app.name() + ": promotion " + (target == null ? "missing" : target.status()) + ": "
                            + error);
                    result = new TargetResult(app.name(), TargetResult.FAILED, null, null, null, seconds(started),
                            error);
                } else {
                    result = verifyRelease(app, target.releaseId(), commit, deadline, settings.promotionTimeout(),
                            TargetResult.PROMOTED, started);
                    result = smokeCheck(settings, app, result, target.releaseId(), before.get(app.name()));
                }
                report.targets.put(app.name(), result);
            }
            if (stopAfterFailure(settings, report, targets)) {
                break;
            }
        }
        return report.finish(waiting.now());
    }

    /**
     * What each target of a batch runs just before it is deployed: the release a failed smoke check rolls back to.
     * Read again at that moment (only with a smoke check), since a wait for the prepare build may have let someone
     * else deploy.
     */
    private Map<String, Release> releasesBefore(PromoteSettings settings, List<App> batch,
            Map<String, Release> runningBefore) throws IOException {
        if (settings.smoke() == null) {
            return runningBefore;
        }
        Map<String, Release> before = new LinkedHashMap<>();
        for (App target : batch) {
            runningRelease(target.name()).ifPresent(release -> before.put(target.name(), release));
        }
        return before;
    }

    /** All targets in one step, or, with a smoke check, one target at a time. */
    private static List<List<App>> batches(PromoteSettings settings, List<App> targets) {
        return settings.smoke() == null ? List.of(targets) : targets.stream().map(List::of).toList();
    }

    /** With a smoke check, a failure stops the targets after it; they are reported as not attempted. */
    private boolean stopAfterFailure(PromoteSettings settings, ReportBuilder report, List<App> targets) {
        if (settings.smoke() == null || report.targets.values().stream().noneMatch(TargetResult::failed)) {
            return false;
        }
        for (App target : targets) {
            if (!report.targets.containsKey(target.name())) {
                reporter.warn(target.name() + ": not deployed, because an earlier target failed");
                report.targets.put(target.name(), new TargetResult(target.name(), TargetResult.NOT_ATTEMPTED, null,
                        null, null, null, "not deployed: an earlier target failed"));
            }
        }
        return true;
    }

    /**
     * Runs the smoke check on a target whose release succeeded; when it fails, rolls the target back to the release
     * it ran before, but only if it still runs the release this deploy created.
     */
    private TargetResult smokeCheck(PromoteSettings settings, App app, TargetResult result, String ourReleaseId,
            Release before) throws IOException {
        if (settings.smoke() == null || result.failed()) {
            return result;
        }
        SmokeCheck.Outcome smoke = new SmokeCheck(settings.smoke(), reporter, waiting).check(app);
        if (smoke.passed()) {
            reporter.info(app.name() + ": " + smoke.summary());
            return result.withSmokePassed(smoke.summary());
        }
        String rollback;
        Optional<Release> now = runningRelease(app.name());
        if (!settings.smoke().rollbackOnFailure()) {
            rollback = "not rolled back (rollbackOnFailure=false)";
        } else if (before == null) {
            rollback = "not rolled back: this was the app's first release";
        } else if (now.isEmpty() || !now.get().id().equals(ourReleaseId)) {
            rollback = "not rolled back: " + app.name() + " now runs "
                    + now.map(r -> "v" + r.version()).orElse("no release") + ", which this deploy did not create";
        } else {
            rollback = new Rollback(heroku, reporter, waiting).rollBack(app, now.get(), before,
                    settings.promotionTimeout()).describe();
        }
        reporter.warn(app.name() + ": " + smoke.summary() + "; " + rollback);
        return result.withSmokeFailed(smoke.summary(), rollback);
    }

    private List<PromotionTarget> awaitTargets(PipelinePromotion promotion, Instant deadline, Duration timeout)
            throws IOException, DeployException {
        Duration poll = FIRST_TARGET_POLL;
        while (true) {
            List<PromotionTarget> targets = heroku.listPromotionTargets(promotion.id());
            if (!targets.isEmpty() && targets.stream().noneMatch(PromotionTarget::isPending)) {
                return targets;
            }
            if (!waiting.now().isBefore(deadline)) {
                throw new DeployException("Promotion " + promotion.id() + " still has pending targets after "
                        + Waiting.format(timeout) + "; raise <promotionTimeout> (-Dheroku.promotionTimeout) or"
                        + " check the apps' activity in the Heroku dashboard");
            }
            waiting.sleep(poll);
            poll = poll.multipliedBy(3).dividedBy(2).compareTo(MAX_TARGET_POLL) > 0 ? MAX_TARGET_POLL
                    : poll.multipliedBy(3).dividedBy(2);
        }
    }

    /** Follows a target's new release through its release phase and checks it runs this commit. */
    private TargetResult verifyRelease(App app, String releaseId, Commit commit, Instant deadline, Duration timeout,
            String outcome, Instant started) throws IOException, DeployException {
        if (releaseId == null) {
            return new TargetResult(app.name(), TargetResult.FAILED, null, null, null, seconds(started),
                    "Heroku reported success but no release");
        }
        Duration left = Duration.between(waiting.now(), deadline);
        Instant followed = waiting.now();
        Release release = watcher.awaitRelease(app.name(), releaseId,
                left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left).value();
        double releaseSeconds = seconds(followed);
        String slugCommit = slugCheck.commitOf(app.name(), release.slugId());
        if (!release.isSucceeded()) {
            reporter.warn(app.name() + ": release v" + release.version() + " " + release.status()
                    + (release.outputStreamUrl() == null ? "" : " (release phase; see `heroku releases:output v"
                            + release.version() + " -a " + app.name() + "`)"));
            return new TargetResult(app.name(), TargetResult.FAILED, release.version(), release.status(), slugCommit,
                    seconds(started), "release v" + release.version() + " " + release.status()
                            + (release.outputStreamUrl() == null ? "" : " in its release phase"))
                    .withReleaseSeconds(releaseSeconds);
        }
        if (!commit.sha().equalsIgnoreCase(String.valueOf(slugCommit))) {
            return new TargetResult(app.name(), TargetResult.FAILED, release.version(), release.status(), slugCommit,
                    seconds(started), "release v" + release.version() + " runs "
                            + Preparation.shortSha(slugCommit) + ", not " + commit.shortSha());
        }
        reporter.info(app.name() + ": release v" + release.version() + " succeeded, running " + commit.shortSha()
                + " (" + outcome + " in " + Waiting.format(Duration.between(started, waiting.now())) + ")");
        return new TargetResult(app.name(), outcome, release.version(), release.status(), slugCommit,
                seconds(started), null).withReleaseSeconds(releaseSeconds);
    }

    private PromoteReport buildOnTargets(PromoteSettings settings, ReportBuilder report, SourcePackager packager,
            Commit commit, List<App> targets, String reason, Map<String, Release> runningBefore)
            throws IOException, SourceException, DeployException {
        report.decision = PromoteReport.BUILD;
        report.reason = reason;
        if (settings.dryRun()) {
            report.decision = PromoteReport.DRY_RUN;
            reporter.info("[dry run] " + reason + ": would build " + commit.shortSha() + " on " + names(targets));
            targets.forEach(t -> report.targets.put(t.name(), planned(t)));
            return report.build(waiting.now(), true);
        }
        reporter.info(capitalize(reason) + ": building " + commit.shortSha() + " on " + names(targets));
        Instant started = waiting.now();
        ArchiveSummary archive = packager.archive(commit);
        String sourceUrl = packager.upload(heroku, archive);
        for (List<App> batch : batches(settings, targets)) {
            Map<String, Release> before = releasesBefore(settings, batch, runningBefore);
            Map<App, Build> builds = new LinkedHashMap<>();
            for (App target : batch) {
                Build build = heroku.createBuild(target.name(), SourcePackager.buildRequest(sourceUrl, archive,
                        commit, settings.buildpacks()));
                reporter.info("Started build " + build.id() + " on " + target.name());
                builds.put(target, build);
            }
            for (Map.Entry<App, Build> entry : builds.entrySet()) {
                App target = entry.getKey();
                Watcher.Outcome<Build> outcome = watcher.awaitBuild(target.name(), entry.getValue(),
                        settings.buildTimeout());
                Build build = outcome.value();
                TargetResult result;
                if (!build.isSucceeded() || build.release() == null) {
                    reporter.warn(target.name() + ": build " + build.id() + " " + build.status());
                    result = new TargetResult(target.name(), TargetResult.FAILED, null, null, null, seconds(started),
                            "build " + build.id() + " " + build.status() + "; last lines:\n    "
                                    + String.join("\n    ", outcome.logTail()));
                } else {
                    result = verifyRelease(target, build.release().id(), commit,
                            waiting.now().plus(settings.promotionTimeout()), settings.promotionTimeout(),
                            TargetResult.BUILT, started);
                    result = smokeCheck(settings, target, result, build.release().id(),
                            before.get(target.name()));
                }
                report.targets.put(target.name(), result);
            }
            if (stopAfterFailure(settings, report, targets)) {
                break;
            }
        }
        return report.finish(waiting.now());
    }

    private static TargetResult planned(App target) {
        return new TargetResult(target.name(), TargetResult.PLANNED, null, null, null, null, null);
    }

    private double seconds(Instant since) {
        return Duration.between(since, waiting.now()).toMillis() / 1000.0;
    }

    private static String names(List<App> apps) {
        return String.join(", ", apps.stream().map(App::name).toList());
    }

    private static String capitalize(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** Collects the report while the workflow runs. */
    private static final class ReportBuilder {
        private final Instant started;
        String commit;
        String decision;
        String reason;
        String prepareApp;
        String prepareBuildId;
        Integer promotedReleaseVersion;
        Double prepareBuildSeconds;
        Double prepareBuildSecondsDuringMaven;
        Duration waitedForPrepare = Duration.ZERO;
        final Map<String, TargetResult> targets = new LinkedHashMap<>();

        ReportBuilder(Instant started) {
            this.started = started;
        }

        void prepareBuild(Build build, Optional<PrepareRecord> record) {
            Instant created = parse(build.createdAt());
            Instant updated = parse(build.updatedAt());
            if (created == null || updated == null) {
                return;
            }
            prepareBuildSeconds = Duration.between(created, updated).toMillis() / 1000.0;
            Instant mavenStart = record.map(r -> parse(r.startedAt())).orElse(created);
            Instant overlapEnd = updated.isBefore(started) ? updated : started;
            Instant overlapStart = created.isAfter(mavenStart) ? created : mavenStart;
            prepareBuildSecondsDuringMaven = Math.max(0, Duration.between(overlapStart, overlapEnd).toMillis()
                    / 1000.0);
        }

        /** The report; when a target failed, unsuccessful with a message that lists every target. */
        PromoteReport finish(Instant now) {
            if (targets.values().stream().noneMatch(TargetResult::failed)) {
                return build(now, true);
            }
            StringBuilder message = new StringBuilder("Deploy of " + commit.substring(0, 8) + " failed on "
                    + targets.values().stream().filter(TargetResult::failed).count() + " of " + targets.size()
                    + " target app(s):");
            for (TargetResult target : targets.values()) {
                message.append("\n  ").append(target.app()).append(": ").append(target.outcome())
                        .append(target.error() == null ? "" : " - " + target.error());
            }
            return failed(message.toString(), now);
        }

        PromoteReport build(Instant now, boolean success) {
            return new PromoteReport(commit, decision, reason, prepareApp, prepareBuildId, promotedReleaseVersion,
                    prepareBuildSeconds, prepareBuildSecondsDuringMaven, waitedForPrepare.toMillis() / 1000.0,
                    List.copyOf(targets.values()), Duration.between(started, now).toMillis() / 1000.0, success,
                    null);
        }

        PromoteReport failed(String error, Instant now) {
            PromoteReport report = build(now, false);
            return new PromoteReport(report.commit(), report.decision(), report.reason(), report.prepareApp(),
                    report.prepareBuildId(), report.promotedReleaseVersion(), report.prepareBuildSeconds(),
                    report.prepareBuildSecondsDuringMaven(), report.waitedForPrepareSeconds(), report.targets(),
                    report.totalSeconds(), false, error);
        }

        private static Instant parse(String timestamp) {
            if (timestamp == null) {
                return null;
            }
            try {
                return OffsetDateTime.parse(timestamp).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }
}
