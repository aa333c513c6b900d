package io.github.herokupipeline.pipeline.check;

import io.github.herokupipeline.heroku.HerokuApiException;
import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.Release;
import io.github.herokupipeline.pipeline.common.Apps;
import io.github.herokupipeline.pipeline.common.CommitLookup;
import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.common.Reporter;
import io.github.herokupipeline.pipeline.common.Waiting;
import io.github.herokupipeline.pipeline.common.Watcher;
import io.github.herokupipeline.source.Commit;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rolls apps back to an earlier release and follows the new release through its release phase. Used after a
 * failed smoke check and by the {@code rollback} goal.
 */
public final class Rollback {

    private final HerokuClient heroku;
    private final Reporter reporter;
    private final Watcher watcher;
    private final CommitLookup commits;

    public Rollback(HerokuClient heroku, Reporter reporter, Waiting waiting) {
        this(heroku, reporter, waiting, new CommitLookup(heroku));
    }

    public Rollback(HerokuClient heroku, Reporter reporter, Waiting waiting, CommitLookup commits) {
        this.heroku = heroku;
        this.reporter = reporter;
        this.watcher = new Watcher(heroku, reporter, waiting);
        this.commits = commits;
    }

    /**
     * What a rollback did.
     *
     * @param toCommit the commit the release rolled back to runs, or null when it is not known
     */
    public record Result(String app, Integer fromVersion, Integer toVersion, Integer newVersion, String status,
            String toCommit, String error) {

        public boolean succeeded() {
            return error == null && Release.SUCCEEDED.equals(status);
        }

        public String describe() {
            if (error != null) {
                return app + ": rollback failed: " + error;
            }
            return app + ": rolled back from v" + fromVersion + " to v" + toVersion
                    + (toCommit == null ? "" : " (" + Commit.abbreviate(toCommit) + ")") + ", new release v"
                    + newVersion + " " + status;
        }
    }

    /**
     * The {@code rollback} goal: each app back to {@code release} (a version like {@code v41} or {@code 41}, or a
     * release id), or without it to the newest earlier release that can be rolled back to.
     */
    public List<Result> rollBack(List<String> apps, String release, Duration timeout)
            throws IOException, DeployException {
        List<Result> results = new ArrayList<>();
        for (String name : apps) {
            App app = Apps.get(heroku, name, "<targetApps> (-Dheroku.targetApps)");
            List<Release> newest = heroku.listReleases(app.name(), 50);
            Release current = newest.stream().filter(Release::current).findFirst().orElse(null);
            if (current == null) {
                throw new DeployException(app.name() + " has no current release to roll back from");
            }
            Release target = release == null || release.isBlank() ? previous(newest, current)
                    .orElseThrow(() -> new DeployException(app.name() + " has no earlier release to roll back to;"
                            + " name one with -Dheroku.release=v<N>"))
                    : find(app, release);
            Result result = rollBack(app, current, target, timeout);
            reporter.info(result.describe());
            results.add(result);
        }
        return results;
    }

    /** Rolls {@code app} from {@code current} back to {@code target} and follows the release phase. */
    public Result rollBack(App app, Release current, Release target, Duration timeout) throws IOException {
        try {
            reporter.info("Rolling " + app.name() + " back from v" + current.version() + " to v" + target.version());
            Release created = heroku.rollback(app.name(), target.id());
            Release done = watcher.awaitRelease(app.name(), created.id(), timeout).value();
            String commit = commits.describe(app.name(), done).commit();
            return new Result(app.name(), current.version(), target.version(), done.version(), done.status(), commit,
                    done.isSucceeded() ? null : "the rollback release v" + done.version() + " " + done.status());
        } catch (HerokuApiException | DeployException e) {
            return new Result(app.name(), current.version(), target.version(), null, null, null, e.getMessage());
        }
    }

    static Optional<Release> previous(List<Release> newestFirst, Release current) {
        return newestFirst.stream()
                .filter(r -> r.version() < current.version() && r.isSucceeded() && r.artifact() != null)
                .findFirst();
    }

    private Release find(App app, String release) throws IOException, DeployException {
        String key = release.strip().replaceFirst("^[vV](\\d+)$", "$1");
        try {
            return heroku.getRelease(app.name(), key);
        } catch (HerokuApiException.NotFound e) {
            throw new DeployException(app.name() + " has no release '" + release + "' (-Dheroku.release)", e);
        }
    }
}
