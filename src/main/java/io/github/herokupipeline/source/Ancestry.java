package io.github.herokupipeline.source;

/**
 * A commit's place in its history, as a checkout knows it.
 *
 * @param firstParent the first parent, read from the commit object (known even in a shallow clone); null for a root
 *     commit
 * @param firstParentDepth how many commits the first-parent chain holds, the commit included; null in a shallow
 *     clone, whose history stops short of the root
 */
public record Ancestry(String firstParent, Integer firstParentDepth) {}
