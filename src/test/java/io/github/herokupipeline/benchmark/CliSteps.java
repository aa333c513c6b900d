package io.github.herokupipeline.benchmark;

import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.Build;
import io.github.herokupipeline.heroku.model.PipelineCoupling;
import io.github.herokupipeline.heroku.model.PipelinePromotion;
import io.github.herokupipeline.heroku.model.PromotionTarget;
import io.github.herokupipeline.heroku.model.Release;
import io.github.herokupipeline.heroku.model.Source;
import io.github.herokupipeline.heroku.model.SourceBlob;
import io.github.herokupipeline.testing.TestRepo;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What deploy scripts do with git, the Heroku CLI and curl, done through the Platform API in this JVM: push (build
 * and wait), check the prepare app's current slug, promote it, poll a URL. The CLI's start-up is not in here: the
 * end-to-end benchmark adds it per command.
 */
public final class CliSteps implements AutoCloseable {
    private static final long POLL_MILLIS = 100;
    private final HerokuClient heroku;
    private final String sha;
    private final Path archive;

    public CliSteps(HerokuClient heroku, Path repo) throws IOException {
        this.heroku = heroku;
        this.sha = TestRepo.open(repo).git("rev-parse", "HEAD").strip();
        this.archive = Files.createTempFile("cli-steps", ".tar.gz");
        TestRepo.open(repo).git("archive", "--format=tar.gz", "-o", archive.toString(), "HEAD");
    }

    public Build startBuild(String app) throws IOException {
        Source source = heroku.createSource();
        heroku.uploadSource(source.putUrl(), archive);
        return heroku.createBuild(app, new Build.CreateRequest(new SourceBlob(source.getUrl(), sha, null, null),
                null));
    }

    /** `git push` or `heroku builds:create` style: start, stream the log to its end, then wait for build and release. */
    public void buildOn(String app) throws Exception {
        Build build = startBuild(app);
        heroku.streamOutput(build.outputStreamUrl(), line -> { }, Instant.now().plusSeconds(600));
        while (build.isPending()) {
            Thread.sleep(POLL_MILLIS);
            build = heroku.getBuild(app, build.id());
        }
        if (!build.isSucceeded()) {
            throw new IllegalStateException("build failed on " + app);
        }
        awaitRelease(app, build.release().id());
    }

    /** The one-shot check: does the prepare app's current release run a slug of this commit? */
    public boolean prepareCurrentIsCommit(String prepare) throws IOException {
        Optional<Release> current = heroku.listReleases(prepare, 5).stream().filter(Release::current)
                .findFirst();
        return current.isPresent() && current.get().slugId() != null
                && sha.equals(heroku.getSlug(prepare, current.get().slugId()).commit());
    }

    /** `heroku pipelines:promote` style: the source's current release, polled every 100 ms. */
    public void promoteCurrent(String source, String target) throws Exception {
        PipelineCoupling coupling = heroku.getPipelineCoupling(source);
        App targetApp = heroku.getApp(target);
        PipelinePromotion promotion = heroku.createPipelinePromotion(coupling.pipelineId(), coupling.appId(),
                null, List.of(targetApp.id()));
        List<PromotionTarget> targets = heroku.listPromotionTargets(promotion.id());
        while (targets.stream().anyMatch(PromotionTarget::isPending)) {
            Thread.sleep(POLL_MILLIS);
            targets = heroku.listPromotionTargets(promotion.id());
        }
        awaitRelease(target, targets.get(0).releaseId());
    }

    /** `curl --retry` style: polls {@code url} every 100 ms until it answers 200. */
    public static void awaitOk(String url) throws Exception {
        while (true) {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            try {
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } finally {
                connection.disconnect();
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(archive);
    }

    private void awaitRelease(String app, String releaseId) throws Exception {
        Release release = heroku.getRelease(app, releaseId);
        while (release.isPending()) {
            Thread.sleep(POLL_MILLIS);
            release = heroku.getRelease(app, releaseId);
        }
    }
}
