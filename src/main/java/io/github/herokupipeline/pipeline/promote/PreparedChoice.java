package io.github.herokupipeline.pipeline.promote;

import io.github.herokupipeline.heroku.model.Build;
import io.github.herokupipeline.heroku.model.Release;
import io.github.herokupipeline.pipeline.common.Watcher;
import io.github.herokupipeline.source.Commit;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The decisions of {@link PreparedBuildLookup}, apart from the requests that feed them: which of the prepare app's
 * builds of this commit's content to use, why none is usable, and whether a build's release can be promoted.
 * Plain functions, tested without a server.
 */
final class PreparedChoice {

    private PreparedChoice() {}

    /**
     * The build to use among the builds of this commit's content (newest first): the newest that succeeded (it beats
     * a newer failed retry), else the newest still running, else the recorded one, else the newest at all.
     */
    static Optional<Build> choose(List<Build> ofThisContent, Build recorded) {
        return newest(ofThisContent, Build::isSucceeded)
                .or(() -> newest(ofThisContent, Build::isPending))
                .or(() -> Optional.ofNullable(recorded))
                .or(() -> newest(ofThisContent, build -> true));
    }

    private static Optional<Build> newest(List<Build> newestFirst, Predicate<Build> filter) {
        return newestFirst.stream().filter(filter).findFirst();
    }

    /** The builds among {@code builds} labelled with {@code sha} (the label alone proves nothing). */
    static List<Build> labelled(List<Build> builds, String sha) {
        return builds == null ? List.of() : builds.stream().filter(b -> sha.equalsIgnoreCase(b.version())).toList();
    }

    /** Why no build of this commit is usable, when none was chosen. */
    static String whyMissing(String prepareApp, Commit commit, long otherContent, List<Build> recentNewestFirst) {
        if (otherContent > 0) {
            return "no build on " + prepareApp + " was made from the archive of " + commit.shortSha() + " ("
                    + otherContent + " labelled with it were made from other content)";
        }
        Build newest = recentNewestFirst.isEmpty() ? null : recentNewestFirst.get(0);
        return newest == null ? prepareApp + " has no build at all"
                : "the newest prepare build on " + prepareApp + " is for " + Commit.abbreviate(newest.version())
                        + ", HEAD is " + commit.shortSha();
    }

    /**
     * Why a succeeded build's release cannot be promoted as it is found (expired), or null. A pending release is
     * awaited first, so it is not a reason here.
     */
    static String expired(String prepareApp, Build build, Release release) {
        return Release.EXPIRED.equals(release.status()) ? "release v" + release.version() + " of " + prepareApp
                + " (build " + Watcher.shortId(build.id()) + ") has expired" : null;
    }

    /** Why a finished release cannot be promoted (it failed, or runs nothing), or null when it can. */
    static String unusable(String prepareApp, Build build, Release release, String artifactNoun) {
        if (!release.isSucceeded()) {
            return "release v" + release.version() + " of " + prepareApp + " is " + release.status();
        }
        if (release.artifact() == null && build.slug() == null) {
            return "release v" + release.version() + " of " + prepareApp + " (build " + Watcher.shortId(build.id())
                    + ") runs no " + artifactNoun;
        }
        return null;
    }

    /** Why the release's artifact is not this commit's, or null when it is. */
    static String otherCommit(Build build, String runs, Commit commit, String artifactNoun) {
        return commit.sha().equalsIgnoreCase(runs) ? null : "the " + artifactNoun + " of build "
                + Watcher.shortId(build.id()) + " is for " + Commit.abbreviate(runs) + ", not " + commit.shortSha();
    }
}
