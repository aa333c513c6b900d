package io.github.herokupipeline.pipeline.promote;

import io.github.herokupipeline.heroku.model.Build;
import io.github.herokupipeline.pipeline.common.CommitLookup.Running;
import java.util.List;

/** The prepare app's build of the commit being shipped, as far as {@link PreparedBuildLookup} could resolve it. */
sealed interface PreparedBuild {

    /** A succeeded build whose release runs this commit's slug or image: promote exactly that release. */
    record Ready(Build build, Running release) implements PreparedBuild {}

    /** Still building, in a dry run (a real run waits instead). */
    record StillBuilding(Build build) implements PreparedBuild {}

    /** No usable build: fall back or fail, per onMissingPrepare. */
    record Missing(String reason) implements PreparedBuild {}

    /** The build failed: fail or fall back, per onPrepareFailure. */
    record Failed(Build build, List<String> logTail) implements PreparedBuild {}
}
