package io.github.herokupipeline.pipeline;

import io.github.herokupipeline.heroku.App;
import io.github.herokupipeline.heroku.Build;
import io.github.herokupipeline.heroku.HerokuApiException;
import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.source.ArchiveSummary;
import io.github.herokupipeline.source.Commit;
import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code prepare} goal: start a build of this commit on the prepare app and return at once, so Heroku builds
 * while the tests run. A build of the same commit that is already pending or succeeded is reused.
 */
public final class Preparation {

    /** How far back to look for a build of this commit, and for builds to cancel. */
    static final int RECENT_BUILDS = 30;

    private final HerokuClient heroku;
    private final Reporter reporter;
    private final Waiting waiting;

    public Preparation(HerokuClient heroku, Reporter reporter, Waiting waiting) {
        this.heroku = heroku;
        this.reporter = reporter;
        this.waiting = waiting;
    }

    public PrepareRecord prepare(PrepareSettings settings) throws IOException, SourceException, DeployException {
        Instant started = waiting.now();
        SourcePackager packager = new SourcePackager(settings.source(), reporter, waiting);
        Commit commit = packager.commit();
        // The archive is written while Heroku is asked whether a build of this commit exists already.
        Background<ArchiveSummary> archiving = Background.start("archive", () -> packager.archive(commit));
        App app;
        List<Build> recent;
        try {
            app = Apps.get(heroku, settings.prepareApp(), "<prepareApp> (-Dheroku.prepareApp)");
            recent = heroku.listBuilds(app.name(), RECENT_BUILDS);
        } catch (IOException | DeployException | RuntimeException e) {
            archiving.abandon();
            throw e;
        }

        Optional<Build> existing = recent.stream()
                .filter(b -> commit.sha().equalsIgnoreCase(b.version()))
                .filter(b -> b.isPending() || (b.isSucceeded() && runsCommit(app.name(), b, commit)))
                .findFirst();
        if (existing.isPresent()) {
            archiving.abandon();
            Build build = existing.get();
            reporter.info("Build " + build.id() + " of " + commit.shortSha() + " on " + app.name()
                    + (build.isPending() ? " is already running" : " already succeeded")
                    + ": reusing it (no upload, no new build)");
            return record(settings, app, build, commit, started, true, null);
        }
        if (settings.cancelSuperseded()) {
            cancelSuperseded(app.name(), recent, commit);
        }

        ArchiveSummary archive = archiving.get();
        String sourceUrl = packager.upload(heroku, archive);
        Build build = heroku.createBuild(app.name(), SourcePackager.buildRequest(sourceUrl, archive, commit,
                settings.buildpacks()));
        PrepareRecord record = record(settings, app, build, commit, started, false, archive);
        reporter.info("Started build " + build.id() + " of " + commit.shortSha() + " on " + app.name()
                + "; Heroku builds while the tests run (prepare took "
                + Waiting.format(Duration.between(started, waiting.now())) + ")");
        return record;
    }

    /** A succeeded build is reused only when the slug or image its release runs records this commit. */
    private boolean runsCommit(String app, Build build, Commit commit) {
        try {
            return new CommitLookup(heroku).ofBuild(app, build).map(running -> running.isCommit(commit.sha()))
                    .orElse(false);
        } catch (IOException e) {
            reporter.debug("Could not read what build " + build.id() + " released: " + e.getMessage());
            return false;
        }
    }

    private void cancelSuperseded(String app, List<Build> recent, Commit commit) throws IOException {
        for (Build build : recent) {
            if (build.isPending() && !commit.sha().equalsIgnoreCase(build.version())) {
                try {
                    heroku.cancelBuild(app, build.id());
                    reporter.info("Cancelled superseded build " + build.id() + " of " + shortSha(build.version())
                            + " on " + app + " (heroku.cancelSuperseded=true)");
                } catch (HerokuApiException e) {
                    reporter.warn("Could not cancel superseded build " + build.id() + " on " + app + ": "
                            + e.getMessage());
                }
            }
        }
    }

    private PrepareRecord record(PrepareSettings settings, App app, Build build, Commit commit, Instant started,
            boolean reused, ArchiveSummary archive) throws IOException {
        PrepareRecord record = new PrepareRecord(app.name(), app.id(), build.id(), commit.sha(), started.toString(),
                waiting.now().toString(), reused, archive == null ? 0 : archive.bytes(),
                archive == null ? 0 : archive.files());
        record.write(settings.source().workDirectory());
        return record;
    }

    static String shortSha(String sha) {
        return sha == null ? "(no version)" : sha.substring(0, Math.min(8, sha.length()));
    }
}
