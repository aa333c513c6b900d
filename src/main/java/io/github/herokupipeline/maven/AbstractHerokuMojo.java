package io.github.herokupipeline.maven;

import io.github.herokupipeline.heroku.ClientWarmUp;
import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.HerokuClientConfig;
import io.github.herokupipeline.heroku.HttpProxy;
import io.github.herokupipeline.heroku.Netrc;
import io.github.herokupipeline.pipeline.common.Background;
import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.common.Reporter;
import io.github.herokupipeline.pipeline.common.Waiting;
import io.github.herokupipeline.source.SourceException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * What both goals share: the parameters, skip and offline checks, the API key, the Heroku client, and turning
 * failures into Maven's two kinds: {@link MojoFailureException} for what the user can fix (with the setting to
 * change), {@link MojoExecutionException} for the unexpected.
 */
abstract class AbstractHerokuMojo extends AbstractMojo {

    /** Skips every goal of this plugin. */
    @Parameter(property = "heroku.skip", defaultValue = "false")
    private boolean skip;

    /**
     * The Platform API base URL. Plain http is refused except to a loopback address (a local simulator or proxy),
     * so the key never crosses a network in clear text.
     */
    @Parameter(property = "heroku.apiUrl", defaultValue = HerokuClientConfig.DEFAULT_API_URL)
    private String apiUrl;

    /** The id of the settings.xml {@code <server>} whose password is the Heroku API key (used when the environment
     * variable {@code HEROKU_API_KEY} is not set). */
    @Parameter(property = "heroku.serverId", defaultValue = "heroku")
    private String serverId;

    /** Connect and read timeout of each request to the Platform API, e.g. {@code 60s}. */
    @Parameter(property = "heroku.httpTimeout", defaultValue = "60s")
    private String httpTimeout;

    /**
     * How long to keep retrying one request that Heroku answers with 429 or 5xx, or that fails with an I/O error
     * (connection refused or reset, a timeout), e.g. {@code 2m}: a wrong {@code apiUrl} fails after this long.
     */
    @Parameter(property = "heroku.retryTimeout", defaultValue = "2m")
    private String retryTimeout;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${settings}", readonly = true, required = true)
    private Settings settings;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    private PluginDescriptor plugin;

    private final SettingsDecrypter decrypter;
    private final String goal;
    /** Where the key came from, for messages about a rejected key; never the key. */
    private String keySource = "?";

    AbstractHerokuMojo(SettingsDecrypter decrypter, String goal) {
        this.decrypter = decrypter;
        this.goal = goal;
    }

    /** The goal's name, for messages. */
    final String goal() {
        return goal;
    }

    /** True when the goal's own skip parameter is set. */
    boolean goalSkipped() {
        return false;
    }

    /** Checks the goal's own parameters before any request is made. */
    abstract void validate() throws MojoFailureException;

    /** A goal's work with a client, everything validated. */
    @FunctionalInterface
    interface Work {
        void run(HerokuClient heroku, Reporter reporter) throws IOException, SourceException, DeployException,
                MojoFailureException;
    }

    /**
     * Where the goal runs in a reactor: in every module that executes it ({@link #runHere}), or, for the
     * reactor-aware goals, once per deployment unit.
     */
    abstract void runInReactor(MavenSession mavenSession, MavenProject current) throws MojoExecutionException,
            MojoFailureException;

    /** Runs {@code work} in this module, with this module's connection. */
    final void runHere(Work work) throws MojoExecutionException, MojoFailureException {
        Reporter reporter = reporter();
        connection().run(goal, heroku -> work.run(heroku, reporter));
    }

    /** The goal's log, as the workflows report to it. */
    final Reporter reporter() {
        return new MavenLogReporter(getLog());
    }

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip || goalSkipped()) {
            getLog().info("Skipping heroku-pipeline:" + goal() + " (" + (skip ? "heroku.skip" : "heroku." + goal()
                    + ".skip") + "=true)");
            return;
        }
        if (needsPrepareApp() && (prepareApp() == null || prepareApp().isBlank()) && !bindsGoal(project, goal)) {
            getLog().info("heroku-pipeline:" + goal + " has nothing to do in " + project.getArtifactId()
                    + ": it configures no <prepareApp>");
            return;
        }
        if (!wantedInThisBuild(session)) {
            return;
        }
        validate();
        if (session.isOffline()) {
            throw new MojoFailureException("heroku-pipeline:" + goal() + " needs the Heroku Platform API, but Maven"
                    + " is offline (-o). Run without -o, or skip the goal with -Dheroku.skip=true.");
        }
        if (!firstRequestOnGoalThread()) {
            runInReactor(session, project);
            return;
        }
        // the first request's classes load on another core while this thread reads the key and the settings
        Background<Void> warmUp = Background.start("client warm-up", () -> {
            ClientWarmUp.run();
            return null;
        });
        try {
            runInReactor(session, project);
        } finally {
            warmUp.stop(); // no network, no locks: it ends on its own, in a fraction of a second
        }
    }

    /**
     * Whether the goal's own thread sends its first request, so that loading the client's classes on another thread
     * beside its set-up shortens the goal. A goal whose requests all go from background work would only wait for
     * that loading: its work loads the classes itself.
     */
    boolean firstRequestOnGoalThread() {
        return true;
    }

    /**
     * Whether this build should run the goal at all; a goal that says no logs why. Only {@code prepare} can say no:
     * the goals that change or read Heroku fail when they cannot.
     */
    boolean wantedInThisBuild(MavenSession mavenSession) throws MojoFailureException {
        return true;
    }

    /** Whether an API key is to be found (environment, settings.xml, .netrc), without reading any more of it. */
    final boolean apiKeyAvailable() throws MojoFailureException {
        return new ApiKeyResolver(decrypter).find(environment(ApiKeyResolver.ENV), settings, serverId, netrcFile(),
                apiHost()).isPresent();
    }

    /** Whether the goal works with the prepare app (a module without one, not binding the goal, has nothing to do). */
    boolean needsPrepareApp() {
        return false;
    }

    /** The prepare app, for the goals that have one. */
    String prepareApp() {
        return null;
    }

    /** This module's client configuration and key. */
    final Connection connection() throws MojoFailureException {
        HerokuClientConfig config = clientConfig();
        return new Connection(config, keySource, serverId);
    }

    private HerokuClientConfig clientConfig() throws MojoFailureException {
        ApiKeyResolver.ApiKey key = new ApiKeyResolver(decrypter).resolve(environment(ApiKeyResolver.ENV), settings,
                serverId, netrcFile(), apiHost());
        keySource = key.source();
        getLog().debug("Using the Heroku API key from " + key.source());
        try {
            Duration timeout = duration(httpTimeout, "<httpTimeout> (-Dheroku.httpTimeout)");
            return HerokuClientConfig.builder(apiUrl, key.value())
                    .userAgent("heroku-pipeline-maven-plugin/" + plugin.getVersion() + " Maven/"
                            + systemProperty("maven.version") + " Java/" + systemProperty("java.version"))
                    .connectTimeout(timeout)
                    .readTimeout(timeout)
                    .maxRetryTime(duration(retryTimeout, "<retryTimeout> (-Dheroku.retryTimeout)"))
                    .debugLog(line -> getLog().debug(line))
                    .proxies(proxies())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("Invalid <apiUrl> (-Dheroku.apiUrl): " + e.getMessage(), e);
        }
    }

    /**
     * The active {@code <proxy>} entries of settings.xml, passwords decrypted like the server password, as Maven's
     * own resolver uses them: every request of the plugin goes through them (loopback included) unless
     * {@code nonProxyHosts} names the host. None: the JVM's proxy settings apply.
     */
    List<HttpProxy> proxies() throws MojoFailureException {
        List<HttpProxy> proxies = new ArrayList<>();
        for (org.apache.maven.settings.Proxy proxy : settings.getProxies()) {
            if (!proxy.isActive()) {
                continue;
            }
            SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(proxy));
            if (result.getProblems() != null && result.getProblems().stream()
                    .anyMatch(p -> p.getSeverity() != SettingsProblem.Severity.WARNING)) {
                throw new MojoFailureException("Cannot decrypt the password of <proxy> '" + proxy.getId()
                        + "' in settings.xml: " + result.getProblems().get(0).getMessage()
                        + ". Check ~/.m2/settings-security.xml, or give the proxy password in clear text.");
            }
            org.apache.maven.settings.Proxy decrypted = result.getProxy() != null ? result.getProxy() : proxy;
            proxies.add(new HttpProxy(decrypted.getProtocol() == null ? "http" : decrypted.getProtocol(),
                    decrypted.getHost(), decrypted.getPort(), decrypted.getUsername(), decrypted.getPassword(),
                    decrypted.getNonProxyHosts()));
        }
        if (!proxies.isEmpty()) {
            getLog().debug("Sending the plugin's requests through " + proxies);
        }
        return proxies;
    }

    static Duration duration(String value, String parameter) throws MojoFailureException {
        try {
            return Durations.parse(value, parameter);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
    }

    /** The module's base directory. */
    Path projectDirectory() {
        return project.getBasedir().toPath();
    }

    /**
     * {@code target/heroku-pipeline} of the reactor's top-level project, so prepare and promote find each other's
     * records whichever module runs them.
     */
    Path workDirectory() {
        MavenProject top = session.getTopLevelProject() != null ? session.getTopLevelProject() : project;
        return Path.of(top.getBuild().getDirectory(), "heroku-pipeline");
    }

    Waiting waiting() {
        return Waiting.system();
    }

    /** An environment variable as Maven saw it at start-up ({@code env.*} in the session's system properties). */
    String environment(String name) {
        return systemProperty("env." + name);
    }

    private String systemProperty(String name) {
        Properties properties = session.getSystemProperties();
        return properties == null ? null : properties.getProperty(name);
    }

    /** The host of {@code apiUrl}, whose {@code .netrc} entry holds the key; an unparsable URL is reported later. */
    private String apiHost() {
        try {
            String host = java.net.URI.create(apiUrl == null ? HerokuClientConfig.DEFAULT_API_URL : apiUrl.strip())
                    .getHost();
            return host == null ? Netrc.HEROKU_MACHINE : host;
        } catch (IllegalArgumentException e) {
            return Netrc.HEROKU_MACHINE;
        }
    }

    private Path netrcFile() {
        String home = systemProperty("user.home");
        if (home == null) {
            return null;
        }
        String os = systemProperty("os.name");
        boolean windows = os != null && os.toLowerCase(java.util.Locale.ROOT).startsWith("windows");
        return Path.of(home, windows ? "_netrc" : ".netrc");
    }

    /** True when {@code project} binds {@code goal} of this plugin in an execution of its POM. */
    boolean bindsGoal(MavenProject candidate, String goalName) {
        for (Plugin buildPlugin : candidate.getBuildPlugins()) {
            if (buildPlugin.getKey().equals(plugin.getPluginLookupKey())) {
                for (PluginExecution execution : buildPlugin.getExecutions()) {
                    if (execution.getGoals().contains(goalName)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
