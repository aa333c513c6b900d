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

    @Test
    void keywordsAsValues_areValues() throws Exception {
        Path netrc = Files.writeString(temp.resolve("n"), "machine artifacts.corp.example login default password X\n"
                + "machine build.example login machine password macdef\n"
                + "machine api.heroku.com login me password KEY\n");
        assertThat(Netrc.password(netrc, "api.heroku.com")).contains("KEY");
        assertThat(Netrc.password(netrc, "artifacts.corp.example")).contains("X");
    }

    @Test
    void theDefaultEntry_isNeverUsed() throws Exception {
        Path netrc = Files.writeString(temp.resolve("n"), "default login other password NOT-HEROKU\n");
        assertThat(Netrc.password(netrc, "api.heroku.com")).isEmpty();
        Path after = Files.writeString(temp.resolve("m"),
                "default login other password NOT-HEROKU\nmachine api.heroku.com password KEY\n");
        assertThat(Netrc.password(after, "api.heroku.com")).contains("KEY");
    }

    @Test
    void aMacroBody_isNoEntry() throws Exception {
        Path netrc = Files.writeString(temp.resolve("n"), "macdef init\nmachine api.heroku.com password MACRO\n"
                + "cd /pub\n\nmachine api.heroku.com\n password KEY\n");
        assertThat(Netrc.password(netrc, "api.heroku.com")).contains("KEY");
    }

    @Test
    void theEntryOfTheApiHost_isTheOneRead() throws Exception {
        Path netrc = Files.writeString(temp.resolve("n"), "machine api.heroku.com password PUBLIC\n"
                + "machine heroku-api.internal.example password INTERNAL\n");
        assertThat(Netrc.password(netrc, "heroku-api.internal.example")).contains("INTERNAL");
    }
}
