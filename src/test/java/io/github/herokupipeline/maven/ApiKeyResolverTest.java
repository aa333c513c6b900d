package io.github.herokupipeline.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyResolverTest {

    @TempDir
    Path temp;

    /** Decrypts "{enc}" + reversed text, to show the resolver goes through Maven's decrypter. */
    private final SettingsDecrypter decrypter = request -> new SettingsDecryptionResult() {
        @Override
        public Server getServer() {
            Server server = request.getServers().get(0).clone();
            String password = server.getPassword();
            if (password != null && password.startsWith("{enc}")) {
                server.setPassword(new StringBuilder(password.substring(5)).reverse().toString());
            }
            return server;
        }

        @Override
        public List<Server> getServers() {
            return List.of(getServer());
        }

        @Override
        public org.apache.maven.settings.Proxy getProxy() {
            return null;
        }

        @Override
        public List<org.apache.maven.settings.Proxy> getProxies() {
            return List.of();
        }

        @Override
        public List<SettingsProblem> getProblems() {
            return List.of();
        }
    };

    private Settings settingsWith(String id, String password) {
        Settings settings = new Settings();
        Server server = new Server();
        server.setId(id);
        server.setPassword(password);
        settings.addServer(server);
        return settings;
    }

    @Test
    void environment_winsOverSettingsAndNetrc() throws Exception {
        Path netrc = Files.writeString(temp.resolve(".netrc"), "machine api.heroku.com login a password from-netrc");
        ApiKeyResolver.ApiKey key = new ApiKeyResolver(decrypter).resolve(" from-env ", settingsWith("heroku", "s"),
                "heroku", netrc, "api.heroku.com");
        assertThat(key.value()).isEqualTo("from-env");
        assertThat(key.toString()).doesNotContain("from-env");
    }

    @Test
    void settingsServer_isDecrypted() throws Exception {
        ApiKeyResolver.ApiKey key = new ApiKeyResolver(decrypter).resolve(null, settingsWith("heroku", "{enc}cba"),
                "heroku", null, "api.heroku.com");
        assertThat(key.value()).isEqualTo("abc");
        assertThat(key.source()).contains("<server> 'heroku'");
    }

    @Test
    void netrc_isTheLastResort() throws Exception {
        Path netrc = Files.writeString(temp.resolve(".netrc"),
                "machine git.heroku.com\n  login a\n  password wrong\nmachine api.heroku.com\n  login a\n  password right\n");
        assertThat(new ApiKeyResolver(decrypter).resolve("", new Settings(), "heroku", netrc, "api.heroku.com")
                .value()).isEqualTo("right");
    }

    @Test
    void netrc_givesTheEntryOfTheApiUrlsHost_neverAnotherOrTheDefault() throws Exception {
        Path netrc = Files.writeString(temp.resolve(".netrc"), "machine artifacts.corp.example login default"
                + " password not-heroku\nmachine api.heroku.com password public-key\ndefault password default-key\n");
        assertThat(new ApiKeyResolver(decrypter).resolve("", new Settings(), "heroku", netrc, "api.heroku.com")
                .value()).isEqualTo("public-key");
        assertThat(new ApiKeyResolver(decrypter).find("", new Settings(), "heroku", netrc, "heroku.internal.example"))
                .isEmpty();
    }

    @Test
    void nothingFound_namesAllThreeSources() {
        assertThatThrownBy(() -> new ApiKeyResolver(decrypter).resolve(null, new Settings(), "heroku",
                temp.resolve(".netrc"), "api.heroku.com"))
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("HEROKU_API_KEY")
                .hasMessageContaining("<id>heroku</id>")
                .hasMessageContaining("machine api.heroku.com");
    }
}
