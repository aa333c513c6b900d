package io.github.herokupipeline.pipeline.promote;

import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.Build;
import io.github.herokupipeline.heroku.model.PipelinePromotion;
import io.github.herokupipeline.heroku.model.PromotionTarget;
import io.github.herokupipeline.heroku.model.Release;
import io.github.herokupipeline.pipeline.check.Rollback;
import io.github.herokupipeline.pipeline.check.SmokeCheck;
import io.github.herokupipeline.pipeline.check.SmokeSettings;
import io.github.herokupipeline.pipeline.common.Background;
import io.github.herokupipeline.pipeline.common.CommitLookup.Running;
import io.github.herokupipeline.pipeline.common.CommitLookup;
import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.common.Parallel;
import io.github.herokupipeline.pipeline.common.Reporter;
import io.github.herokupipeline.pipeline.common.SourcePackager;
import io.github.herokupipeline.pipeline.common.Waiting;
import io.github.herokupipeline.pipeline.common.Watcher;
import io.github.herokupipeline.pipeline.promote.PromoteReport.TargetResult;
import io.github.herokupipeline.source.Commit;
import io.github.herokupipeline.source.SourceArchive;
import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deploys the commit to the targets that need it, one batch at a time: all targets in one batch, or one target a
 * batch with a smoke check, so that a failure stops the ones after it. Each target is deployed by promoting the
 * prepared release or by building on it; then its release phase is followed, the commit its release runs is
 * checked, the smoke check runs, and a failed smoke check rolls the target back.
 */
final class TargetDeployment {

    private static final Duration FIRST_TARGET_POLL = Duration.ofMillis(50);
    /**
     * What the targets run, read while resolving the run, is read again before a target is changed unless it is
     * younger than this and the run did not wait for the prepare build: another run can only have deployed
     * meanwhile if time passed.
     */
    static final Duration FRESH = Duration.ofSeconds(2);
    private static final Duration MAX_TARGET_POLL = Duration.ofSeconds(2);

    private final HerokuClient heroku;
    private final Reporter reporter;
    private final Waiting waiting;
    private final Watcher watcher;
    private final CommitLookup commits;
    private final OrderCheck orderCheck;

    TargetDeployment(HerokuClient heroku, Reporter reporter, Waiting waiting, CommitLookup commits,
            OrderCheck orderCheck) {
        this.heroku = heroku;
        this.reporter = reporter;
        this.waiting = waiting;
        this.watcher = new Watcher(heroku, reporter, waiting);
        this.commits = commits;
        this.orderCheck = orderCheck;
    }

    /** A read of what the first batch of {@code targets} runs, not started yet. */
    EarlyRead firstBatchRead(PromoteContext run, List<App> targets) {
        List<List<App>> batches = batches(run, targets);
        return new EarlyRead(batches.isEmpty() ? List.of() : batches.get(0));
    }

    /**
     * Promotes exactly the prepared release ({@code described} so in the log) to {@code targets}; {@code firstRead}
     * (of {@link #firstBatchRead}), when started, is what the first batch runs.
     */
    void promote(PromoteContext run, PreparedBuild.Ready ready, String described, List<App> targets,
            PromoteReportBuilder report, EarlyRead firstRead) throws IOException, SourceException, DeployException {
        List<List<App>> batches = batches(run, targets);
        EarlyRead early = firstRead;
        try {
            for (int index = 0; index < batches.size(); index++) {
                Batch cleared = clear(run, batches.get(index), report, index == 0, early);
                early.stop();
                early = new EarlyRead(index + 1 < batches.size() ? batches.get(index + 1) : List.of());
                if (!promoteBatch(run, ready, described, targets, cleared, early, report)) {
                    break;
                }
            }
        } finally {
            early.stop(); // a read for a batch that never came: waited for, not left running
        }
    }

    /** Promotes to one batch of targets, and reports them; false when a failure stops the targets after it. */
    private boolean promoteBatch(PromoteContext run, PreparedBuild.Ready ready, String described, List<App> targets,
            Batch cleared, EarlyRead early, PromoteReportBuilder report)
            throws IOException, SourceException, DeployException {
        List<App> batch = cleared.apps();
        Map<String, Running> before = cleared.before();
        Map<String, String> notes = cleared.notes();
        if (batch.isEmpty()) {
            return true;
        }
        reporter.info("Promoting " + described + " to " + Promotion.names(batch));
        Instant started = waiting.now();
        PipelinePromotion promotion = heroku.createPipelinePromotion(run.pipelineId(), run.prepare().id(),
                ready.release().release().id(), batch.stream().map(App::id).toList());
        Instant deadline = started.plus(run.settings().promotionTimeout());
        List<PromotionTarget> outcome = awaitTargets(promotion, deadline, run.settings().promotionTimeout());
        // every target's release is followed side by side: one wait, not one per target
        List<TargetResult> results = Parallel.map(batch, app -> {
            PromotionTarget target = DeploymentVerdicts.targetOf(app, outcome);
            String error = DeploymentVerdicts.promotionFailure(target);
            if (error != null) {
                reporter.warn(app.name() + ": promotion " + (target == null ? "missing" : target.status()) + ": "
                        + error);
                return new TargetResult(app.name(), TargetResult.FAILED, null, null, null, seconds(started),
                        error);
            }
            // the target's releases are read beside the release's own wait: what landed just before ours is
            // known when ours is created, and the check costs no round trip of its own
            List<Object> both = Parallel.all(List.<Parallel.Call<Object>>of(
                    () -> verifyRelease(run, app, target.releaseId(), deadline, TargetResult.PROMOTED, started),
                    () -> heroku.listReleases(app.name(), CommitLookup.RECENT_RELEASES)));
            TargetResult result = (TargetResult) both.get(0);
            @SuppressWarnings("unchecked")
            List<Release> newestFirst = (List<Release>) both.get(1);
            TargetResult checked = putBackANewerCommit(run, app, result, target.releaseId(), newestFirst,
                    before.get(app.name()), deadline);
            if (checked != result) {
                return checked;
            }
            if (!result.failed()) {
                early.start(); // what the next batch runs, read beside this smoke check
            }
            return smokeCheck(run, app, result, target.releaseId(), before.get(app.name()));
        });
        for (int i = 0; i < batch.size(); i++) {
            TargetResult result = results.get(i);
            String note = notes.get(batch.get(i).name());
            report.target(note == null ? result
                    : result.withNote(result.note() == null ? note : note + "; " + result.note()));
        }
        return !stopAfterFailure(run, report, targets);
    }

    /**
     * What a batch's targets run, read ahead: the next batch's while this batch's smoke check runs, the first batch's
     * while the prepare build's release is checked after a wait for it. The batch's order check uses it when it was
     * started less than {@link #FRESH} before, as the run's first read is used for the first batch when nothing was
     * waited for; otherwise (a smoke check of more than that) the targets are read again, right before they change.
     */
    final class EarlyRead {
        private final List<App> batch;
        private Background<Map<String, Running>> read;
        private Instant startedAt;

        EarlyRead(List<App> batch) {
            this.batch = batch;
        }

        synchronized void start() {
            if (read == null && !batch.isEmpty()) {
                startedAt = waiting.now();
                read = Background.start("next targets' releases", () -> {
                    try {
                        return readRunning(batch);
                    } catch (DeployException e) {
                        throw new IOException(e.getMessage(), e); // read again, where it is reported as it is
                    }
                });
            }
        }

        /** The read, when it was started less than {@code fresh} before {@code now} and succeeded. */
        synchronized Optional<Map<String, Running>> freshAt(Instant now, Duration fresh) {
            if (read == null || Duration.between(startedAt, now).compareTo(fresh) >= 0) {
                return Optional.empty();
            }
            try {
                return Optional.of(read.get());
            } catch (IOException | SourceException | RuntimeException e) {
                reporter.debug("Reading what " + Promotion.names(batch) + " run failed (" + e.getMessage()
                        + "); reading it again");
                return Optional.empty();
            }
        }

        synchronized void stop() {
            if (read != null) {
                read.stop();
            }
        }
    }

    /**
     * Check-then-act: between the order check and our release another run may have landed a newer commit, which
     * our release then replaced. The target's releases are read again; when the one just before ours is not what
     * the check saw and runs a newer commit, that commit is put back at once by promoting its prepare release
     * again (a rollback would also revert config changed meanwhile), and the target is reported as superseded.
     */
    private TargetResult putBackANewerCommit(PromoteContext run, App app, TargetResult result, String ourRelease,
            List<Release> newestFirst, Running checked, Instant deadline) throws IOException, DeployException {
        if (!TargetResult.PROMOTED.equals(result.outcome()) || ourRelease == null) {
            return result;
        }
        Optional<Release> between = DeploymentVerdicts.landedBetween(newestFirst, ourRelease,
                checked == null ? null : checked.release().id());
        if (between.isEmpty()) {
            return result; // nothing landed between our check and our release
        }
        Release previous = between.get();
        Running landed = commits.describe(app.name(), previous);
        boolean newer;
        try {
            newer = orderCheck.isNewer(run, app, landed);
        } catch (SourceException e) {
            reporter.debug("Could not order " + Commit.abbreviate(landed.commit()) + ": " + e.getMessage());
            return result;
        }
        if (!newer) {
            return result;
        }
        String what = Commit.abbreviate(landed.commit()) + " (release v" + previous.version() + ") landed on "
                + app.name() + " between the order check and the release of " + run.commit().shortSha();
        Optional<Build> build = heroku.listBuilds(run.prepare().name(), CommitLookup.RECENT_BUILDS).stream()
                .filter(b -> landed.isCommit(b.version()) && b.isSucceeded() && b.release() != null).findFirst();
        if (build.isEmpty()) {
            reporter.warn(what + ", and no release of it on " + run.prepare().name() + " can put it back: roll "
                    + app.name() + " back by hand (`heroku releases:rollback v" + previous.version() + " -a "
                    + app.name() + "`)");
            return new TargetResult(app.name(), TargetResult.FAILED, result.releaseVersion(), result.releaseStatus(),
                    run.commit().sha(), result.seconds(), what + "; it could not be put back");
        }
        reporter.warn(what + ": putting " + Commit.abbreviate(landed.commit()) + " back");
        PipelinePromotion promotion = heroku.createPipelinePromotion(run.pipelineId(), run.prepare().id(),
                build.get().release().id(), List.of(app.id()));
        List<PromotionTarget> outcome = awaitTargets(promotion, deadline, run.settings().promotionTimeout());
        boolean back = outcome.stream().anyMatch(t -> app.id().equals(t.appId()) && t.isSucceeded());
        if (!back) {
            return new TargetResult(app.name(), TargetResult.FAILED, result.releaseVersion(), result.releaseStatus(),
                    run.commit().sha(), result.seconds(), what + "; putting it back failed");
        }
        reporter.info(app.name() + ": " + Commit.abbreviate(landed.commit()) + " is back; " + run.commit().shortSha()
                + " was superseded there");
        return result.superseded(what + "; " + Commit.abbreviate(landed.commit()) + " was put back");
    }

    /** Builds the commit on each of {@code targets} from one uploaded archive. */
    void build(PromoteContext run, SourcePackager packager, List<App> targets, PromoteReportBuilder report)
            throws IOException, SourceException, DeployException {
        Commit commit = run.commit();
        PromoteSettings settings = run.settings();
        Instant started = waiting.now();
        SourceArchive archive = packager.archive(commit);
        String sourceUrl = packager.upload(heroku, archive);
        String checksum = archive.checksum();
        String description = commit.subject() + packager.orderEvidence(commit).marker();
        boolean first = true;
        for (List<App> all : batches(run, targets)) {
            Batch cleared = clear(run, all, report, first, new EarlyRead(List.of()));
            first = false;
            List<App> batch = cleared.apps();
            Map<String, Running> before = cleared.before();
            Map<String, String> notes = cleared.notes();
            Map<App, Build> builds = new LinkedHashMap<>();
            for (App target : batch) {
                Build build = heroku.createBuild(target.name(), SourcePackager.buildRequest(sourceUrl, checksum,
                        commit, settings.buildpacks(), description));
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
                    result = verifyRelease(run, target, build.release().id(),
                            waiting.now().plus(settings.promotionTimeout()), TargetResult.BUILT, started);
                    result = smokeCheck(run, target, result, build.release().id(), before.get(target.name()));
                }
                report.target(result.withNote(notes.get(target.name())));
            }
            if (stopAfterFailure(run, report, targets)) {
                break;
            }
        }
    }

    /**
     * What each target of a batch runs just before it is changed: read again at that moment (unless the first
     * read is only just made), since a wait for the prepare build may have let another run deploy. It is what the order check compares and what a failed smoke
     * check rolls back to.
     */
    private Map<String, Running> runningNow(PromoteContext run, List<App> batch, PromoteReportBuilder report,
            boolean first, EarlyRead early) throws IOException, DeployException {
        if (DeploymentVerdicts.stillFresh(first, report.waitedForPrepare, run.runningReadAt(), waiting.now(),
                FRESH)) {
            return run.runningBefore();
        }
        Optional<Map<String, Running>> readEarly = early.freshAt(waiting.now(), FRESH);
        return readEarly.isPresent() ? readEarly.get() : readRunning(batch);
    }

    /** What each target of {@code batch} runs now, by app name; a target that runs nothing yet is left out. */
    private Map<String, Running> readRunning(List<App> batch) throws IOException, DeployException {
        List<Optional<Running>> read = Parallel.map(batch, commits::running);
        Map<String, Running> now = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            App target = batch.get(i);
            read.get(i).ifPresent(running -> now.put(target.name(), running));
        }
        return now;
    }

    /**
     * A batch ready to change: the targets that pass the order check, what each target of the batch runs now (what
     * a failed smoke check rolls back to), and the notes of the order check by app.
     */
    private record Batch(List<App> apps, Map<String, Running> before, Map<String, String> notes) {}

    /** Reads what a batch's targets run and checks their order; the targets left alone are reported. */
    private Batch clear(PromoteContext run, List<App> batch, PromoteReportBuilder report, boolean first,
            EarlyRead early) throws IOException, SourceException, DeployException {
        Map<String, Running> before = runningNow(run, batch, report, first, early);
        Map<String, String> notes = new LinkedHashMap<>();
        List<App> cleared = new ArrayList<>();
        for (App target : batch) {
            OrderCheck.Verdict verdict = orderCheck.check(run, target, before.get(target.name()), false);
            if (verdict.deploy()) {
                cleared.add(target);
                if (verdict.note() != null) {
                    notes.put(target.name(), verdict.note());
                }
            } else {
                report.target(verdict.result());
            }
        }
        return new Batch(cleared, before, notes);
    }

    private static List<List<App>> batches(PromoteContext run, List<App> targets) {
        return DeploymentVerdicts.batches(run.settings().smoke() != null, targets);
    }

    /** With a smoke check, a failure stops the targets after it; they are reported as not attempted. */
    private boolean stopAfterFailure(PromoteContext run, PromoteReportBuilder report, List<App> targets) {
        if (run.settings().smoke() == null || !report.anyFailed()) {
            return false;
        }
        for (App target : DeploymentVerdicts.notAttempted(targets, report.targets.keySet())) {
            reporter.warn(target.name() + ": not deployed, because an earlier target failed");
            report.target(new TargetResult(target.name(), TargetResult.NOT_ATTEMPTED, null, null, null, null,
                    "not deployed: an earlier target failed"));
        }
        return true;
    }

    /**
     * Runs the smoke check on a target whose release succeeded; when it fails, rolls the target back to the release
     * it ran before, but only if it still runs the release this deploy created.
     */
    private TargetResult smokeCheck(PromoteContext run, App app, TargetResult result, String ourReleaseId,
            Running before) throws IOException {
        SmokeSettings smokeSettings = run.settings().smoke();
        if (smokeSettings == null || result.failed()) {
            return result;
        }
        SmokeCheck.Outcome smoke = new SmokeCheck(smokeSettings, reporter, waiting, heroku.config().proxies())
                .check(app, run.commit().sha());
        if (smoke.passed()) {
            reporter.info(app.name() + ": " + smoke.summary());
            return result.withSmokePassed(smoke.summary());
        }
        Optional<Running> now = commits.running(app);
        String rollback = DeploymentVerdicts.rollbackRefusal(smokeSettings.rollbackOnFailure(), before, now,
                ourReleaseId, app.name());
        if (rollback == null) {
            rollback = new Rollback(heroku, reporter, waiting, commits).rollBack(app, now.get().release(),
                    before.release(), run.settings().promotionTimeout()).describe();
        }
        reporter.warn(app.name() + ": " + smoke.summary() + "; " + rollback);
        return result.withSmokeFailed(smoke.summary(), rollback);
    }

    private List<PromotionTarget> awaitTargets(PipelinePromotion promotion, Instant deadline, Duration timeout)
            throws IOException, DeployException {
        Instant created = waiting.now();
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
            waiting.sleep(DeploymentVerdicts.nextTargetPoll(Duration.between(created, waiting.now()),
                    heroku.rateLimitRemaining(), FIRST_TARGET_POLL, MAX_TARGET_POLL));
        }
    }

    /** Follows a target's new release through its release phase and checks that it runs this commit. */
    private TargetResult verifyRelease(PromoteContext run, App app, String releaseId, Instant deadline,
            String outcome, Instant started) throws IOException, DeployException {
        if (releaseId == null) {
            return new TargetResult(app.name(), TargetResult.FAILED, null, null, null, seconds(started),
                    "Heroku reported success but no release");
        }
        Commit commit = run.commit();
        Duration left = Duration.between(waiting.now(), deadline);
        Instant followed = waiting.now();
        Release release = watcher.awaitRelease(app.name(), releaseId,
                left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left).value();
        double releaseSeconds = seconds(followed);
        String runs = commits.describe(app.name(), release).commit();
        String failure = DeploymentVerdicts.releaseFailure(release, runs, commit, run.artifactNoun());
        if (!release.isSucceeded()) {
            reporter.warn(app.name() + ": release v" + release.version() + " " + release.status()
                    + (release.outputStreamUrl() == null ? "" : " (release phase; see `heroku releases:output v"
                            + release.version() + " -a " + app.name() + "`)"));
            return new TargetResult(app.name(), TargetResult.FAILED, release.version(), release.status(), runs,
                    seconds(started), failure).withReleaseSeconds(releaseSeconds);
        }
        if (failure != null) {
            return new TargetResult(app.name(), TargetResult.FAILED, release.version(), release.status(), runs,
                    seconds(started), failure);
        }
        reporter.info(app.name() + ": release v" + release.version() + " succeeded, running " + commit.shortSha()
                + " (" + outcome + " in " + Waiting.format(Duration.between(started, waiting.now())) + ")");
        return new TargetResult(app.name(), outcome, release.version(), release.status(), runs,
                seconds(started), null).withReleaseSeconds(releaseSeconds);
    }

    private double seconds(Instant since) {
        return Duration.between(since, waiting.now()).toMillis() / 1000.0;
    }
}
