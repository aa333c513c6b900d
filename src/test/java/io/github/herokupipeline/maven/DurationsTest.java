package io.github.herokupipeline.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsTheFormsUsersWrite() {
        assertThat(Durations.parse("90s", "<x>")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("20m", "<x>")).isEqualTo(Duration.ofMinutes(20));
        assertThat(Durations.parse("1h", "<x>")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("300", "<x>")).isEqualTo(Duration.ofSeconds(300));
        assertThat(Durations.parse("250ms", "<x>")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("PT5M", "<x>")).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void rejectsNonsenseNamingTheParameter() {
        assertThatThrownBy(() -> Durations.parse("soon", "<buildTimeout>"))
                .hasMessageContaining("'soon' is not a duration for <buildTimeout>");
        assertThatThrownBy(() -> Durations.parse("0s", "<buildTimeout>")).hasMessageContaining("<buildTimeout>");
    }
}
