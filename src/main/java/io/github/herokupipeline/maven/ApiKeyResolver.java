package io.github.herokupipeline.maven;

import io.github.herokupipeline.heroku.Netrc;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * Finds the Heroku API key, in order: the environment variable {@code HEROKU_API_KEY}; the password of the
 * settings.xml {@code <server>} with id {@code heroku.serverId} (decrypted like any Maven password); the entry of
 * the API's host ({@code api.heroku.com} unless {@code apiUrl} says otherwise) in {@code ~/.netrc}. The key is never a POM parameter, so {@code mvn -X} cannot
 * print it.
 */
final class ApiKeyResolver {

    static final String ENV = "HEROKU_API_KEY";

    /** A key and where it came from (for messages; never the key itself). */
    record ApiKey(String value, String source) {
        @Override
        public String toString() {
            return "ApiKey[from " + source + "]";
        }
    }

    private final SettingsDecrypter decrypter;

    ApiKeyResolver(SettingsDecrypter decrypter) {
        this.decrypter = decrypter;
    }

    ApiKey resolve(String environmentValue, Settings settings, String serverId, Path netrc, String apiHost)
            throws MojoFailureException {
        Optional<ApiKey> key = find(environmentValue, settings, serverId, netrc, apiHost);
        if (key.isPresent()) {
            return key.get();
        }
        throw new MojoFailureException("No Heroku API key found. Provide one of: the environment variable " + ENV
                + " (e.g. a CI secret; `heroku auth:token` prints one); a <server> with <id>" + serverId
                + "</id> and the key as <password> in ~/.m2/settings.xml (-Dheroku.serverId to use another id);"
                + " or a 'machine " + apiHost + "' entry in " + netrc + ".");
    }

    /**
     * The key from the first place that has one; empty when none has. From {@code .netrc}, only the entry of the
     * API's own host ({@code apiHost}) is read, never {@code default}.
     */
    Optional<ApiKey> find(String environmentValue, Settings settings, String serverId, Path netrc, String apiHost)
            throws MojoFailureException {
        if (environmentValue != null && !environmentValue.isBlank()) {
            return Optional.of(new ApiKey(environmentValue.strip(), "the environment variable " + ENV));
        }
        Optional<String> fromSettings = fromSettings(settings, serverId);
        if (fromSettings.isPresent()) {
            return Optional.of(new ApiKey(fromSettings.get(), "the <server> '" + serverId + "' in settings.xml"));
        }
        try {
            return Netrc.password(netrc, apiHost)
                    .map(password -> new ApiKey(password, "the " + apiHost + " entry of " + netrc));
        } catch (IOException e) {
            throw new MojoFailureException("Cannot read " + netrc + " for the Heroku API key: " + e.getMessage(), e);
        }
    }

    private Optional<String> fromSettings(Settings settings, String serverId) throws MojoFailureException {
        Server server = settings == null ? null : settings.getServer(serverId);
        if (server == null) {
            return Optional.empty();
        }
        SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        List<SettingsProblem> problems = result.getProblems();
        if (problems != null && !problems.isEmpty()) {
            throw new MojoFailureException("Cannot decrypt the password of <server> '" + serverId
                    + "' in settings.xml: " + problems.get(0).getMessage());
        }
        String password = result.getServer().getPassword();
        return password == null || password.isBlank() ? Optional.empty() : Optional.of(password.strip());
    }
}
