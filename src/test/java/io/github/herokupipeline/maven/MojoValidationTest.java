package io.github.herokupipeline.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

/** The goals check their own parameters before any request, naming the element and property to fix. */
class MojoValidationTest {

    private static void set(Object mojo, String field, Object value) throws ReflectiveOperationException {
        Class<?> type = mojo.getClass();
        while (type != null) {
            try {
                Field declared = type.getDeclaredField(field);
                declared.setAccessible(true);
                declared.set(mojo, value);
                return;
            } catch (NoSuchFieldException e) {
                type = type.getSuperclass();
            }
        }
        throw new NoSuchFieldException(field);
    }

    private static PromoteMojo promote() throws ReflectiveOperationException {
        PromoteMojo mojo = new PromoteMojo(request -> null);
        set(mojo, "prepareApp", "foo-prepare");
        set(mojo, "targetApps", List.of("foo-staging"));
        set(mojo, "onMissingPrepare", "build");
        set(mojo, "onPrepareFailure", "fail");
        set(mojo, "onUnknownOrder", "deploy");
        set(mojo, "onNewerCommit", "skip");
        set(mojo, "buildTimeout", "20m");
        set(mojo, "promotionTimeout", "10m");
        set(mojo, "smokeStatus", "2xx");
        set(mojo, "smokeTimeout", "2m");
        return mojo;
    }

    @Test
    void promote_withEverythingSet_isValid() throws Exception {
        promote().validate();
    }

    @Test
    void promote_withoutPrepareApp_namesTheElementAndProperty() throws Exception {
        PromoteMojo mojo = promote();
        set(mojo, "prepareApp", null);
        assertThatThrownBy(mojo::validate).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("<prepareApp>").hasMessageContaining("-Dheroku.prepareApp");
    }

    @Test
    void promote_withoutTargets_namesTheElementAndProperty() throws Exception {
        PromoteMojo mojo = promote();
        set(mojo, "targetApps", new ArrayList<>(List.of(" ")));
        assertThatThrownBy(mojo::validate).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("<targetApps>").hasMessageContaining("-Dheroku.targetApps");
    }

    @Test
    void promote_badValues_sayWhatIsAllowed() throws Exception {
        PromoteMojo policy = promote();
        set(policy, "onMissingPrepare", "retry");
        assertThatThrownBy(policy::validate).hasMessageContaining("'retry' is not a value of <onMissingPrepare>")
                .hasMessageContaining("build, fail");
        PromoteMojo newer = promote();
        set(newer, "onNewerCommit", "overwrite");
        assertThatThrownBy(newer::validate).hasMessageContaining("'overwrite' is not a value of <onNewerCommit>")
                .hasMessageContaining("skip, fail, deploy");
        PromoteMojo timeout = promote();
        set(timeout, "buildTimeout", "forever");
        assertThatThrownBy(timeout::validate).hasMessageContaining("<buildTimeout>");
        PromoteMojo smoke = promote();
        set(smoke, "smokeUrl", "/health");
        set(smoke, "smokeStatus", "ok");
        assertThatThrownBy(smoke::validate).hasMessageContaining("<smokeStatus>");
        set(smoke, "smokeStatus", "2xx");
        set(smoke, "smokeBodyPattern", "([unclosed");
        assertThatThrownBy(smoke::validate).hasMessageContaining("<smokeBodyPattern>");
        set(smoke, "smokeBodyPattern", "\"commit\":\"{commit}\"");
        assertThatCode(smoke::validate).as("{commit} stands for a SHA, not a repetition").doesNotThrowAnyException();
        set(smoke, "smokeBodyPattern", "{commit}([unclosed");
        assertThatThrownBy(smoke::validate).hasMessageContaining("<smokeBodyPattern>");
        for (String invalid : new String[] {"/health check", "htps://example.com/health", "/health?q={x}"}) {
            PromoteMojo badUrl = promote();
            set(badUrl, "smokeUrl", invalid);
            assertThatThrownBy(badUrl::validate).isInstanceOf(MojoFailureException.class)
                    .hasMessageContaining("<smokeUrl> (-Dheroku.smokeUrl) '" + invalid + "' is not usable");
        }
    }

    @Test
    void skip_logsAndDoesNothing() throws Exception {
        PrepareMojo mojo = new PrepareMojo(request -> null);
        set(mojo, "skip", true);
        List<String> lines = new ArrayList<>();
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                lines.add(content.toString());
            }
        });

        mojo.execute(); // no session, project or key: a skip must not need any of them

        assertThat(lines).containsExactly("Skipping heroku-pipeline:prepare (heroku.skip=true)");
    }

    @Test
    void rollback_needsTargets() throws Exception {
        RollbackMojo mojo = new RollbackMojo(request -> null);
        set(mojo, "promotionTimeout", "10m");
        assertThatThrownBy(mojo::validate).hasMessageContaining("<targetApps>");
    }

    @Test
    void settingsProxies_areReadDecryptedAndActiveOnly() throws Exception {
        org.apache.maven.settings.crypto.SettingsDecrypter decrypter = request ->
                new org.apache.maven.settings.crypto.SettingsDecryptionResult() {
                    @Override
                    public org.apache.maven.settings.Server getServer() {
                        return null;
                    }

                    @Override
                    public List<org.apache.maven.settings.Server> getServers() {
                        return List.of();
                    }

                    @Override
                    public org.apache.maven.settings.Proxy getProxy() {
                        org.apache.maven.settings.Proxy proxy = request.getProxies().get(0).clone();
                        proxy.setPassword(proxy.getPassword().replace("{enc}", "decrypted-"));
                        return proxy;
                    }

                    @Override
                    public List<org.apache.maven.settings.Proxy> getProxies() {
                        return List.of(getProxy());
                    }

                    @Override
                    public List<org.apache.maven.settings.building.SettingsProblem> getProblems() {
                        return List.of();
                    }
                };
        PromoteMojo mojo = new PromoteMojo(decrypter);
        org.apache.maven.settings.Settings settings = new org.apache.maven.settings.Settings();
        org.apache.maven.settings.Proxy inactive = new org.apache.maven.settings.Proxy();
        inactive.setActive(false);
        inactive.setHost("old.example");
        settings.addProxy(inactive);
        org.apache.maven.settings.Proxy active = new org.apache.maven.settings.Proxy();
        active.setId("corporate");
        active.setHost("proxy.example");
        active.setPort(3128);
        active.setUsername("ci");
        active.setPassword("{enc}secret");
        active.setNonProxyHosts("*.internal");
        settings.addProxy(active);
        set(mojo, "settings", settings);

        assertThat(mojo.proxies()).containsExactly(new io.github.herokupipeline.heroku.HttpProxy("http",
                "proxy.example", 3128, "ci", "decrypted-secret", "*.internal"));
    }

    @Test
    void setup_needsItsApps_andConfigVarNamesNotValues() throws Exception {
        SetupMojo mojo = new SetupMojo(request -> null);
        assertThatThrownBy(mojo::validate).hasMessageContaining("<prepareApp>");
        set(mojo, "prepareApp", "foo-prepare");
        assertThatThrownBy(mojo::validate).hasMessageContaining("heroku-pipeline:setup needs the target apps")
                .hasMessageContaining("-Dheroku.targetApps");
        set(mojo, "targetApps", List.of("foo-staging", "foo-production"));
        mojo.validate();
        set(mojo, "buildConfigVars", List.of("IMAGEMAGICK_VERSION", "MAVEN_OPTS=-Xmx1g"));
        assertThatThrownBy(mojo::validate).hasMessageContaining("'MAVEN_OPTS=-Xmx1g' in <buildConfigVars>")
                .hasMessageContaining("names only");
    }
}
