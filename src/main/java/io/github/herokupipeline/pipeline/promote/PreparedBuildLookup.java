package io.github.herokupipeline.pipeline.promote;

import io.github.herokupipeline.heroku.HerokuApiException;
import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.Artifact;
import io.github.herokupipeline.heroku.model.Build;
import io.github.herokupipeline.heroku.model.Release;
import io.github.herokupipeline.pipeline.common.Background;
import io.github.herokupipeline.pipeline.common.CommitLookup.Running;
import io.github.herokupipeline.pipeline.common.CommitLookup;
import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.common.Parallel;
import io.github.herokupipeline.pipeline.common.PrepareRecord;
import io.github.herokupipeline.pipeline.common.Reporter;
import io.github.herokupipeline.pipeline.common.SourceContent;
import io.github.herokupipeline.pipeline.common.SourcePackager;
import io.github.herokupipeline.pipeline.common.Superseded;
import io.github.herokupipeline.pipeline.common.Waiting;
import io.github.herokupipeline.pipeline.common.Watcher;
import io.github.herokupipeline.source.Commit;
import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
    private String expectedChecksum; // computed on first need; one lookup serves one run

    PreparedBuildLookup(HerokuClient heroku, Reporter reporter, Waiting waiting, CommitLookup commits) {
        this.heroku = heroku;
        this.reporter = reporter;
        this.waiting = waiting;
        this.watcher = new Watcher(heroku, reporter, waiting);
        this.commits = commits;
    }

    /**
     * What can be known of the prepare app's builds before the apps are: the build named in {@code prepare.json}, and
     * the app's newest builds and releases. All are read side by side with the apps, so that {@link #find} needs no
     * request of its own for a finished build: its release is among the newest, and its slug's commit is its label.
     *
     * @param recorded the recorded build, or null
     * @param listed the newest builds to choose from, or null when the recorded build is usable
     * @param releases the app's newest releases (newest first), or empty
     */
    record Known(Build recorded, List<Build> listed, List<Release> releases) {

        /** A recorded build that has not failed is the one to use; without one, the newest builds are chosen from. */
        static Known of(Build recorded, List<Build> newestBuilds, List<Release> newestReleases) {
            boolean usable = recorded != null && !Build.FAILED.equals(recorded.status());
            return new Known(recorded, usable ? null : newestBuilds, newestReleases);
        }
    }

    /**
     * The build named in {@code prepare.json}; null when there is no record for this commit and app, or Heroku no
     * longer knows the build. It is read while {@code naming} names the commit, and only then matched against it;
     * a failure to name the commit is the caller's to report.
     */
    Build recorded(PromoteSettings settings, Background<Commit> naming) throws IOException {
        String app = String.valueOf(settings.prepareApp()).strip();
        Optional<PrepareRecord> record = PrepareRecord.read(settings.source().workDirectory(), app);
        if (record.isEmpty()) {
            return null;
        }
        Build build;
        try {
            build = heroku.getBuild(app, record.get().buildId());
        } catch (HerokuApiException.NotFound e) {
            return null;
        }
        Commit commit;
        try {
            commit = naming.get();
        } catch (SourceException e) {
            return null;
        }
        return commit.sha().equalsIgnoreCase(record.get().commit()) && commit.sha().equalsIgnoreCase(build.version())
                ? build : null;
    }

    /**
     * Finds the prepare app's build of the commit without waiting for it: a running build is
     * {@link PreparedBuild.StillBuilding}, which {@link #await} follows to its end.
     *
     * @param known the recorded build, or the newest builds (see {@link #known})
     */
    PreparedBuild find(PromoteContext run, Known known, PromoteReportBuilder report)
            throws IOException, DeployException {
        App prepare = run.prepare();
        Commit commit = run.commit();
        List<Build> labelled = PreparedChoice.labelled(known.listed(), commit.sha());
        String expected = known.recorded() == null && labelled.isEmpty() ? null : expectedChecksum(run);
        Build recorded = known.recorded();
        if (recorded != null && !SourceContent.matches(recorded, expected, prepare.name(), reporter)) {
            recorded = null;
        }
        Build build = recorded;
        List<Build> recent = List.of();
        long otherContent = 0;
        if (known.listed() != null) {
            List<Build> ofThisContent = labelled.stream()
                    .filter(b -> SourceContent.matches(b, expected, prepare.name(), reporter)).toList();
            otherContent = labelled.size() - ofThisContent.size();
            build = PreparedChoice.choose(ofThisContent, recorded).orElse(null);
            recent = known.listed();
        }
        if (build == null) {
            return new PreparedBuild.Missing(PreparedChoice.whyMissing(prepare.name(), commit, otherContent, recent));
        }
        report.prepareBuildId = build.id();
        if (build.isPending()) {
            return new PreparedBuild.StillBuilding(build);
        }
        if (!build.isSucceeded()) {
            return failedOrSuperseded(prepare, build, watcher.readTail(build.outputStreamUrl(), prepare.name()));
        }
        report.prepareBuild(build, record(run));
        return checkRelease(run, build, known.releases());
    }

    /** Waits for a running prepare build (streaming its log), then checks it as {@link #find} does. */
    PreparedBuild await(PromoteContext run, PreparedBuild.StillBuilding building, PromoteReportBuilder report,
            Runnable whenSucceeded) throws IOException, DeployException {
        App prepare = run.prepare();
        Commit commit = run.commit();
        PromoteSettings settings = run.settings();
        reporter.info("Waiting for build " + building.build().id() + " of " + commit.shortSha() + " on "
                + prepare.name() + " (up to " + Waiting.format(settings.buildTimeout()) + ")");
        Instant waitStarted = waiting.now();
        Watcher.Outcome<Build> outcome = watcher.awaitBuild(prepare.name(), building.build(),
                settings.buildTimeout());
        report.waitedForPrepare = Duration.between(waitStarted, waiting.now());
        Build build = outcome.value();
        if (!build.isSucceeded()) {
            return failedOrSuperseded(prepare, build, outcome.logTail());
        }
        whenSucceeded.run();
        report.prepareBuild(build, record(run));
        return checkRelease(run, build, List.of());
    }

    private static Optional<PrepareRecord> record(PromoteContext run) {
        return PrepareRecord.read(run.settings().source().workDirectory(), run.prepare().name());
    }

    /**
     * A succeeded build is usable when its release can still be promoted and runs this commit. The release is read
     * unless {@code newestReleases} has it finished.
     */
    private PreparedBuild checkRelease(PromoteContext run, Build build, List<Release> newestReleases)
            throws IOException, DeployException {
        App prepare = run.prepare();
        Commit commit = run.commit();
        if (build.release() == null) {
            return new PreparedBuild.Missing("build " + build.id() + " on " + prepare.name() + " has no release");
        }
        Optional<Release> listed = newestReleases.stream()
                .filter(release -> build.release().id().equals(release.id()) && !release.isPending()).findFirst();
        // On Cedar the build names its slug: read it beside the release, as the release will name the same one.
        List<Object> found = Parallel.all(List.<Parallel.Call<Object>>of(
                () -> listed.isPresent() ? listed.get() : heroku.getRelease(prepare.name(), build.release().id()),
                () -> build.slug() == null ? null : commits.describe(prepare.name(),
                        new Artifact(Artifact.SLUG, build.slug().id()))));
        Release release = (Release) found.get(0);
        String expired = PreparedChoice.expired(prepare.name(), build, release);
        if (expired != null) {
            return new PreparedBuild.Missing(expired);
        }
        if (release.isPending()) {
            release = watcher.awaitRelease(prepare.name(), release.id(), run.settings().promotionTimeout()).value();
        }
        String unusable = PreparedChoice.unusable(prepare.name(), build, release, run.artifactNoun());
        if (unusable != null) {
            return release.isSucceeded() ? new PreparedBuild.Missing(unusable)
                    : new PreparedBuild.Failed(build, List.of(unusable));
        }
        Running running = release.artifact() == null ? commits.ofBuild(prepare.name(), build).orElseThrow()
                : commits.describe(prepare.name(), release);
        String otherCommit = PreparedChoice.otherCommit(build, running.commit(), commit, run.artifactNoun());
        if (otherCommit != null) {
            return new PreparedBuild.Missing(otherCommit);
        }
        return new PreparedBuild.Ready(build, running);
    }

    /**
     * Heroku reports a cancelled build as failed. A build that a newer commit's prepare cancelled as superseded is
     * not a failure of this commit: it is missing, and onMissingPrepare applies.
     */
    private PreparedBuild failedOrSuperseded(App prepare, Build build, List<String> logTail) throws IOException {
        Optional<Build> by = Superseded.cancelledBy(build, heroku.listBuilds(prepare.name(),
                CommitLookup.RECENT_BUILDS));
        if (by.isPresent()) {
            return new PreparedBuild.Missing("build " + Watcher.shortId(build.id()) + " of "
                    + Commit.abbreviate(build.version()) + " on " + prepare.name() + " was cancelled by the prepare"
                    + " of " + Commit.abbreviate(by.get().version()) + " (build " + Watcher.shortId(by.get().id())
                    + "), a newer commit");
        }
        return new PreparedBuild.Failed(build, logTail);
    }

    /**
     * The checksum a build of this commit must have: read from {@code prepare-<app>.json}, or computed once from the
     * archive (a promote in a later CI job).
     */
    private String expectedChecksum(PromoteContext run) throws IOException {
        if (expectedChecksum == null) {
            try {
                expectedChecksum = SourceContent.expected(run.settings().source(), run.prepare().name(),
                        run.commit(), new SourcePackager(run.settings().source(), reporter, waiting));
            } catch (SourceException e) {
                throw new IOException("Cannot compute the checksum of the archive of " + run.commit().shortSha()
                        + ": " + e.getMessage(), e);
            }
        }
        return expectedChecksum;
    }
}
