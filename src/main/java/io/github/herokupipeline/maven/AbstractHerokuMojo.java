package io.github.herokupipeline.maven;

import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.HerokuClientConfig;
import io.github.herokupipeline.heroku.HttpProxy;
import io.github.herokupipeline.pipeline.common.DeployException;
import io.github.herokupipeline.pipeline.common.Reporter;
import io.github.herokupipeline.pipeline.common.SourceSettings;
import io.github.herokupipeline.pipeline.common.Waiting;
import io.github.herokupipeline.source.SourceException;
import java.io.File;
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

    /** The app that builds each commit while the tests run; it must be in the same pipeline as the targets. */
    @Parameter(property = "heroku.prepareApp")
    private String prepareApp;

    /** The commit to ship instead of HEAD (a SHA, tag or branch of the project's git repository). */
    @Parameter(property = "heroku.commit")
    private String commit;

    /** The app's root inside the git repository (for monorepos); default: the repository root. */
    @Parameter(property = "heroku.sourceDirectory")
    private File sourceDirectory;

    /** Ship HEAD's content even when tracked files have uncommitted changes (a warning lists them). */
    @Parameter(property = "heroku.allowDirty", defaultValue = "false")
    private boolean allowDirty;

    /** Buildpacks for builds the plugin starts (names like {@code heroku/jvm} or URLs); default: the app's. */
    @Parameter(property = "heroku.buildpacks")
    private List<String> buildpacks;

    /** Connect and read timeout of each request to the Platform API, e.g. {@code 60s}. */
    @Parameter(property = "heroku.httpTimeout", defaultValue = "60s")
    private String httpTimeout;

    /** How long to keep retrying one request that Heroku answers with 429 or 5xx, e.g. {@code 2m}. */
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
        if (needsPrepareApp() && (prepareApp == null || prepareApp.isBlank()) && !bindsGoal(project, goal)) {
            getLog().info("heroku-pipeline:" + goal + " has nothing to do in " + project.getArtifactId()
                    + ": it configures no <prepareApp>");
            return;
        }
        validate();
        if (session.isOffline()) {
            throw new MojoFailureException("heroku-pipeline:" + goal() + " needs the Heroku Platform API, but Maven"
                    + " is offline (-o). Run without -o, or skip the goal with -Dheroku.skip=true.");
        }
        runInReactor(session, project);
    }

    /** Whether the goal works with the prepare app (a module without one, not binding the goal, has nothing to do). */
    boolean needsPrepareApp() {
        return true;
    }

    /** This module's client configuration and key. */
    final Connection connection() throws MojoFailureException {
        HerokuClientConfig config = clientConfig();
        return new Connection(config, keySource, serverId);
    }

    private HerokuClientConfig clientConfig() throws MojoFailureException {
        ApiKeyResolver.ApiKey key = new ApiKeyResolver(decrypter).resolve(environment(ApiKeyResolver.ENV), settings,
                serverId, netrcFile());
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

    SourceSettings sourceSettings() {
        return new SourceSettings(project.getBasedir().toPath(),
                sourceDirectory == null ? null : sourceDirectory.toPath(), commit, allowDirty, workDirectory());
    }

    /** What identifies this module's source: the source directory (or the repository root) and the commit. */
    String sourceKey() {
        return (sourceDirectory == null ? "(repository root)" : sourceDirectory.toPath().toAbsolutePath().normalize())
                + " @ " + (commit == null || commit.isBlank() ? "HEAD" : commit.strip());
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

    String prepareApp() {
        return prepareApp;
    }

    void requirePrepareApp() throws MojoFailureException {
        if (prepareApp == null || prepareApp.isBlank()) {
            throw new MojoFailureException("heroku-pipeline:" + goal() + " needs the prepare app: set <prepareApp> in"
                    + " the plugin configuration, or -Dheroku.prepareApp=<app>");
        }
    }

    List<String> buildpacks() {
        return buildpacks == null ? List.of() : buildpacks;
    }

    /** An environment variable as Maven saw it at start-up ({@code env.*} in the session's system properties). */
    String environment(String name) {
        return systemProperty("env." + name);
    }

    private String systemProperty(String name) {
        Properties properties = session.getSystemProperties();
        return properties == null ? null : properties.getProperty(name);
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

    /**
     * The projects of this reactor that bind {@code goal}; all of them when none does (the goal was called from the
     * command line).
     */
    List<MavenProject> projectsRunning(MavenSession mavenSession, String goalName) {
        List<MavenProject> binding = mavenSession.getProjects().stream().filter(p -> bindsGoal(p, goalName)).toList();
        return binding.isEmpty() ? mavenSession.getProjects() : binding;
    }
}
