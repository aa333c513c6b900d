package io.github.herokupipeline.pipeline.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a smoke check accepts, and which settings are refused before anything is deployed. */
class SmokeSettingsTest {

    private static SmokeSettings settings(String status, String pattern) {
        return new SmokeSettings("/health", status, pattern, Duration.ofMinutes(1), true);
    }

    @Test
    void statusList_acceptsCodesAndClasses() {
        SmokeSettings settings = settings("200, 3xx", null);
        assertThat(settings.accepts(200)).isTrue();
        assertThat(settings.accepts(302)).isTrue();
        assertThat(settings.accepts(399)).isTrue();
        assertThat(settings.accepts(204)).isFalse();
        assertThat(settings.accepts(400)).isFalse();
        assertThat(settings("2XX", null).accepts(299)).isTrue();
        assertThat(settings("2xx", null).accepts(300)).isFalse();
        assertThat(settings("2xx", null).accepts(199)).isFalse();
        assertThat(settings("404", null).accepts(404)).isTrue();
        assertThat(settings("404", null).accepts(200)).isFalse();
        assertThat(SmokeSettings.isValidStatusList("2xx,404")).isTrue();
        assertThat(SmokeSettings.isValidStatusList(" 200 , 204 ")).isTrue();
        assertThat(SmokeSettings.isValidStatusList("ok")).isFalse();
        assertThat(SmokeSettings.isValidStatusList("600")).isFalse();
        assertThat(SmokeSettings.isValidStatusList("2xx,")).isFalse();
        assertThat(SmokeSettings.isValidStatusList(null)).isFalse();
    }

    @Test
    void smokeUrls_areCheckedBeforeUse() {
        assertThat(SmokeSettings.urlProblem("/health")).isNull();
        assertThat(SmokeSettings.urlProblem("https://{app}.example.com/health?x=1")).isNull();
        assertThat(SmokeSettings.urlProblem("HTTP://example.com/")).isNull();
        assertThat(SmokeSettings.urlProblem("health")).isNull();
        assertThat(SmokeSettings.urlProblem(null)).isEqualTo("it is empty");
        assertThat(SmokeSettings.urlProblem(" ")).isEqualTo("it is empty");
        assertThat(SmokeSettings.urlProblem("/health check")).contains("Illegal character");
        assertThat(SmokeSettings.urlProblem("htps://example.com/health"))
                .isEqualTo("the scheme is 'htps', not http or https");
        assertThat(SmokeSettings.urlProblem("/health?q={x}")).isNotNull();
        assertThat(SmokeSettings.urlProblem("https:///health")).isEqualTo("it has no host");
        assertThat(SmokeSettings.urlProblem("//example.com/health"))
                .isEqualTo("it is neither an absolute http(s) URL nor a path such as /health");
    }

    @Test
    void theCommitStandsForItsSha() {
        SmokeSettings settings = settings("2xx", "\"commit\":\"{commit}\"");
        String sha = "0123abcd".repeat(5);

        assertThat(settings.namesCommit()).isTrue();
        assertThat(settings.bodyPatternFor(sha).matcher("{\"commit\":\"" + sha + "\"}").find()).isTrue();
        assertThat(settings.bodyPatternFor(sha).matcher("{\"commit\":\"" + "f".repeat(40) + "\"}").find()).isFalse();
        assertThat(settings("2xx", "ok").namesCommit()).isFalse();
        assertThat(settings("2xx", "ok").bodyPatternFor(sha).pattern()).isEqualTo("ok");
        assertThat(settings("2xx", null).namesCommit()).isFalse();
        assertThat(settings("2xx", null).bodyPatternFor(sha)).isNull();
        assertThat(SmokeSettings.patternProblem("{commit}")).isNull();
        assertThat(SmokeSettings.patternProblem("{x}")).isNotNull();
        assertThat(SmokeSettings.patternProblem("(unclosed")).isEqualTo("Unclosed group");
    }
}
