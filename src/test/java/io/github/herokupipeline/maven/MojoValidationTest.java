package io.github.herokupipeline.maven;

import static org.assertj.core.api.Assertions.assertThat;
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
}
