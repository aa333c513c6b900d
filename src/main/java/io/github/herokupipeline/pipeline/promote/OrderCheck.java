package io.github.herokupipeline.pipeline.promote;

import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.pipeline.common.CommitLookup.Running;
import io.github.herokupipeline.pipeline.common.OrderEvidence;
import io.github.herokupipeline.pipeline.common.Reporter;
import io.github.herokupipeline.pipeline.promote.PromoteReport.TargetResult;
import io.github.herokupipeline.pipeline.promote.PromoteSettings.OnNewerCommit;
import io.github.herokupipeline.pipeline.promote.PromoteSettings.OnUnknownOrder;
import io.github.herokupipeline.source.Commit;
import io.github.herokupipeline.source.CommitOrder;
import io.github.herokupipeline.source.LocalHistory;
import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps overlapping CI runs from taking a target back in time: right before a target is changed, the commit it
 * runs is compared with the one being shipped in local git history. A target that runs a newer commit (a
 * descendant) is left alone, or fails the build, or is deployed anyway, as {@code onNewerCommit} says.
 */
final class OrderCheck {

    private final Reporter reporter;
    private final Evidence evidence;
    private final Map<Path, LocalHistory> histories = new ConcurrentHashMap<>();

    /** Where the evidence of a commit's order is kept on Heroku: the builds of that commit. */
    @FunctionalInterface
    interface Evidence {
        Evidence NONE = (prepareApp, target, commit) -> Optional.empty();

        Optional<OrderEvidence> of(String prepareApp, String target, String commit) throws IOException;
    }

    OrderCheck(Reporter reporter) {
        this(reporter, Evidence.NONE);
    }

    OrderCheck(Reporter reporter, Evidence evidence) {
        this.reporter = reporter;
        this.evidence = evidence;
    }

    /**
     * What to do with one target.
     *
     * @param result the target's outcome when it is not deployed, else null
     * @param note what could not be checked, for the report, or null
     */
    record Verdict(boolean deploy, TargetResult result, String note) {

        static Verdict deploy(String note) {
            return new Verdict(true, null, note);
        }

        static Verdict leave(TargetResult result) {
            return new Verdict(false, result, null);
        }
    }

    /** The verdict for {@code target} of {@code run}, which runs {@code running} (null when it runs nothing yet). */
    Verdict check(PromoteContext run, App target, Running running, boolean dryRun) throws SourceException {
        Commit shipping = run.commit();
        OnNewerCommit policy = run.settings().onNewerCommit();
        if (running == null || running.commit() == null) {
            return Verdict.deploy(null);
        }
        if (running.isCommit(shipping.sha())) {
            reporter.info(target.name() + " already runs " + shipping.shortSha() + " (release v" + running.version()
                    + ", deployed meanwhile): nothing to do there");
            return Verdict.leave(new TargetResult(target.name(), TargetResult.ALREADY_RUNNING, running.version(),
                    running.release().status(), running.commit(), 0.0, null));
        }
        CommitOrder order;
        OrderEvidence ours = null;
        Optional<OrderEvidence> theirs = Optional.empty();
        LocalHistory history = history(run);
        order = history.order(running.commit(), shipping);
        if (order.relation() == CommitOrder.Relation.UNKNOWN) {
            theirs = evidenceOf(run, target, running);
            if (theirs.isPresent()) {
                ours = OrderEvidence.of(history, shipping);
            }
        }
        String runs = Commit.abbreviate(running.commit());
        String prefix = dryRun ? "[dry run] " : "";
        switch (order.relation()) {
            case AHEAD -> {
                return newer(run, target, running, dryRun, target.name() + " already runs " + runs + ", "
                        + order.commits() + " commit" + (order.commits() == 1 ? "" : "s") + " ahead of "
                        + shipping.shortSha());
            }
            case UNKNOWN -> {
                String missing = target.name() + " runs " + runs + ", which local git history does not have"
                        + (order.shallow() ? " (a shallow clone: fetch the full history, e.g. fetch-depth: 0 in"
                                + " actions/checkout)" : " (another branch, or a commit that was not fetched)");
                if (theirs.isPresent()) {
                    String by = " by what its build recorded on Heroku (" + describe(theirs.get(), ours) + ")";
                    switch (ours.relationOf(theirs.get())) {
                        case AHEAD -> {
                            return newer(run, target, running, dryRun, missing + ", but it is newer than "
                                    + shipping.shortSha() + by);
                        }
                        case BEHIND -> {
                            String why = missing + "; it is older than " + shipping.shortSha() + by;
                            reporter.info(prefix + why + ": deploying");
                            return Verdict.deploy(why);
                        }
                        case UNKNOWN -> {
                            return unknown(run, target, running, dryRun, missing + ", and what its build recorded on"
                                    + " Heroku (" + describe(theirs.get(), ours) + ") cannot order it against "
                                    + shipping.shortSha() + ": committed within the same second, without the full"
                                    + " history to compare depths");
                        }
                        default -> {
                            String why = missing + "; it is on another line of history than " + shipping.shortSha()
                                    + by;
                            reporter.info(prefix + why + ": deploying");
                            return Verdict.deploy(why);
                        }
                    }
                }
                return unknown(run, target, running, dryRun, missing + ", nor does any build of it on Heroku"
                        + " record its place in history; the order against " + shipping.shortSha()
                        + " could not be checked");
            }
            case DIVERGED -> {
                String why = target.name() + " runs " + runs + ", which is on another line of history than "
                        + shipping.shortSha() + " (neither descends from the other)";
                reporter.info(prefix + why + ": deploying");
                return Verdict.deploy(why);
            }
            default -> {
                return Verdict.deploy(null);
            }
        }
    }

    /**
     * True when {@code other} runs a commit newer than the one being shipped, by local history or, without it, by
     * the evidence on Heroku; nothing is logged.
     */
    boolean isNewer(PromoteContext run, App target, Running other) throws SourceException {
        if (other == null || other.commit() == null || other.isCommit(run.commit().sha())) {
            return false;
        }
        LocalHistory history = history(run);
        CommitOrder order = history.order(other.commit(), run.commit());
        if (order.relation() != CommitOrder.Relation.UNKNOWN) {
            return order.isAhead();
        }
        Optional<OrderEvidence> theirs = evidenceOf(run, target, other);
        return theirs.isPresent()
                && OrderEvidence.of(history, run.commit()).relationOf(theirs.get()) == CommitOrder.Relation.AHEAD;
    }

    /**
     * Has the checks of the checkout at {@code projectDirectory} read its history through {@code history}, whose git
     * executable the run has already looked up.
     */
    void readHistoryWith(Path projectDirectory, LocalHistory history) {
        histories.putIfAbsent(projectDirectory, history);
    }

    /** The history of the run's checkout; the git executable is looked up once per checkout. */
    private LocalHistory history(PromoteContext run) {
        return histories.computeIfAbsent(run.settings().source().projectDirectory(), LocalHistory::of);
    }

    private Optional<OrderEvidence> evidenceOf(PromoteContext run, App target, Running running) {
        try {
            return evidence.of(run.prepare() == null ? null : run.prepare().name(), target.name(), running.commit())
                    .map(found -> found.about(running.commit()));
        } catch (IOException e) {
            reporter.debug("Could not read the builds of " + Commit.abbreviate(running.commit()) + ": "
                    + e.getMessage());
            return Optional.empty();
        }
    }

    private static String describe(OrderEvidence theirs, OrderEvidence ours) {
        String link = "";
        if (ours.commit() != null && ours.commit().equalsIgnoreCase(theirs.firstParent())) {
            link = "its first parent is " + Commit.abbreviate(ours.commit()) + "; ";
        } else if (theirs.commit() != null && theirs.commit().equalsIgnoreCase(ours.firstParent())) {
            link = "it is the first parent of " + Commit.abbreviate(ours.commit()) + "; ";
        }
        return link + (theirs.firstParentDepth() != null && ours.firstParentDepth() != null
                ? "first-parent depth " + theirs.firstParentDepth() + " against " + ours.firstParentDepth() + ", "
                : "") + "committed at " + java.time.Instant.ofEpochSecond(theirs.commitTimeSeconds()) + " against "
                + java.time.Instant.ofEpochSecond(ours.commitTimeSeconds());
    }

    /** A target that runs a newer commit: left alone, failed, or deployed over, as {@code onNewerCommit} says. */
    private Verdict newer(PromoteContext run, App target, Running running, boolean dryRun, String ahead) {
        OnNewerCommit policy = run.settings().onNewerCommit();
        String property = "(heroku.onNewerCommit=" + policy.name().toLowerCase(Locale.ROOT) + ")";
        String prefix = dryRun ? "[dry run] " : "";
        if (policy == OnNewerCommit.DEPLOY) {
            reporter.warn(prefix + ahead + ": deploying the older commit anyway " + property);
            return Verdict.deploy(ahead + "; deployed anyway " + property);
        }
        if (policy == OnNewerCommit.FAIL) {
            reporter.warn(prefix + ahead + ": not deploying the older commit over it " + property);
            return Verdict.leave(new TargetResult(target.name(), TargetResult.FAILED, running.version(),
                    running.release().status(), running.commit(), 0.0, ahead + "; not deployed " + property));
        }
        reporter.info(prefix + ahead + ": leaving it " + property);
        return Verdict.leave(new TargetResult(target.name(), TargetResult.SKIPPED, running.version(),
                running.release().status(), running.commit(), 0.0, null).withNote(ahead));
    }

    /** A target whose release's order nothing can tell: deployed, left alone or failed, as onUnknownOrder says. */
    private Verdict unknown(PromoteContext run, App target, Running running, boolean dryRun, String why) {
        OnUnknownOrder policy = run.settings().onUnknownOrder();
        String property = "(heroku.onUnknownOrder=" + policy.name().toLowerCase(Locale.ROOT) + ")";
        String prefix = dryRun ? "[dry run] " : "";
        switch (policy) {
            case SKIP -> {
                reporter.info(prefix + why + ": leaving it " + property);
                return Verdict.leave(new TargetResult(target.name(), TargetResult.SKIPPED, running.version(),
                        running.release().status(), running.commit(), 0.0, null).withNote(why));
            }
            case FAIL -> {
                reporter.warn(prefix + why + ": not deploying over it " + property);
                return Verdict.leave(new TargetResult(target.name(), TargetResult.FAILED, running.version(),
                        running.release().status(), running.commit(), 0.0, why + "; not deployed " + property));
            }
            default -> {
                reporter.info(prefix + why + ": deploying");
                return Verdict.deploy(why);
            }
        }
    }
}
