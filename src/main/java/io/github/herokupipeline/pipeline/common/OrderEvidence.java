package io.github.herokupipeline.pipeline.common;

import io.github.herokupipeline.heroku.model.Build;
import io.github.herokupipeline.source.Ancestry;
import io.github.herokupipeline.source.Commit;
import io.github.herokupipeline.source.CommitOrder;
import io.github.herokupipeline.source.LocalHistory;
import io.github.herokupipeline.source.SourceException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a build records of its commit's place in history, for a later run whose checkout lacks that commit (an
 * older clone, a shallow one): the committer time, the first parent (read from the commit object, so known even in
 * a shallow clone) and, where the checkout had the full history, the first-parent depth (how many commits the
 * first-parent chain holds). Kept on Heroku with the build, at the end of its
 * {@code source_blob.version_description}, so no state lives outside Heroku and no git access is needed.
 * {@code commit} is the commit the evidence is about; it is not in the marker (the build's version says it).
 *
 * <p>The rule: a commit whose first parent is the other is newer, and the other older, whatever the clocks say.
 * Otherwise a commit is newer than another when its depth is greater and its time is not earlier, older when its
 * depth is smaller and its time is not later, and anything else with both depths (equal depths, depth and time
 * disagreeing) is another line of history. Without both depths the time alone decides, and equal times (commits
 * made within one second) cannot be ordered.
 */
public record OrderEvidence(long commitTimeSeconds, Integer firstParentDepth, String firstParent, String commit) {

    private static final Pattern MARKER = Pattern.compile(
            " \\[heroku-pipeline order: t=(\\d+)(?: d=(\\d+))?(?: p=([0-9a-f]{40}))?]");

    public OrderEvidence(long commitTimeSeconds, Integer firstParentDepth) {
        this(commitTimeSeconds, firstParentDepth, null, null);
    }

    /** What the checkout knows of {@code commit}'s place in history. */
    public static OrderEvidence of(LocalHistory history, Commit commit) throws SourceException {
        Ancestry ancestry = history.ancestry(commit.sha());
        return new OrderEvidence(commit.commitTimeSeconds(), ancestry.firstParentDepth(), ancestry.firstParent(),
                commit.sha());
    }

    /** The same evidence, about {@code sha}. */
    public OrderEvidence about(String sha) {
        return new OrderEvidence(commitTimeSeconds, firstParentDepth, firstParent, sha);
    }

    /** The marker that ends a build's version description. */
    public String marker() {
        return " [heroku-pipeline order: t=" + commitTimeSeconds + (firstParentDepth == null ? ""
                : " d=" + firstParentDepth) + (firstParent == null ? "" : " p=" + firstParent) + "]";
    }

    /** The evidence at the end of {@code description}, if it has some. */
    public static Optional<OrderEvidence> parse(String description) {
        if (description == null) {
            return Optional.empty();
        }
        Matcher matcher = MARKER.matcher(description);
        OrderEvidence found = null;
        while (matcher.find()) {
            found = new OrderEvidence(Long.parseLong(matcher.group(1)),
                    matcher.group(2) == null ? null : Integer.valueOf(matcher.group(2)), matcher.group(3), null);
        }
        return Optional.ofNullable(found);
    }

    /** The evidence a build of {@code commit} among {@code builds} recorded, if one did. */
    public static Optional<OrderEvidence> of(String commit, List<Build> builds) {
        return builds.stream().filter(build -> commit != null && commit.equalsIgnoreCase(build.version()))
                .map(build -> parse(build.sourceBlob() == null ? null : build.sourceBlob().versionDescription()))
                .flatMap(Optional::stream).findFirst().map(found -> found.about(commit));
    }

    /** How {@code other} relates to this commit, as {@link CommitOrder} says it for local history. */
    public CommitOrder.Relation relationOf(OrderEvidence other) {
        if (commit != null && commit.equalsIgnoreCase(other.firstParent)) {
            return CommitOrder.Relation.AHEAD;
        }
        if (other.commit != null && other.commit.equalsIgnoreCase(firstParent)) {
            return CommitOrder.Relation.BEHIND;
        }
        int byTime = Long.compare(other.commitTimeSeconds, commitTimeSeconds);
        if (firstParentDepth != null && other.firstParentDepth != null) {
            int byDepth = Integer.compare(other.firstParentDepth, firstParentDepth);
            if (byDepth > 0 && byTime >= 0) {
                return CommitOrder.Relation.AHEAD;
            }
            if (byDepth < 0 && byTime <= 0) {
                return CommitOrder.Relation.BEHIND;
            }
            return CommitOrder.Relation.DIVERGED;
        }
        return byTime > 0 ? CommitOrder.Relation.AHEAD : byTime < 0 ? CommitOrder.Relation.BEHIND
                : CommitOrder.Relation.UNKNOWN;
    }
}
