package io.github.herokupipeline.pipeline.common;

import io.github.herokupipeline.heroku.model.Build;
import io.github.herokupipeline.source.Commit;
import java.util.List;
import java.util.Optional;

/**
 * How a prepare that cancels older commits' builds tells their runs why, with no state outside Heroku: its own
 * build's {@code source_blob.version_description} (the commit subject, shown in the dashboard) ends with a marker
 * naming the builds it cancelled. Heroku reports a cancelled build as {@code failed}; promote reads the marker to
 * tell it from a real build failure.
 */
public final class Superseded {

    static final String MARKER = " [heroku-pipeline superseded builds: ";

    private Superseded() {}

    /** The version description for a build of {@code commit} that superseded {@code cancelled}. */
    public static String describe(Commit commit, List<Build> cancelled) {
        if (cancelled.isEmpty()) {
            return commit.subject();
        }
        return commit.subject() + MARKER + String.join(" ", cancelled.stream().map(Build::id).toList()) + "]";
    }

    /** The build among {@code newestFirst} whose prepare cancelled {@code build}, if one did. */
    public static Optional<Build> cancelledBy(Build build, List<Build> newestFirst) {
        return newestFirst.stream().filter(candidate -> {
            String description = candidate.sourceBlob() == null ? null : candidate.sourceBlob().versionDescription();
            int marker = description == null ? -1 : description.indexOf(MARKER);
            return marker >= 0 && description.substring(marker).contains(build.id());
        }).findFirst();
    }
}
