package io.github.herokupipeline.heroku;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.Generation;
import org.junit.jupiter.api.Test;

/** The warm-up goes through a whole request of the client, answered from memory: it needs no server. */
class ClientWarmUpTest {

    @Test
    void aRequestThroughTheWholeClient_isAnsweredFromMemory_andParsed() throws Exception {
        App app = ClientWarmUp.exercise();

        // if the answer stopped parsing, the warm-up would load less and say nothing
        assertThat(app.name()).isEqualTo("warm-up");
        assertThat(app.generation()).isEqualTo(Generation.CEDAR);
        assertThat(app.buildStackName()).isEqualTo("heroku-24");
    }

    @Test
    void run_neverThrows() {
        assertThatCode(ClientWarmUp::run).doesNotThrowAnyException();
    }
}
