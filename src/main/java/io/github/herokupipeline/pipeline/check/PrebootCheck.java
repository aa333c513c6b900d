package io.github.herokupipeline.pipeline.check;

import io.github.herokupipeline.heroku.HerokuApiException;
import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.common.Parallel;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * With preboot on, Heroku starts a release's new web dynos beside the old ones and only switches the router over
 * minutes later; until then the old release answers every request. A smoke check that does not ask which release
 * answered can pass on the old one. This says so for each smoke-checked target that has preboot on.
 */
public final class PrebootCheck {

    static final String FEATURE = "preboot";
    /**
     * A smoke check that waits for the new release under preboot: the switch comes some minutes after the new dynos
     * booted (three to four, as Heroku has described it), so the check needs that much and a margin.
     */
    static final Duration ADVISED_TIMEOUT = Duration.ofMinutes(6);

    private final HerokuClient heroku;

    public PrebootCheck(HerokuClient heroku) {
        this.heroku = heroku;
    }

    /** The warnings for {@code targets}, each app's feature read side by side. */
    public List<String> warnings(List<App> targets, SmokeSettings smoke) throws IOException, DeployException {
        List<Boolean> preboot = Parallel.map(targets, this::prebootOn);
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            warning(targets.get(i).name(), preboot.get(i), smoke).ifPresent(warnings::add);
        }
        return warnings;
    }

    private boolean prebootOn(App app) throws IOException {
        try {
            return heroku.getAppFeature(app.name(), FEATURE).enabled();
        } catch (HerokuApiException.NotFound e) {
            return false; // Heroku knows no such feature for this app
        }
    }

    /** What a smoke check of {@code app} should be told when preboot is on there; nothing when it is off. */
    static Optional<String> warning(String app, boolean preboot, SmokeSettings smoke) {
        if (!preboot) {
            return Optional.empty();
        }
        if (!smoke.namesCommit()) {
            return Optional.of(app + " has preboot on: for some minutes after a release its old dynos keep answering,"
                    + " so the smoke check may pass on the release it replaces. To check the new one, have the smoke"
                    + " URL print the commit it runs (HEROKU_BUILD_COMMIT, after `heroku labs:enable"
                    + " runtime-dyno-build-metadata -a " + app + "`), set <smokeBodyPattern>" + SmokeSettings.COMMIT
                    + "</smokeBodyPattern> and a <smokeTimeout> of " + asWritten(ADVISED_TIMEOUT) + " or more.");
        }
        if (smoke.timeout().compareTo(ADVISED_TIMEOUT) < 0) {
            return Optional.of(app + " has preboot on: the new release receives requests only some minutes after its"
                    + " dynos booted, and <smokeTimeout> (-Dheroku.smokeTimeout) " + asWritten(smoke.timeout())
                    + " may run out before, failing the check" + (smoke.rollbackOnFailure() ? " and rolling back a"
                    + " good release" : "") + ". Set it to " + asWritten(ADVISED_TIMEOUT) + " or more.");
        }
        return Optional.empty();
    }

    /** A duration as one would write it for {@code <smokeTimeout>}: whole minutes as {@code 6m}, else seconds. */
    private static String asWritten(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
}
