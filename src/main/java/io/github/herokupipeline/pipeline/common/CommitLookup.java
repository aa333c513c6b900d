package io.github.herokupipeline.pipeline.common;

import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.Artifact;
import io.github.herokupipeline.heroku.model.Build;
import io.github.herokupipeline.heroku.model.OciImage;
import io.github.herokupipeline.heroku.model.Release;
import io.github.herokupipeline.heroku.model.Slug;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one answer every goal trusts to "which commit does this run", for both generations: a release runs an
 * artifact (a slug on Cedar, an OCI image on Fir), and the artifact records the commit the build was given as
 * {@code source_blob.version}. One request per artifact, remembered for the run, since an artifact never changes.
 */
public final class CommitLookup {

    /** How many of an app's newest releases are read to find the one it runs. */
    public static final int RECENT_RELEASES = 10;

    /** How far back to look for a build of a commit, and for builds to cancel. */
    public static final int RECENT_BUILDS = 30;

    private final HerokuClient heroku;
    private final Map<String, Described> artifacts = new ConcurrentHashMap<>();

    public CommitLookup(HerokuClient heroku) {
        this.heroku = heroku;
    }

    /** What an artifact says of itself: the commit it was built from and the stack it was built for. */
    public record Described(String commit, String stack) {}

    /**
     * A release and what it runs.
     *
     * @param artifact the slug or image, or null for a release that runs none
     * @param commit the artifact's commit, or null when it has none or the release runs no artifact
     */
    public record Running(Release release, Artifact artifact, String commit, String stack) {

        public boolean isCommit(String sha) {
            return sha != null && sha.equalsIgnoreCase(commit);
        }

        public int version() {
            return release.version();
        }
    }

    /** What {@code release} of {@code app} runs. */
    public Running describe(String app, Release release) throws IOException {
        Artifact artifact = release.artifact();
        Described described = artifact == null ? new Described(null, null) : describe(app, artifact);
        return new Running(release, artifact, described.commit(), described.stack());
    }

    /** The commit and stack of a slug or an OCI image, fetched once per run. */
    public Described describe(String app, Artifact artifact) throws IOException {
        Described known = artifacts.get(artifact.id());
        if (known != null) {
            return known;
        }
        Described described;
        if (artifact.isSlug()) {
            Slug slug = heroku.getSlug(app, artifact.id());
            described = new Described(slug.commit(), slug.stackName());
        } else {
            List<OciImage> images = heroku.getOciImages(app, artifact.id());
            OciImage image = images.isEmpty() ? null : images.get(0);
            described = new Described(image == null ? null : image.commit(),
                    image == null ? null : image.stackName());
        }
        artifacts.put(artifact.id(), described);
        return described;
    }

    /**
     * Notes the slugs that {@code builds} made, so that a release running one of them needs no request to tell its
     * commit: a build's slug records the commit the build was given as {@code source_blob.version}, which the build
     * names as well. A promoted release usually runs a slug of a build on the prepare app, so one list of that app's
     * builds tells what the targets run. Fir builds name no image, so nothing is noted for them.
     */
    public void noteSlugsOf(List<Build> builds) {
        for (Build build : builds) {
            if (build.isSucceeded() && build.slug() != null && build.slug().id() != null && build.version() != null) {
                artifacts.putIfAbsent(build.slug().id(), new Described(build.version(), build.stack()));
            }
        }
    }

    /** What a finished build left: Cedar names its slug on the build; Fir only through the build's release. */
    public Optional<Running> ofBuild(String app, Build build) throws IOException {
        if (build.release() == null) {
            return Optional.empty();
        }
        Release release = heroku.getRelease(app, build.release().id());
        if (release.artifact() == null && build.slug() != null) {
            Described described = describe(app, new Artifact(Artifact.SLUG, build.slug().id()));
            return Optional.of(new Running(release, new Artifact(Artifact.SLUG, build.slug().id()),
                    described.commit(), described.stack()));
        }
        return Optional.of(describe(app, release));
    }

    /** The release {@code app} runs now (the current one, else the newest that succeeded) and its commit. */
    public Optional<Running> running(App app) throws IOException {
        return running(app.name());
    }

    public Optional<Running> running(String app) throws IOException {
        Optional<Release> release = runningRelease(heroku.listReleases(app, RECENT_RELEASES));
        return release.isEmpty() ? Optional.empty() : Optional.of(describe(app, release.get()));
    }

    public static Optional<Release> runningRelease(List<Release> newestFirst) {
        return newestFirst.stream().filter(Release::current).findFirst()
                .or(() -> newestFirst.stream().filter(Release::isSucceeded).findFirst());
    }
}
