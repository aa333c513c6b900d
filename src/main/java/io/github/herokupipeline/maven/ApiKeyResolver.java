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
 * settings.xml {@code <server>} with id {@code heroku.serverId} (decrypted like any Maven password); the
 * {@code api.heroku.com} entry of {@code ~/.netrc}. The key is never a POM parameter, so {@code mvn -X} cannot
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

    ApiKey resolve(String environmentValue, Settings settings, String serverId, Path netrc)
            throws MojoFailureException {
        if (environmentValue != null && !environmentValue.isBlank()) {
            return new ApiKey(environmentValue.strip(), "the environment variable " + ENV);
        }
        Optional<String> fromSettings = fromSettings(settings, serverId);
        if (fromSettings.isPresent()) {
            return new ApiKey(fromSettings.get(), "the <server> '" + serverId + "' in settings.xml");
        }
        try {
            Optional<String> fromNetrc = Netrc.password(netrc, Netrc.HEROKU_MACHINE);
            if (fromNetrc.isPresent()) {
                return new ApiKey(fromNetrc.get(), "the " + Netrc.HEROKU_MACHINE + " entry of " + netrc);
            }
        } catch (IOException e) {
            throw new MojoFailureException("Cannot read " + netrc + " for the Heroku API key: " + e.getMessage(), e);
        }
        throw new MojoFailureException("No Heroku API key found. Provide one of: the environment variable " + ENV
                + " (e.g. a CI secret; `heroku auth:token` prints one); a <server> with <id>" + serverId
                + "</id> and the key as <password> in ~/.m2/settings.xml (-Dheroku.serverId to use another id);"
                + " or a 'machine " + Netrc.HEROKU_MACHINE + "' entry in " + netrc + ".");
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
