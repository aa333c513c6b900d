package io.github.herokupipeline.pipeline.status;

import io.github.herokupipeline.heroku.HerokuApiException;
import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.Pipeline;
import io.github.herokupipeline.heroku.model.PipelineCoupling;
import io.github.herokupipeline.pipeline.common.Apps;
import io.github.herokupipeline.pipeline.common.CommitLookup.Running;
import io.github.herokupipeline.pipeline.common.CommitLookup;
import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.common.DriftCheck;
import io.github.herokupipeline.pipeline.common.Parallel;
import io.github.herokupipeline.pipeline.common.Reporter;
import io.github.herokupipeline.pipeline.status.StatusReport.AppStatus;
import io.github.herokupipeline.pipeline.status.StatusReport.BuildSummary;
import io.github.herokupipeline.pipeline.status.StatusReport.PromotionPreview;
import io.github.herokupipeline.source.Commit;
import io.github.herokupipeline.source.CommitOrder;
import io.github.herokupipeline.source.GitSource;
import io.github.herokupipeline.source.LogEntry;
import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The {@code status} goal: what each app of the pipeline runs, how it stands against HEAD, and what a promotion
 * between adjacent stages would ship, from the Platform API and local git history alone. Only GET requests.
 */
public final class PipelineOverview {

    /** Stages in the order releases move through them; review apps are left out. */
    static final List<String> STAGES = List.of("development", "staging", "production");
    static final int LISTED_COMMITS = 10;
    static final int LISTED_BUILDS = 5;

    private final HerokuClient heroku;
    private final Reporter reporter;

    public PipelineOverview(HerokuClient heroku, Reporter reporter) {
        this.heroku = heroku;
        this.reporter = reporter;
    }

    /** What {@code status} needs: the prepare app or the pipeline (name or id), and where the git checkout is. */
    public record Settings(String prepareApp, String pipeline, Path projectDirectory, Path workDirectory,
            Path githubStepSummary, List<String> buildConfigVars) {

        public Settings {
            buildConfigVars = buildConfigVars == null ? List.of() : List.copyOf(buildConfigVars);
        }

        public Settings(String prepareApp, String pipeline, Path projectDirectory, Path workDirectory,
                Path githubStepSummary) {
            this(prepareApp, pipeline, projectDirectory, workDirectory, githubStepSummary, List.of());
        }
    }

    /** Looks everything up, then writes the table, {@code status.json} and the step summary. */
    public StatusReport status(Settings settings) throws IOException, SourceException, DeployException {
        StatusReport report = lookUp(settings);
        new StatusWriter(reporter).write(report, settings.workDirectory(), settings.githubStepSummary());
        return report;
    }

    StatusReport lookUp(Settings settings) throws IOException, SourceException, DeployException {
        Commit head;
        boolean shallow;
        try (GitSource git = GitSource.open(settings.projectDirectory())) {
            head = git.resolve(null);
            shallow = git.isShallow();
        }
        App prepare = settings.prepareApp() == null || settings.prepareApp().isBlank() ? null
                : Apps.get(heroku, settings.prepareApp(), "<prepareApp> (-Dheroku.prepareApp)");
        Pipeline pipeline = pipeline(settings, prepare);
        List<PipelineCoupling> couplings = heroku.listPipelineCouplings(pipeline.id()).stream()
                .filter(c -> STAGES.contains(c.stage())).toList();
        if (prepare != null && couplings.stream().noneMatch(c -> prepare.id().equals(c.appId()))) {
            throw new DeployException("The prepare app '" + prepare.name() + "' is not in pipeline '"
                    + pipeline.name() + "' (-Dheroku.pipeline); leave out -Dheroku.pipeline to use its own");
        }
        List<App> apps = Parallel.map(couplings, c -> heroku.getApp(c.appId()));
        CommitLookup commits = new CommitLookup(heroku);
        List<Optional<Running>> running = Parallel.map(apps, commits::running);
        List<BuildSummary> builds = prepare == null ? List.of() : heroku.listBuilds(prepare.name(), LISTED_BUILDS)
                .stream().map(b -> new BuildSummary(b.id(), b.version(), b.status(), b.createdAt())).toList();

        List<String> warnings = new ArrayList<>();
        List<AppStatus> statuses = new ArrayList<>();
        try (GitSource git = GitSource.open(settings.projectDirectory())) {
            for (int i = 0; i < apps.size(); i++) {
                statuses.add(appStatus(git, head, apps.get(i), couplings.get(i).stage(), prepare,
                        running.get(i).orElse(null)));
            }
            statuses.sort(Comparator.comparingInt((AppStatus a) -> STAGES.indexOf(a.stage()))
                    .thenComparing(a -> !a.prepare()).thenComparing(AppStatus::app));
            if (statuses.stream().anyMatch(a -> "unknown".equals(a.relationToHead()) && a.commit() != null)) {
                warnings.add("Some apps run commits that local git history does not have"
                        + (shallow ? ": this is a shallow clone; fetch the full history (fetch-depth: 0 in"
                                + " actions/checkout, GIT_DEPTH: 0 on GitLab)" : " (another branch, or not fetched)"));
            }
            List<PromotionPreview> previews = previews(git, head, statuses);
            if (prepare != null) {
                List<App> targets = apps.stream().filter(a -> !a.id().equals(prepare.id())).toList();
                warnings.addAll(new DriftCheck(heroku).check(prepare, targets, settings.buildConfigVars()));
            }
            return new StatusReport(pipeline.name(), pipeline.id(), pipeline.generation().apiName(),
                    prepare == null ? null : prepare.name(), git.describe(head.sha()).orElse(null), shallow,
                    statuses, previews, builds, warnings);
        }
    }

    private Pipeline pipeline(Settings settings, App prepare) throws IOException, DeployException {
        if (settings.pipeline() != null && !settings.pipeline().isBlank()) {
            try {
                return heroku.getPipeline(settings.pipeline().strip());
            } catch (HerokuApiException.NotFound e) {
                throw new DeployException("Heroku has no pipeline '" + settings.pipeline() + "' that this API key"
                        + " can see (-Dheroku.pipeline): check the name with `heroku pipelines`", e);
            }
        }
        PipelineCoupling coupling = Apps.coupling(heroku, prepare);
        return heroku.getPipeline(coupling.pipelineId());
    }

    private static AppStatus appStatus(GitSource git, Commit head, App app, String stage, App prepare,
            Running running) throws SourceException {
        boolean isPrepare = prepare != null && prepare.id().equals(app.id());
        if (running == null) {
            return new AppStatus(app.name(), stage, isPrepare, null, null, null, null, null, null, "unknown", 0);
        }
        String commit = running.commit();
        CommitOrder order = git.order(commit, head);
        String subject = git.describe(commit).map(LogEntry::subject).orElse(null);
        return new AppStatus(app.name(), stage, isPrepare, running.version(), running.release().status(), commit,
                subject, running.release().createdAt(), running.release().userEmail(),
                relation(order), order.commits());
    }

    /** How the app's commit stands against HEAD, from the app's side: behind HEAD, ahead of it, ... */
    private static String relation(CommitOrder order) {
        return switch (order.relation()) {
            case SAME -> "same";
            case AHEAD -> "ahead";
            case BEHIND -> "behind";
            case DIVERGED -> "diverged";
            case UNKNOWN -> "unknown";
        };
    }

    /**
     * HEAD to the first target stage, then each pair of adjacent stages with apps; the upstream commit is the
     * stage's first app's (the prepare app is not a source of promotions for this view: HEAD stands for it).
     */
    private static List<PromotionPreview> previews(GitSource git, Commit head, List<AppStatus> apps)
            throws SourceException {
        List<PromotionPreview> previews = new ArrayList<>();
        String fromStage = "HEAD";
        String fromApp = null;
        String fromCommit = head.sha();
        for (String stage : STAGES) {
            List<AppStatus> inStage = apps.stream().filter(a -> a.stage().equals(stage) && !a.prepare()).toList();
            if (inStage.isEmpty()) {
                continue;
            }
            for (AppStatus to : inStage) {
                previews.add(preview(git, fromStage, fromApp, fromCommit, to));
            }
            AppStatus upstream = inStage.get(0);
            fromStage = stage;
            fromApp = upstream.app();
            fromCommit = upstream.commit();
        }
        return previews;
    }

    private static PromotionPreview preview(GitSource git, String fromStage, String fromApp, String fromCommit,
            AppStatus to) throws SourceException {
        if (fromCommit == null) {
            return new PromotionPreview(fromStage, fromApp, null, to.stage(), to.app(), to.commit(), List.of(), 0,
                    (fromApp == null ? "HEAD" : fromApp) + " runs nothing yet");
        }
        if (git.describe(fromCommit).isEmpty()) {
            return new PromotionPreview(fromStage, fromApp, fromCommit, to.stage(), to.app(), to.commit(),
                    List.of(), 0, Commit.abbreviate(fromCommit) + " is not in local git history");
        }
        if (to.commit() == null) {
            return new PromotionPreview(fromStage, fromApp, fromCommit, to.stage(), to.app(), null, List.of(), 0,
                    to.app() + " runs nothing yet: this would be its first release");
        }
        CommitOrder order = git.order(to.commit(), new Commit(fromCommit, null, 0));
        String note = switch (order.relation()) {
            case SAME -> "nothing to ship: both run " + Commit.abbreviate(fromCommit);
            case AHEAD -> to.app() + " is " + order.commits() + " commit(s) ahead";
            case DIVERGED -> "the two run commits of different lines of history";
            case UNKNOWN -> Commit.abbreviate(to.commit()) + " (" + to.app() + ") is not in local git history";
            case BEHIND -> null;
        };
        if (order.relation() != CommitOrder.Relation.BEHIND) {
            return new PromotionPreview(fromStage, fromApp, fromCommit, to.stage(), to.app(), to.commit(),
                    List.of(), 0, note);
        }
        GitSource.Range range = git.between(to.commit(), fromCommit, LISTED_COMMITS);
        return new PromotionPreview(fromStage, fromApp, fromCommit, to.stage(), to.app(), to.commit(),
                range.commits(), range.total() - range.commits().size(), null);
    }
}
