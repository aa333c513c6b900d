package io.github.herokupipeline.heroku;

import com.google.api.client.http.AbstractHttpContent;
import com.google.api.client.http.FileContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpContent;
import com.google.api.client.http.HttpResponse;
import com.google.gson.reflect.TypeToken;
import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.AppFeature;
import io.github.herokupipeline.heroku.model.Build;
import io.github.herokupipeline.heroku.model.BuildpackInstallation;
import io.github.herokupipeline.heroku.model.Formation;
import io.github.herokupipeline.heroku.model.OciImage;
import io.github.herokupipeline.heroku.model.Pipeline;
import io.github.herokupipeline.heroku.model.PipelineCoupling;
import io.github.herokupipeline.heroku.model.PipelinePromotion;
import io.github.herokupipeline.heroku.model.PromotionTarget;
import io.github.herokupipeline.heroku.model.Ref;
import io.github.herokupipeline.heroku.model.Release;
import io.github.herokupipeline.heroku.model.Slug;
import io.github.herokupipeline.heroku.model.Source;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Heroku Platform API operations the plugin uses, one typed method each. Create one per goal execution and
 * close it at the end; it is safe to use from several threads.
 */
public final class HerokuClient implements Closeable {

    /** Builds and releases are listed newest first; the schema's build ranges are {@code id, started_at}. */
    static final String BUILDS_NEWEST_FIRST = "started_at ..; max=%d, order=desc";
    static final String RELEASES_NEWEST_FIRST = "version ..; max=%d, order=desc";
    static final String ACCEPT_CANCEL_BUILD = "application/vnd.heroku+json; version=3.cancel-build";
    private static final Type BUILDS = new TypeToken<List<Build>>() {}.getType();
    private static final Type RELEASES = new TypeToken<List<Release>>() {}.getType();
    private static final Type COUPLINGS = new TypeToken<List<PipelineCoupling>>() {}.getType();
    private static final Type TARGETS = new TypeToken<List<PromotionTarget>>() {}.getType();
    private static final Type OCI_IMAGES = new TypeToken<List<OciImage>>() {}.getType();
    private static final Type BUILDPACKS = new TypeToken<List<BuildpackInstallation>>() {}.getType();
    private static final Type FORMATIONS = new TypeToken<List<Formation>>() {}.getType();
    private static final Type CONFIG_VARS = new TypeToken<Map<String, String>>() {}.getType();
    private static final int PAGE_SIZE = 100;

    private final HerokuClientConfig config;
    private final HerokuHttp http;

    public HerokuClient(HerokuClientConfig config) {
        this.config = config;
        this.http = new HerokuHttp(config);
    }

    public HerokuClientConfig config() {
        return config;
    }

    public App getApp(String app) throws IOException {
        return http.send(http.call("get app '" + app + "'", "GET", "apps", app), App.class);
    }

    /** The app's buildpacks in the order they run. */
    public List<BuildpackInstallation> listBuildpackInstallations(String app) throws IOException {
        return http.send(http.call("list the buildpacks of app '" + app + "'", "GET", "apps", app,
                "buildpack-installations"), BUILDPACKS);
    }

    /** The formation of one process type, e.g. {@code web}; not found when the app has no such process type. */
    public Formation getFormation(String app, String type) throws IOException {
        return http.send(http.call("get the " + type + " formation of app '" + app + "'", "GET", "apps", app,
                "formation", type), Formation.class);
    }

    /** One feature of the app by name, e.g. {@code preboot}; not found when Heroku has no such feature. */
    public AppFeature getAppFeature(String app, String feature) throws IOException {
        return http.send(http.call("get feature '" + feature + "' of app '" + app + "'", "GET", "apps", app,
                "features", feature), AppFeature.class);
    }

    /** Every process type of the app with its quantity; empty before the app's first release. */
    public List<Formation> listFormation(String app) throws IOException {
        return http.list(http.call("list the formation of app '" + app + "'", "GET", "apps", app, "formation"),
                "id ..; max=" + PAGE_SIZE, FORMATIONS, Integer.MAX_VALUE);
    }

    /** Sets the quantity of each named process type at once; not found when the app has no such process type. */
    public List<Formation> updateFormation(String app, List<Formation.Update> updates) throws IOException {
        HerokuHttp.Call call = http.call("scale the dynos of app '" + app + "'", "PATCH", "apps", app, "formation");
        call.content = HerokuHttp.json(new Formation.BatchUpdate(updates));
        return http.send(call, FORMATIONS);
    }

    /** Replaces the app's buildpacks with {@code buildpacks} (names, URLs or URNs), in that order. */
    public List<BuildpackInstallation> updateBuildpackInstallations(String app, List<String> buildpacks)
            throws IOException {
        HerokuHttp.Call call = http.call("set the buildpacks of app '" + app + "'", "PUT", "apps", app,
                "buildpack-installations");
        call.content = HerokuHttp.json(new BuildpackInstallation.Updates(
                buildpacks.stream().map(BuildpackInstallation.Update::new).toList()));
        return http.send(call, BUILDPACKS);
    }

    /** Creates an app of the key's own account ({@code POST /apps}). */
    public App createApp(App.CreateRequest request) throws IOException {
        HerokuHttp.Call call = http.call("create app '" + request.name() + "'", "POST", "apps");
        call.content = HerokuHttp.json(request);
        return http.send(call, App.class);
    }

    /** Creates an app of a team, in a space when the request names one ({@code POST /teams/apps}). */
    public App createTeamApp(App.TeamCreateRequest request) throws IOException {
        HerokuHttp.Call call = http.call("create app '" + request.name() + "' of team '" + request.team() + "'",
                "POST", "teams", "apps");
        call.content = HerokuHttp.json(request);
        return http.send(call, App.class);
    }

    /** Sets the stack the app's next build uses. */
    public App updateBuildStack(String app, String stack) throws IOException {
        HerokuHttp.Call call = http.call("set the stack of app '" + app + "'", "PATCH", "apps", app);
        call.content = HerokuHttp.json(new App.BuildStackUpdate(stack));
        return http.send(call, App.class);
    }

    public Map<String, String> getConfigVars(String app) throws IOException {
        return http.send(http.call("get config vars of app '" + app + "'", "GET", "apps", app, "config-vars"),
                CONFIG_VARS);
    }

    /** Sets config vars; a null value removes one. Creates a release, as on Heroku. */
    public Map<String, String> updateConfigVars(String app, Map<String, String> changes) throws IOException {
        HerokuHttp.Call call = http.call("update config vars of app '" + app + "'", "PATCH", "apps", app,
                "config-vars");
        call.content = HerokuHttp.jsonKeepingNulls(changes);
        return http.send(call, CONFIG_VARS);
    }

    // sources and builds

    public Source createSource() throws IOException {
        return http.send(http.call("create a source upload URL", "POST", "sources"), Source.class);
    }

    /**
     * PUTs the archive to a pre-signed upload URL: {@code Content-Length} set, no {@code Content-Type}, and none of
     * the API's headers, so the key never leaves for the object store.
     */
    public void uploadSource(String putUrl, Path archive) throws IOException {
        upload(putUrl, new FileContent(null, archive.toFile()));
    }

    /**
     * Uploads {@code length} bytes that {@code body} writes as they are made: the object store gets the length
     * first, then the bytes. {@code body} may be asked to write them again when the upload is retried.
     */
    public void uploadSource(String putUrl, long length, UploadBody body) throws IOException {
        upload(putUrl, new AbstractHttpContent((String) null) {
            @Override
            public long getLength() {
                return length;
            }

            @Override
            public boolean retrySupported() {
                return true;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                body.writeTo(out);
                out.flush();
            }
        });
    }

    /** Writes an upload's bytes. */
    @FunctionalInterface
    public interface UploadBody {
        void writeTo(OutputStream out) throws IOException;
    }

    private void upload(String putUrl, HttpContent content) throws IOException {
        HerokuHttp.Call call = new HerokuHttp.Call("upload the source archive", "PUT", new GenericUrl(putUrl));
        call.apiRequest = false;
        call.content = content;
        http.execute(call);
    }

    public Build createBuild(String app, Build.CreateRequest request) throws IOException {
        HerokuHttp.Call call = http.call("create a build on app '" + app + "'", "POST", "apps", app, "builds");
        call.content = HerokuHttp.json(request);
        return http.send(call, Build.class);
    }

    public Build getBuild(String app, String buildId) throws IOException {
        return http.send(http.call("get build " + buildId + " of app '" + app + "'", "GET", "apps", app, "builds",
                buildId), Build.class);
    }

    /** The newest builds of an app, newest first, at most {@code max}. */
    public List<Build> listBuilds(String app, int max) throws IOException {
        return http.list(http.call("list builds of app '" + app + "'", "GET", "apps", app, "builds"),
                String.format(BUILDS_NEWEST_FIRST, Math.min(max, PAGE_SIZE)), BUILDS, max);
    }

    public Build cancelBuild(String app, String buildId) throws IOException {
        HerokuHttp.Call call = http.call("cancel build " + buildId + " of app '" + app + "'", "DELETE", "apps", app,
                "builds", buildId);
        call.accept = ACCEPT_CANCEL_BUILD;
        return http.send(call, Build.class);
    }

    public Slug getSlug(String app, String slugId) throws IOException {
        return http.send(http.call("get slug " + slugId + " of app '" + app + "'", "GET", "apps", app, "slugs",
                slugId), Slug.class);
    }

    /**
     * The OCI image of a Fir app; Heroku answers an array (the image, per architecture), whose first element is the
     * one the CLI reads too.
     */
    public List<OciImage> getOciImages(String app, String imageId) throws IOException {
        return http.send(http.call("get OCI image " + imageId + " of app '" + app + "'", "GET", "apps", app,
                "oci-images", imageId), OCI_IMAGES);
    }

    // releases

    /** A release by id or by version number. */
    public Release getRelease(String app, String idOrVersion) throws IOException {
        return http.send(http.call("get release " + idOrVersion + " of app '" + app + "'", "GET", "apps", app,
                "releases", idOrVersion), Release.class);
    }

    /** The newest releases of an app, newest first, at most {@code max}. */
    public List<Release> listReleases(String app, int max) throws IOException {
        return http.list(http.call("list releases of app '" + app + "'", "GET", "apps", app, "releases"),
                String.format(RELEASES_NEWEST_FIRST, Math.min(max, PAGE_SIZE)), RELEASES, max);
    }

    public Release createRelease(String app, String slugId, String description) throws IOException {
        HerokuHttp.Call call = http.call("release slug " + slugId + " on app '" + app + "'", "POST", "apps", app,
                "releases");
        call.content = HerokuHttp.json(new Release.CreateRequest(slugId, description));
        return http.send(call, Release.class);
    }

    public Release rollback(String app, String releaseId) throws IOException {
        HerokuHttp.Call call = http.call("roll app '" + app + "' back to release " + releaseId, "POST", "apps",
                app, "releases");
        call.content = HerokuHttp.json(new Release.RollbackRequest(releaseId));
        return http.send(call, Release.class);
    }

    // pipelines

    public Pipeline getPipeline(String idOrName) throws IOException {
        return http.send(http.call("get pipeline '" + idOrName + "'", "GET", "pipelines", idOrName),
                Pipeline.class);
    }

    /** The pipeline coupling of an app (a single object: an app is in at most one pipeline). */
    public PipelineCoupling getPipelineCoupling(String app) throws IOException {
        return http.send(http.call("get the pipeline coupling of app '" + app + "'", "GET", "apps", app,
                "pipeline-couplings"), PipelineCoupling.class);
    }

    /** Adds an app to a pipeline at a stage ({@code development}, {@code staging}, ...). */
    public PipelineCoupling createPipelineCoupling(String app, String pipelineId, String stage) throws IOException {
        HerokuHttp.Call call = http.call("add app '" + app + "' to pipeline " + pipelineId, "POST",
                "pipeline-couplings");
        call.content = HerokuHttp.json(new PipelineCoupling.CreateRequest(app, pipelineId, stage));
        return http.send(call, PipelineCoupling.class);
    }

    public List<PipelineCoupling> listPipelineCouplings(String pipelineId) throws IOException {
        return http.list(http.call("list the apps of pipeline " + pipelineId, "GET", "pipelines", pipelineId,
                "pipeline-couplings"), "id ..; max=" + PAGE_SIZE, COUPLINGS, Integer.MAX_VALUE);
    }

    /**
     * Promotes a release of the source app to the targets. With {@code sourceReleaseId} Heroku promotes exactly
     * that release; without it, whatever is current on the source app. Never retried after a 5xx: the promotion
     * may have started.
     */
    public PipelinePromotion createPipelinePromotion(String pipelineId, String sourceAppId, String sourceReleaseId,
            List<String> targetAppIds) throws IOException {
        HerokuHttp.Call call = http.call("promote to " + targetAppIds.size() + " app(s) in pipeline " + pipelineId,
                "POST", "pipeline-promotions");
        call.content = HerokuHttp.json(new PipelinePromotion.CreateRequest(
                Ref.id(pipelineId),
                new PipelinePromotion.Source(Ref.id(sourceAppId),
                        sourceReleaseId == null ? null : Ref.id(sourceReleaseId)),
                targetAppIds.stream().map(id -> new PipelinePromotion.Target(Ref.id(id))).toList()));
        return http.send(call, PipelinePromotion.class);
    }

    public PipelinePromotion getPipelinePromotion(String promotionId) throws IOException {
        return http.send(http.call("get pipeline promotion " + promotionId, "GET", "pipeline-promotions",
                promotionId), PipelinePromotion.class);
    }

    public List<PromotionTarget> listPromotionTargets(String promotionId) throws IOException {
        return http.list(http.call("list the targets of pipeline promotion " + promotionId, "GET",
                "pipeline-promotions", promotionId, "promotion-targets"), "id ..; max=" + PAGE_SIZE, TARGETS,
                Integer.MAX_VALUE);
    }

    // output streams

    /**
     * Reads a build's or release's {@code output_stream_url} to its end, handing each line to {@code lines}. After
     * a dropped connection it resumes with a {@code Range} header from the last whole line, so no line is lost or
     * repeated. The key is sent only if the stream is on the API's own origin.
     *
     * @param giveUpAt when to stop: retrying a stream that is not available or keeps failing, or reading one that
     *     never ends (checked after every read, each read bounded by the read timeout)
     */
    public void streamOutput(String streamUrl, Consumer<String> lines, Instant giveUpAt) throws IOException {
        GenericUrl url = new GenericUrl(streamUrl);
        boolean withKey = http.isApiOrigin(url);
        LineSplitter splitter = new LineSplitter(lines);
        int failures = 0;
        while (true) {
            long offset = splitter.wholeLineBytes();
            HttpResponse response = null;
            try {
                response = http.open(url, offset > 0 ? "bytes=" + offset + "-" : null, withKey);
                int status = response.getStatusCode();
                if (status == 416) {
                    splitter.finish();
                    return; // nothing after the offset: the stream had ended
                }
                if (status / 100 != 2) {
                    throw new IOException("HTTP " + status);
                }
                splitter.dropPartialLine();
                InputStream content = response.getContent();
                if (content != null) {
                    try (content) {
                        if (status == 200 && offset > 0) {
                            content.skipNBytes(offset); // the server ignored Range: skip what we have seen
                        }
                        byte[] buffer = new byte[8192];
                        int read;
                        while ((read = content.read(buffer)) >= 0) {
                            splitter.accept(buffer, read);
                            if (config.clock().instant().isAfter(giveUpAt)) {
                                splitter.finish();
                                http.debug("output stream " + redact(streamUrl) + " still open at its deadline;"
                                        + " stopped reading it");
                                return;
                            }
                        }
                    }
                }
                splitter.finish();
                return;
            } catch (IOException e) {
                failures++;
                Duration delay = Duration.ofMillis(Math.min(5000, 200L * failures));
                if (config.clock().instant().plus(delay).isAfter(giveUpAt)) {
                    throw new IOException("Could not read the output stream " + redact(streamUrl) + ": "
                            + HerokuHttp.describe(e) + " (after " + failures + " attempts)", e);
                }
                http.debug("output stream " + redact(streamUrl) + " interrupted after " + splitter.wholeLineBytes()
                        + " bytes (" + HerokuHttp.describe(e) + "), resuming");
                http.pause(delay);
            } finally {
                if (response != null) {
                    response.disconnect();
                }
            }
        }
    }

    /**
     * Splits bytes into UTF-8 lines and counts the bytes of whole lines handed on, the offset to resume from. A line
     * longer than {@link #MAX_LINE_BYTES} is handed on in pieces of that size, so no output holds memory unbounded.
     */
    private static final class LineSplitter {
        static final int MAX_LINE_BYTES = 16 * 1024;
        private final Consumer<String> lines;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private long wholeLineBytes;

        LineSplitter(Consumer<String> lines) {
            this.lines = lines;
        }

        long wholeLineBytes() {
            return wholeLineBytes;
        }

        void accept(byte[] buffer, int length) {
            int start = 0;
            for (int i = 0; i < length; i++) {
                if (buffer[i] == '\n') {
                    partial.write(buffer, start, i - start);
                    emit(1);
                    start = i + 1;
                } else if (partial.size() + (i - start) >= MAX_LINE_BYTES) {
                    partial.write(buffer, start, i - start);
                    emit(0);
                    start = i;
                }
            }
            partial.write(buffer, start, length - start);
        }

        void dropPartialLine() {
            partial.reset();
        }

        void finish() {
            if (partial.size() > 0) {
                emit(0);
            }
        }

        private void emit(int terminatorBytes) {
            wholeLineBytes += partial.size() + terminatorBytes;
            String line = partial.toString(StandardCharsets.UTF_8);
            partial.reset();
            lines.accept(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
    }

    private static String redact(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?...";
    }

    /** Remaining rate-limit tokens as last reported by Heroku, or {@link Integer#MAX_VALUE} before any reply. */
    public int rateLimitRemaining() {
        return http.rateLimitRemaining();
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
