package io.github.herokupipeline.pipeline.promote;

import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.pipeline.common.CommitLookup.Running;
import io.github.herokupipeline.pipeline.common.Reporter;
import io.github.herokupipeline.pipeline.promote.PromoteReport.TargetResult;
import io.github.herokupipeline.pipeline.promote.PromoteSettings.OnNewerCommit;
import io.github.herokupipeline.source.Commit;
import io.github.herokupipeline.source.CommitOrder;
import io.github.herokupipeline.source.GitSource;
import io.github.herokupipeline.source.SourceException;
import java.util.Locale;

/**
 * Keeps overlapping CI runs from taking a target back in time: right before a target is changed, the commit it
 * runs is compared with the one being shipped in local git history. A target that runs a newer commit (a
 * descendant) is left alone, or fails the build, or is deployed anyway, as {@code onNewerCommit} says.
 */
final class OrderCheck {

    private final Reporter reporter;

    OrderCheck(Reporter reporter) {
        this.reporter = reporter;
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
        try (GitSource git = GitSource.open(run.settings().source().projectDirectory())) {
            order = git.order(running.commit(), shipping);
        }
        String runs = Commit.abbreviate(running.commit());
        String property = "(heroku.onNewerCommit=" + policy.name().toLowerCase(Locale.ROOT) + ")";
        String prefix = dryRun ? "[dry run] " : "";
        switch (order.relation()) {
            case AHEAD -> {
                String ahead = target.name() + " already runs " + runs + ", " + order.commits() + " commit"
                        + (order.commits() == 1 ? "" : "s") + " ahead of " + shipping.shortSha();
                if (policy == OnNewerCommit.DEPLOY) {
                    reporter.warn(prefix + ahead + ": deploying the older commit anyway " + property);
                    return Verdict.deploy(ahead + "; deployed anyway " + property);
                }
                if (policy == OnNewerCommit.FAIL) {
                    reporter.warn(prefix + ahead + ": not deploying the older commit over it " + property);
                    return Verdict.leave(new TargetResult(target.name(), TargetResult.FAILED, running.version(),
                            running.release().status(), running.commit(), 0.0, ahead + "; not deployed "
                                    + property));
                }
                reporter.info(prefix + ahead + ": leaving it " + property);
                return Verdict.leave(new TargetResult(target.name(), TargetResult.SKIPPED, running.version(),
                        running.release().status(), running.commit(), 0.0, null).withNote(ahead));
            }
            case UNKNOWN -> {
                String why = target.name() + " runs " + runs + ", which local git history does not have"
                        + (order.shallow() ? " (a shallow clone: fetch the full history, e.g. fetch-depth: 0 in"
                                + " actions/checkout)" : " (another branch, or a commit that was not fetched)")
                        + "; the order against " + shipping.shortSha() + " could not be checked";
                reporter.info(prefix + why + ": deploying");
                return Verdict.deploy(why);
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
}
