package io.github.herokupipeline.pipeline.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.HerokuClientConfig;
import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.simulator.HerokuSimulator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a smoke check is told about preboot on its target. */
class PrebootCheckTest {

    private static SmokeSettings smoke(String pattern, Duration timeout, boolean rollBack) {
        return new SmokeSettings("/health", "2xx", pattern, timeout, rollBack);
    }

    @Test
    void withoutPreboot_nothing() {
        assertThat(PrebootCheck.warning("foo", false, smoke(null, Duration.ofMinutes(2), true))).isEmpty();
        assertThat(PrebootCheck.warning("foo", false, smoke("{commit}", Duration.ofSeconds(10), true))).isEmpty();
    }

    @Test
    void withPreboot_aCheckThatDoesNotNameTheCommit_isToldHowTo() {
        assertThat(PrebootCheck.warning("foo", true, smoke("\"status\":\"ok\"", Duration.ofMinutes(10), true)))
                .hasValueSatisfying(warning -> assertThat(warning)
                        .startsWith("foo has preboot on: for some minutes after a release its old dynos keep answering")
                        .contains("heroku labs:enable runtime-dyno-build-metadata -a foo")
                        .contains("<smokeBodyPattern>{commit}</smokeBodyPattern>")
                        .contains("<smokeTimeout> of 6m or more"));
        assertThat(PrebootCheck.warning("foo", true, smoke(null, Duration.ofMinutes(10), true))).isPresent();
    }

    @Test
    void withPreboot_aCheckThatNamesTheCommit_isToldOfATimeoutShorterThanTheSwitch() {
        assertThat(PrebootCheck.warning("foo", true, smoke("{commit}", Duration.ofMinutes(2), true)))
                .hasValue("foo has preboot on: the new release receives requests only some minutes after its dynos"
                        + " booted, and <smokeTimeout> (-Dheroku.smokeTimeout) 2m may run out before, failing the"
                        + " check and rolling back a good release. Set it to 6m or more.");
        assertThat(PrebootCheck.warning("foo", true, smoke("{commit}", Duration.ofSeconds(359), false)))
                .hasValue("foo has preboot on: the new release receives requests only some minutes after its dynos"
                        + " booted, and <smokeTimeout> (-Dheroku.smokeTimeout) 359s may run out before, failing the"
                        + " check. Set it to 6m or more.");
        assertThat(PrebootCheck.warning("foo", true, smoke("{commit}", Duration.ofMinutes(6), true))).isEmpty();
    }

    @Test
    void eachTargetsFeatureIsRead_andAFeatureHerokuDoesNotKnow_isOff() throws Exception {
        try (HerokuSimulator sim = HerokuSimulator.start()) {
            sim.createStandardPipeline("foo");
            sim.preboot("foo-production", 0);
            try (HerokuClient heroku = new HerokuClient(HerokuClientConfig.builder(sim.apiUrl(),
                    HerokuSimulator.DEFAULT_KEY).build())) {
                List<App> targets = List.of(heroku.getApp("foo-staging"), heroku.getApp("foo-production"));
                PrebootCheck check = new PrebootCheck(heroku);

                assertThat(check.warnings(targets, smoke(null, Duration.ofMinutes(2), true))).singleElement()
                        .satisfies(warning -> assertThat(warning).startsWith("foo-production has preboot on"));

                sim.faults().failNext("GET", "/apps/foo-production/features/preboot", 1, 404);
                assertThat(check.warnings(targets, smoke(null, Duration.ofMinutes(2), true))).isEmpty();
            }
        }
    }
}
