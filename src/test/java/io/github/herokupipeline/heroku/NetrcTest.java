package io.github.herokupipeline.heroku;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetrcTest {

    @TempDir
    Path temp;

    @Test
    void findsThePasswordOfTheMachine_onOneLineOrMany() throws Exception {
        Path oneLine = Files.writeString(temp.resolve("a"), "machine api.heroku.com login me password k1");
        Path many = Files.writeString(temp.resolve("b"),
                "machine git.heroku.com\n login me\n password g\nmachine api.heroku.com\n login me\n password k2\n");
        assertThat(Netrc.password(oneLine, "api.heroku.com")).contains("k1");
        assertThat(Netrc.password(many, "api.heroku.com")).contains("k2");
        assertThat(Netrc.password(many, "other.example.com")).isEmpty();
        assertThat(Netrc.password(temp.resolve("missing"), "api.heroku.com")).isEmpty();
    }
}
