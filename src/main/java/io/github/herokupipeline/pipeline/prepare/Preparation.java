package io.github.herokupipeline.pipeline.prepare;

import io.github.herokupipeline.heroku.ClientWarmUp;
import io.github.herokupipeline.heroku.HerokuApiException;
import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.Build;
import io.github.herokupipeline.heroku.model.Source;
import io.github.herokupipeline.pipeline.common.Apps;
import io.github.herokupipeline.pipeline.common.Background;
import io.github.herokupipeline.pipeline.common.CommitLookup;
import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.common.OrderEvidence;
import io.github.herokupipeline.pipeline.common.PrepareRecord;
import io.github.herokupipeline.pipeline.common.Reporter;
import io.github.herokupipeline.pipeline.common.SourceContent;
import io.github.herokupipeline.pipeline.common.SourcePackager;
import io.github.herokupipeline.pipeline.common.Superseded;
import io.github.herokupipeline.pipeline.common.Waiting;
import io.github.herokupipeline.source.Commit;
import io.github.herokupipeline.source.LocalHistory;
import io.github.herokupipeline.source.SourceArchive;
import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code prepare} goal: start a build of this commit on the prepare app and return at once, so Heroku builds
 * while the tests run. A build of the same commit that is already pending or succeeded is reused, and then nothing
 * is uploaded.
 */
public final class Preparation {

    private final HerokuClient heroku;
    private final Reporter reporter;
    private final Waiting waiting;

    public Preparation(HerokuClient heroku, Reporter reporter, Waiting waiting) {
        this.heroku = heroku;
        this.reporter = reporter;
        this.waiting = waiting;
    }

    /** Prepares and waits until the build is created or reused. */
    public PrepareRecord prepare(PrepareSettings settings) throws IOException, SourceException, DeployException {
        return start(settings, () -> { }).await();
    }

    /** {@link #begin} and {@link #start(Beginning, Runnable)} in one. */
    public PreparationInProgress start(PrepareSettings settings, Runnable whenDone)
            throws IOException, SourceException {
        return start(begin(settings, reporter, waiting), whenDone);
    }

    /**
     * What prepare can start before it has a client: git names the commit and reads the working tree, the archive is
     * prepared, and the first requests' classes load. A goal starts it first and makes its client meanwhile. Says at
     * once when there is no repository at all.
     */
    public static Beginning begin(PrepareSettings settings, Reporter reporter, Waiting waiting)
            throws SourceException {
        Instant started = waiting.now();
        SourcePackager packager = new SourcePackager(settings.source(), reporter, waiting);
        // The archive is prepared from the start, beside the checks of the commit, the working tree and the app: it
        // is on the way to the build, the checks only decide whether it is uploaded (and it is removed when they
        // fail). It opens the repository while git names the commit.
        Background<Commit> naming = packager.besideFirstRequest("commit", packager::commit);
        Background<List<String>> changes = Background.start("working tree check",
                () -> packager.changedFiles(naming.get()));
        ArchiveInBackground archive = new ArchiveInBackground(packager, naming);
        // every request of prepare goes from its background work: the classes they share load beside git, and
        // the work, not the goal, waits for that
        Background<Void> warmUp = Background.start("client warm-up", () -> {
            ClientWarmUp.run();
            return null;
        });
        return new Beginning(settings, packager, started, naming, changes, archive, warmUp);
    }

    /**
     * The local start of a prepare ({@link #begin}). It is handed to {@link #start(Beginning, Runnable)}, or
     * {@link #discard() discarded} when the prepare goes no further.
     */
    public static final class Beginning {
        private final PrepareSettings settings;
        private final SourcePackager packager;
        private final Instant started;
        private final Background<Commit> naming;
        private final Background<List<String>> changes;
        private final ArchiveInBackground archive;
        private final Background<Void> warmUp;

        private Beginning(PrepareSettings settings, SourcePackager packager, Instant started,
                Background<Commit> naming, Background<List<String>> changes, ArchiveInBackground archive,
                Background<Void> warmUp) {
            this.settings = settings;
            this.packager = packager;
            this.started = started;
            this.naming = naming;
            this.changes = changes;
            this.archive = archive;
            this.warmUp = warmUp;
        }

        /** Stops what was started, waits for its threads and removes the archive, if it was written. */
        public void discard() throws IOException {
            archive.discard();
            // local reads of git, a few milliseconds each: waited for, not interrupted (an interrupted git read
            // would be asked again of JGit)
            naming.stop();
            changes.stop();
            warmUp.stop(); // no network, no locks: it ends on its own, in a fraction of a second
        }
    }

    /**
     * Checks at once what the goal's place in the build decides (the commit, a clean working tree), then goes on in
     * the background with the rest: the app check, reuse, archive, upload and build creation. The app check is
     * asked at once, but the goal does not wait for its answer; when Heroku refuses the key or the app, nothing is
     * uploaded and {@link PreparationInProgress#refusal()} says why. {@code whenDone} runs on the background thread
     * when that work ends, however it ends. On failure, {@code beginning} is discarded.
     */
    public PreparationInProgress start(Beginning beginning, Runnable whenDone) throws IOException, SourceException {
        PrepareSettings settings = beginning.settings;
        SourcePackager packager = beginning.packager;
        ArchiveInBackground archive = beginning.archive;
        String appLabel = settings.prepareApp() == null ? "" : settings.prepareApp().strip();
        Background<AppCheck> appCheck = Background.start("app check", () -> AppCheck.of(heroku, settings));
        BuildLookAhead lookAhead = BuildLookAhead.start(heroku, settings.prepareApp());
        Commit commit;
        try {
            try {
                commit = beginning.naming.get();
                packager.checkWorkingTree(beginning.changes.get(), commit);
            } finally {
                beginning.changes.stop();
                beginning.naming.stop();
            }
        } catch (IOException | SourceException | RuntimeException e) {
            appCheck.cancel();
            lookAhead.cancel();
            try {
                beginning.discard();
            } catch (IOException removing) {
                e.addSuppressed(removing);
            }
            throw e;
        }
        Background<PrepareRecord> work = Background.start("prepare " + appLabel, () -> {
            try {
                App app = appCheck.get().appOrRefusal();
                return startBuild(settings, packager, app, commit, beginning.started, archive, lookAhead);
            } catch (IOException | SourceException | RuntimeException e) {
                try {
                    archive.discard(); // not uploaded: nothing of it stays behind
                } catch (IOException removing) {
                    e.addSuppressed(removing);
                }
                Exception refused = AppCheck.refusalOf(appCheck);
                reporter.warn("The prepare of " + commit.shortSha() + " on " + appLabel + " failed: "
                        + (refused == null ? e.getMessage() : refused.getMessage() + " Nothing was uploaded;"
                                + " this build fails when it ends, or when promote runs."));
                throw e;
            } finally {
                lookAhead.cancel(); // its threads have ended, whatever became of the prepare
                beginning.warmUp.stop();
                whenDone.run();
            }
        });
        return new PreparationInProgress(appLabel, commit, work, () -> AppCheck.refusalOf(appCheck), () -> {
            try {
                heroku.close(); // cuts its connections, so the work fails at once
            } catch (IOException e) {
                reporter.debug("Closing the Heroku client: " + e.getMessage());
            }
        }, () -> {
            appCheck.cancel();
            lookAhead.cancel();
            try {
                beginning.discard(); // the work may have been cancelled before it ran: its archive is ours to remove
            } catch (IOException e) {
                reporter.debug("Removing the unused archive: " + e.getMessage());
            }
        });
    }

    /**
     * The prepare app as Heroku answers for it, or why it cannot be prepared on: a problem the user must fix (no
     * such app for this key, a rejected key, the container stack), kept as a value so it reaches the goal's caller
     * as it was thrown.
     */
    private record AppCheck(App app, Exception refusal) {

        static AppCheck of(HerokuClient heroku, PrepareSettings settings) throws IOException {
            try {
                App app = Apps.get(heroku, settings.prepareApp(), "<prepareApp> (-Dheroku.prepareApp)");
                Apps.refuseContainerStack(app, "The prepare app");
                return new AppCheck(app, null);
            } catch (DeployException | HerokuApiException.Unauthorized | HerokuApiException.Forbidden e) {
                return new AppCheck(null, e);
            }
        }

        /** The app; or the refusal, thrown to end the work. */
        App appOrRefusal() throws IOException {
            if (refusal == null) {
                return app;
            }
            throw refusal instanceof IOException io ? io : new IOException(refusal.getMessage(), refusal);
        }

        /** The refusal, once the check has answered with one; null before, and when it answered otherwise. */
        static Exception refusalOf(Background<AppCheck> check) {
            if (!check.isDone()) {
                return null;
            }
            try {
                return check.get().refusal();
            } catch (IOException | SourceException | RuntimeException e) {
                return null; // the check failed or was stopped: not a refusal
            }
        }
    }

    /** The archive of the commit, prepared on its own thread; discarded (stopped, closed) when it is not needed. */
    private static final class ArchiveInBackground {
        private final AtomicReference<SourceArchive> prepared = new AtomicReference<>();
        private final Background<SourceArchive> work;

        ArchiveInBackground(SourcePackager packager, Background<Commit> naming) {
            work = Background.start("archive", () -> {
                SourceArchive archive = packager.writeArchive(naming::get);
                prepared.set(archive);
                return archive;
            });
        }

        SourceArchive get() throws IOException, SourceException {
            return work.get();
        }

        /** Stops the work, waits for its thread to end, and closes the archive (removing its spool) if it was made. */
        void discard() throws IOException {
            work.cancel();
            SourceArchive archive = prepared.get();
            if (archive != null) {
                archive.close();
            }
        }
    }

    /**
     * The requests of the build's start that need neither the app check's answer nor the commit: the app's newest
     * builds (for reuse) and a source upload URL. They go beside the app check, so once it answers the upload is
     * one round trip nearer. When the check fails they are dropped: an unused upload URL changes nothing on Heroku.
     */
    private record BuildLookAhead(Background<List<Build>> recentBuilds, Background<Source> uploadUrl) {

        static BuildLookAhead start(HerokuClient heroku, String prepareApp) {
            String app = prepareApp == null ? "" : prepareApp.strip();
            return new BuildLookAhead(app.isEmpty() ? null : Background.start("recent builds",
                    () -> heroku.listBuilds(app, CommitLookup.RECENT_BUILDS)),
                    Background.start("source upload URL", heroku::createSource));
        }

        /** Interrupts what is still running and returns once its threads have ended. */
        void cancel() {
            if (recentBuilds != null) {
                recentBuilds.cancel();
            }
            uploadUrl.cancel();
        }
    }

    /**
     * Reuses a build of the commit, or uploads the archive and starts one. A build counts as this commit's only when
     * it was made from this commit's archive (its {@code source_blob.checksum}), whatever its version label says.
     * The archive streams to the upload as it is read; its checksum is read ahead only when a build claims this
     * commit.
     */
    private PrepareRecord startBuild(PrepareSettings settings, SourcePackager packager, App app, Commit commit,
            Instant started, ArchiveInBackground archiving, BuildLookAhead lookAhead) throws IOException,
            SourceException {
        // the commit's place in history walks its first-parent chain (long in a big repository): beside the upload,
        // not after it
        Background<OrderEvidence> evidence = Background.start("order evidence", () -> packager.orderEvidence(commit));
        try {
            List<Build> recent = lookAhead.recentBuilds().get();
            SourceArchive archive = archiving.get();
            List<Build> labelled = recent.stream().filter(b -> commit.sha().equalsIgnoreCase(b.version())).toList();
            // the checksum takes one more read of the archive: only worth it when a build claims this commit
            String checksum = labelled.isEmpty() ? null : archive.checksum();
            Optional<Build> existing = labelled.stream()
                    .filter(b -> SourceContent.matches(b, checksum, app.name(), reporter))
                    .filter(b -> b.isPending() || (b.isSucceeded() && runsCommit(app.name(), b, commit)))
                    .findFirst();
            if (existing.isPresent()) {
                archiving.discard();
                Build build = existing.get();
                reporter.info("Build " + build.id() + " of " + commit.shortSha() + " on " + app.name()
                        + (build.isPending() ? " is already running" : " already succeeded")
                        + ": reusing it (made from this commit's archive; no upload, no new build)");
                return record(settings, app, build, commit, started, true, archive);
            }
            List<Build> cancelled = settings.cancelSuperseded()
                    ? cancelSuperseded(packager.history(), app.name(), recent, commit) : List.of();

            String sourceUrl = packager.upload(heroku, archive, lookAhead.uploadUrl().get());
            Build build = heroku.createBuild(app.name(), SourcePackager.buildRequest(sourceUrl, archive.checksum(),
                    commit, settings.buildpacks(), Superseded.describe(commit, cancelled)
                            + evidence.get().marker()));
            PrepareRecord record = record(settings, app, build, commit, started, false, archive);
            reporter.info("Started build " + build.id() + " of " + commit.shortSha() + " on " + app.name()
                    + "; Heroku builds while the tests run (" + Waiting.format(Duration.between(started,
                            waiting.now())) + " after prepare started)");
            return record;
        } finally {
            evidence.stop(); // a local read of git: waited for, not interrupted
        }
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

    /**
     * Cancels the pending builds of commits that local git history shows are ancestors of this one: only those are
     * superseded. A newer commit's build, or one on another branch, is never cancelled.
     */
    private List<Build> cancelSuperseded(LocalHistory history, String app, List<Build> recent, Commit commit)
            throws SourceException {
        List<Build> cancelled = new ArrayList<>();
        for (Build build : recent) {
            if (!build.isPending() || build.version() == null || commit.sha().equalsIgnoreCase(build.version())) {
                continue;
            }
            if (!history.order(build.version(), commit).isBehind()) {
                reporter.debug("Not cancelling build " + build.id() + " of " + Commit.abbreviate(build.version())
                        + ": local git history does not show it is older than " + commit.shortSha());
                continue;
            }
            try {
                heroku.cancelBuild(app, build.id());
                cancelled.add(build);
                reporter.info("Cancelled superseded build " + build.id() + " of " + Commit.abbreviate(build.version())
                        + " on " + app + " (heroku.cancelSuperseded=true)");
            } catch (IOException e) {
                reporter.warn("Could not cancel superseded build " + build.id() + " on " + app + ": "
                        + (e instanceof HerokuApiException ? e.getMessage() : e.toString()));
            }
        }
        return cancelled;
    }

    private PrepareRecord record(PrepareSettings settings, App app, Build build, Commit commit, Instant started,
            boolean reused, SourceArchive archive) throws IOException {
        PrepareRecord record = new PrepareRecord(app.name(), app.id(), build.id(), commit.sha(), started.toString(),
                waiting.now().toString(), reused, archive == null ? 0 : archive.bytes(),
                archive == null ? 0 : archive.files(), archive == null ? null : archive.checksum());
        record.write(settings.source().workDirectory());
        return record;
    }

}
