package io.github.herokupipeline.source;

/**
 * How one commit relates to another in local git history.
 *
 * @param commits how many commits one is ahead of the other (for {@link Relation#AHEAD} and
 *     {@link Relation#BEHIND}), else 0
 * @param shallow the local repository is a shallow clone (history before its boundary is missing)
 */
public record CommitOrder(Relation relation, int commits, boolean shallow) {

    public enum Relation {
        /** The same commit. */
        SAME,
        /** The other commit descends from this one: it is newer. */
        AHEAD,
        /** The other commit is an ancestor of this one: it is older. */
        BEHIND,
        /** Both are known but neither descends from the other (other branches). */
        DIVERGED,
        /** The other commit is not in the local repository. */
        UNKNOWN
    }

    public boolean isAhead() {
        return relation == Relation.AHEAD;
    }

    public boolean isBehind() {
        return relation == Relation.BEHIND;
    }
}
