package io.github.herokupipeline.pipeline;

import io.github.herokupipeline.heroku.App;
import io.github.herokupipeline.heroku.Build;
import io.github.herokupipeline.heroku.HerokuApiException;
import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.Release;
import io.github.herokupipeline.pipeline.CommitLookup.Running;
import io.github.herokupipeline.source.Commit;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Finds the prepare app's build of the commit being shipped (from {@code prepare.json}, else from the app's newest
 * builds), waits for it while it runs, and checks that its release runs this commit.
 */
final class PreparedBuildLookup {

    private final HerokuClient heroku;
    private final Reporter reporter;
    private final Waiting waiting;
    private final Watcher watcher;
    private final CommitLookup commits;

    PreparedBuildLookup(HerokuClient heroku, Reporter reporter, Waiting waiting, CommitLookup commits) {
        this.heroku = heroku;
        this.reporter = reporter;
        this.waiting = waiting;
        this.watcher = new Watcher(heroku, reporter, waiting);
        this.commits = commits;
    }

    PreparedBuild find(PromoteContext run, PromoteReportBuilder report) throws IOException, DeployException {
        App prepare = run.prepare();
        Commit commit = run.commit();
        PromoteSettings settings = run.settings();
        Optional<PrepareRecord> record = PrepareRecord.read(settings.source().workDirectory(), prepare.name());
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
            return new PreparedBuild.Missing(newest == null ? prepare.name() + " has no build at all"
                    : "the newest prepare build on " + prepare.name() + " is for "
                            + Preparation.shortSha(newest.version()) + ", HEAD is " + commit.shortSha());
        }
        report.prepareBuildId = build.id();
        if (build.isPending()) {
            if (settings.dryRun()) {
                return new PreparedBuild.StillBuilding(build);
            }
            reporter.info("Waiting for build " + build.id() + " of " + commit.shortSha() + " on " + prepare.name()
                    + " (up to " + Waiting.format(settings.buildTimeout()) + ")");
            Instant waitStarted = waiting.now();
            Watcher.Outcome<Build> outcome = watcher.awaitBuild(prepare.name(), build, settings.buildTimeout());
            report.waitedForPrepare = Duration.between(waitStarted, waiting.now());
            build = outcome.value();
            if (!build.isSucceeded()) {
                return failedOrSuperseded(prepare, build, outcome.logTail());
            }
        } else if (!build.isSucceeded()) {
            return failedOrSuperseded(prepare, build, watcher.readTail(build.outputStreamUrl(), prepare.name()));
        }
        report.prepareBuild(build, record);
        return checkRelease(run, build);
    }

    /** A succeeded build is usable when its release can still be promoted and runs this commit. */
    private PreparedBuild checkRelease(PromoteContext run, Build build) throws IOException, DeployException {
        App prepare = run.prepare();
        Commit commit = run.commit();
        if (build.release() == null) {
            return new PreparedBuild.Missing("build " + build.id() + " on " + prepare.name() + " has no release");
        }
        Release release = heroku.getRelease(prepare.name(), build.release().id());
        if (Release.EXPIRED.equals(release.status())) {
            return new PreparedBuild.Missing("release v" + release.version() + " of " + prepare.name() + " (build "
                    + Watcher.shortId(build.id()) + ") has expired");
        }
        if (release.isPending()) {
            release = watcher.awaitRelease(prepare.name(), release.id(), run.settings().promotionTimeout()).value();
        }
        if (!release.isSucceeded()) {
            return new PreparedBuild.Failed(build, List.of("release v" + release.version() + " of " + prepare.name()
                    + " is " + release.status()));
        }
        if (release.artifact() == null && build.slug() == null) {
            return new PreparedBuild.Missing("release v" + release.version() + " of " + prepare.name() + " (build "
                    + Watcher.shortId(build.id()) + ") runs no " + run.artifactNoun());
        }
        Running running = release.artifact() == null ? commits.ofBuild(prepare.name(), build).orElseThrow()
                : commits.describe(prepare.name(), release);
        if (!running.isCommit(commit.sha())) {
            return new PreparedBuild.Missing("the " + run.artifactNoun() + " of build " + Watcher.shortId(build.id())
                    + " is for " + Preparation.shortSha(running.commit()) + ", not " + commit.shortSha());
        }
        return new PreparedBuild.Ready(build, running);
    }

    /**
     * Heroku reports a cancelled build as failed. A build that a newer commit's prepare cancelled as superseded is
     * not a failure of this commit: it is missing, and onMissingPrepare applies.
     */
    private PreparedBuild failedOrSuperseded(App prepare, Build build, List<String> logTail) throws IOException {
        Optional<Build> by = Superseded.cancelledBy(build, heroku.listBuilds(prepare.name(),
                Preparation.RECENT_BUILDS));
        if (by.isPresent()) {
            return new PreparedBuild.Missing("build " + Watcher.shortId(build.id()) + " of "
                    + Preparation.shortSha(build.version()) + " on " + prepare.name() + " was cancelled by the prepare"
                    + " of " + Preparation.shortSha(by.get().version()) + " (build " + Watcher.shortId(by.get().id())
                    + "), a newer commit");
        }
        return new PreparedBuild.Failed(build, logTail);
    }

    /** The newest build of the commit that passes {@code filter}: a succeeded one beats a newer failed retry. */
    private static Optional<Build> newestOfCommit(List<Build> newestFirst, Commit commit, Predicate<Build> filter) {
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
}
