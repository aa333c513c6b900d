package io.github.herokupipeline.pipeline.promote;

import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.Generation;
import io.github.herokupipeline.pipeline.common.CommitLookup.Running;
import io.github.herokupipeline.source.Commit;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one promote run knows once it has resolved its apps: the settings, the commit it ships, the prepare app and
 * its pipeline, the targets, and what each target ran before this run changed anything.
 *
 * @param runningBefore by target app name; a target that runs nothing yet is absent
 * @param runningReadAt when {@code runningBefore} was read
 */
record PromoteContext(PromoteSettings settings, Commit commit, App prepare, String pipelineId,
        Generation generation, List<App> targets, Map<String, Running> runningBefore, Instant runningReadAt) {

    String artifactNoun() {
        return generation.artifactNoun();
    }
}
