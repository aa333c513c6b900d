package io.github.herokupipeline.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.HerokuClientConfig;
import io.github.herokupipeline.heroku.model.App;
import io.github.herokupipeline.heroku.model.Artifact;
import io.github.herokupipeline.heroku.model.Formation;
import io.github.herokupipeline.heroku.model.Build;
import io.github.herokupipeline.heroku.model.Generation;
import io.github.herokupipeline.heroku.model.PipelineCoupling;
import io.github.herokupipeline.heroku.model.PipelinePromotion;
import io.github.herokupipeline.heroku.model.PromotionTarget;
import io.github.herokupipeline.heroku.model.Release;
import io.github.herokupipeline.heroku.model.Source;
import io.github.herokupipeline.heroku.model.SourceBlob;
import io.github.herokupipeline.testing.Await;
import io.github.herokupipeline.testing.SharedDir;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives every endpoint the plugin uses through the real client against the simulator, then checks each request
 * the client sent and each response the simulator gave against the official Platform API schema
 * ({@code ../shared/heroku/platform-api-schema.json}). Interagent's {@code strictProperties} is enforced as
 * {@code additionalProperties: false}, so neither side may invent fields.
 */
class SimulatorConformanceTest {

    private static final String SHA = "60883d9e8947a57e04dc9124f25df004866a2051";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Method and link title of every schema link the plugin calls. */
    private static final Set<String> USED_LINKS = Set.of(
            "source POST Create", "app GET Info", "config-var GET Info for App", "config-var PATCH Update",
            "build POST Create", "build GET Info", "build GET List", "build DELETE Cancel", "slug GET Info",
            "release GET Info", "release GET List", "release POST Create", "release POST Rollback",
            "pipeline GET Info", "pipeline-coupling GET Info By App", "pipeline-coupling GET List By Pipeline",
            "pipeline-promotion POST Create", "pipeline-promotion GET Info", "pipeline-promotion-target GET List",
            "oci-image GET Info", "buildpack-installation GET List", "formation GET Info", "app POST Create",
            "team-app POST Create", "app PATCH Update", "pipeline-coupling POST Create",
            "buildpack-installation PUT Update", "formation GET List", "formation PATCH Batch Update",
            "app-feature GET Info");

    @TempDir
    Path temp;

    private record Link(String resource, String method, String title, java.util.regex.Pattern path,
            JsonNode requestSchema, JsonNode responseSchema) {
        String key() {
            return resource + " " + method + " " + title;
        }
    }

    @Test
    void clientRequestsAndSimulatorResponses_matchTheOfficialSchema() throws Exception {
        Path schemaFile = SharedDir.file("heroku/platform-api-schema.json").orElse(null);
        Assumptions.assumeTrue(schemaFile != null,
                "../shared/heroku/platform-api-schema.json is not here; skipping the schema conformance check");
        JsonNode schema = strict(MAPPER.readTree(schemaFile.toFile()));
        List<Link> links = links(schema);

        try (HerokuSimulator sim = HerokuSimulator.start()) {
            sim.createStandardPipeline("foo");
            sim.createStandardPipeline("fir");
            sim.useGeneration("fir", "fir");
            exerciseEveryEndpoint(sim);
            exerciseFirEndpoints(sim);
            exerciseSetupEndpoints(sim);

            JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
            Set<String> seen = new LinkedHashSet<>();
            List<String> problems = new ArrayList<>();
            for (RecordedRequest request : sim.apiRequests()) {
                assertThat(request.status()).as(request.toString()).isBetween(200, 299);
                List<Link> candidates = links.stream()
                        .filter(l -> l.method().equals(request.method()) && l.path().matcher(request.path()).matches())
                        .toList();
                assertThat(candidates).as("schema link for " + request).isNotEmpty();
                Link link = null;
                List<String> requestErrors = List.of();
                for (Link candidate : candidates) {
                    requestErrors = validate(factory, schema, candidate.requestSchema(), request.body());
                    if (requestErrors.isEmpty()) {
                        link = candidate;
                        break;
                    }
                }
                if (link == null) {
                    problems.add("request " + request + " " + request.body() + ": " + requestErrors);
                    continue;
                }
                seen.add(link.key());
                List<String> responseErrors = validate(factory, schema, link.responseSchema(), request.response());
                if (!responseErrors.isEmpty()) {
                    problems.add("response to " + request + ": " + responseErrors);
                }
            }
            assertThat(problems).isEmpty();
            assertThat(seen).containsAll(USED_LINKS);
        }
    }

    @Test
    void theCheckRejectsWhatTheSchemaForbids() throws Exception {
        Path schemaFile = SharedDir.file("heroku/platform-api-schema.json").orElse(null);
        Assumptions.assumeTrue(schemaFile != null, "../shared is not here; skipping");
        JsonNode schema = strict(MAPPER.readTree(schemaFile.toFile()));
        Link buildInfo = links(schema).stream().filter(l -> l.key().equals("build GET Info")).findFirst()
                .orElseThrow();
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);

        assertThat(validate(factory, schema, buildInfo.responseSchema(), "{\"status\":\"successful\"}"))
                .isNotEmpty();
        Link promotion = links(schema).stream().filter(l -> l.key().equals("pipeline-promotion GET Info"))
                .findFirst().orElseThrow();
        assertThat(validate(factory, schema, promotion.responseSchema(), "{\"status\":\"completed\","
                + "\"invented\":1}")).isNotEmpty();
    }

    private void exerciseEveryEndpoint(HerokuSimulator sim) throws Exception {
        try (HerokuClient client = new HerokuClient(HerokuClientConfig.builder(sim.apiUrl(),
                HerokuSimulator.DEFAULT_KEY).build())) {
            client.getApp("foo-prepare");
            client.listBuildpackInstallations("foo-prepare");
            client.getFormation("foo-prepare", "web");
            sim.preboot("foo-staging", 0);
            client.getAppFeature("foo-staging", "preboot");
            client.updateConfigVars("foo-staging", Map.of("JAVA_OPTS", "-Xmx300m"));
            client.getConfigVars("foo-staging");
            Path archive = Files.writeString(temp.resolve("a.tar.gz"), "source");
            Source source = client.createSource();
            client.uploadSource(source.putUrl(), archive);
            Build build = client.createBuild("foo-prepare", new Build.CreateRequest(
                    new SourceBlob(source.getUrl(), SHA, null, "Fix the bug"), List.of(new Build.Buildpack(null,
                            "heroku/jvm"))));
            client.listBuilds("foo-prepare", 5);
            Build done = Await.until(() -> client.getBuild("foo-prepare", build.id()), b -> !b.isPending(),
                    Duration.ofSeconds(10));
            client.cancelBuild("foo-prepare", client.getBuild("foo-prepare", sim.startBuild("foo-prepare",
                    "1".repeat(40))).id());
            client.getSlug("foo-prepare", done.slug().id());
            client.getRelease("foo-prepare", done.release().id());
            client.listReleases("foo-prepare", 5);
            PipelineCoupling coupling = client.getPipelineCoupling("foo-prepare");
            client.getPipeline(coupling.pipelineId());
            client.listPipelineCouplings(coupling.pipelineId());
            String staging = client.getApp("foo-staging").id();
            PipelinePromotion promotion = client.createPipelinePromotion(coupling.pipelineId(), coupling.appId(),
                    done.release().id(), List.of(staging));
            Await.until(() -> client.listPromotionTargets(promotion.id()),
                    targets -> targets.stream().noneMatch(PromotionTarget::isPending), Duration.ofSeconds(10));
            client.getPipelinePromotion(promotion.id());
            String first = client.createRelease("foo-production", done.slug().id(), "Deploy 60883d9e").id();
            client.createRelease("foo-production", done.slug().id(), null);
            client.rollback("foo-production", first);
            client.streamOutput(done.outputStreamUrl(), line -> {}, Instant.now().plusSeconds(10));
        }
    }

    /** A Fir pipeline: builds leave OCI images, releases carry artifacts and no slug, promotions carry the image. */
    private void exerciseFirEndpoints(HerokuSimulator sim) throws Exception {
        try (HerokuClient client = new HerokuClient(HerokuClientConfig.builder(sim.apiUrl(),
                HerokuSimulator.DEFAULT_KEY).build())) {
            assertThat(client.getApp("fir-prepare").generation()).isEqualTo(Generation.FIR);
            Path archive = Files.writeString(temp.resolve("fir.tar.gz"), "source");
            Source source = client.createSource();
            client.uploadSource(source.putUrl(), archive);
            Build build = client.createBuild("fir-prepare", new Build.CreateRequest(
                    new SourceBlob(source.getUrl(), SHA, null, "Fix the bug"), null));
            Build done = Await.until(() -> client.getBuild("fir-prepare", build.id()), b -> !b.isPending(),
                    Duration.ofSeconds(10));
            assertThat(done.slug()).isNull();
            Release release = client.getRelease("fir-prepare", done.release().id());
            assertThat(release.slug()).isNull();
            assertThat(release.artifact().type()).isEqualTo(Artifact.OCI_IMAGE);
            assertThat(client.getOciImages("fir-prepare", release.artifact().id())).singleElement()
                    .satisfies(image -> assertThat(image.commit()).isEqualTo(SHA));
            PipelineCoupling coupling = client.getPipelineCoupling("fir-prepare");
            assertThat(client.getPipeline(coupling.pipelineId()).generation()).isEqualTo(Generation.FIR);
            PipelinePromotion promotion = client.createPipelinePromotion(coupling.pipelineId(), coupling.appId(),
                    release.id(), List.of(client.getApp("fir-staging").id()));
            List<PromotionTarget> targets = Await.until(() -> client.listPromotionTargets(promotion.id()),
                    all -> all.stream().noneMatch(PromotionTarget::isPending), Duration.ofSeconds(10));
            Release promoted = client.getRelease("fir-staging", targets.get(0).releaseId());
            assertThat(promoted.artifact()).isEqualTo(release.artifact());
            client.getOciImages("fir-staging", promoted.artifact().id());
        }
    }

    /** What setup writes: apps of an account, a team and a space, couplings, buildpacks, dynos, the stack. */
    private void exerciseSetupEndpoints(HerokuSimulator sim) throws Exception {
        sim.createSpace("acme-fir", "acme", "virginia", "fir");
        try (HerokuClient client = new HerokuClient(HerokuClientConfig.builder(sim.apiUrl(),
                HerokuSimulator.DEFAULT_KEY).build())) {
            App personal = client.createApp(new App.CreateRequest("bar-prepare", "eu", "heroku-24"));
            client.createTeamApp(new App.TeamCreateRequest("bar-team", "acme", "eu", null, "heroku-24"));
            client.createTeamApp(new App.TeamCreateRequest("fir-prepare-2", "acme", null, "acme-fir", null));
            client.updateBuildStack("bar-prepare", "heroku-22");
            client.createPipelineCoupling(personal.id(), client.getPipelineCoupling("foo-staging").pipelineId(),
                    "development");
            client.createPipelineCoupling("fir-prepare-2", client.getPipelineCoupling("fir-staging").pipelineId(),
                    "development");
            client.updateBuildpackInstallations("bar-prepare", List.of("heroku/nodejs", "heroku/jvm"));
            assertThat(client.listFormation("bar-prepare")).isEmpty();
            assertThat(client.listFormation("foo-prepare")).extracting(Formation::type).containsExactly("web");
            client.updateFormation("foo-prepare", List.of(new Formation.Update("web", 0)));
        }
    }

    private static List<String> validate(JsonSchemaFactory factory, JsonNode whole, JsonNode schema, String body)
            throws Exception {
        if (schema == null) {
            return body == null || body.isBlank() ? List.of() : List.of("no body expected, got " + body);
        }
        ObjectNode document = MAPPER.createObjectNode();
        document.put("$schema", "http://json-schema.org/draft-04/schema#");
        document.set("definitions", whole.get("definitions"));
        ArrayNode allOf = document.putArray("allOf");
        allOf.add(schema);
        JsonSchema compiled = factory.getSchema(document);
        JsonNode value = body == null || body.isBlank() ? MAPPER.createObjectNode() : MAPPER.readTree(body);
        Set<ValidationMessage> messages = compiled.validate(value);
        return messages.stream().map(ValidationMessage::getMessage).toList();
    }

    private static List<Link> links(JsonNode schema) {
        List<Link> links = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> definitions = schema.get("definitions").fields();
        while (definitions.hasNext()) {
            Map.Entry<String, JsonNode> definition = definitions.next();
            for (JsonNode link : definition.getValue().path("links")) {
                String href = URLDecoder.decode(link.get("href").asText(), StandardCharsets.UTF_8);
                String regex = href.replaceAll("\\{\\([^)]*\\)\\}", "[^/]+").replace("~", "\\~");
                links.add(new Link(definition.getKey(), link.get("method").asText(), link.path("title").asText(),
                        java.util.regex.Pattern.compile(regex), link.get("schema"), link.get("targetSchema")));
            }
        }
        return links;
    }

    /** Interagent's strictProperties means "no other properties": make the validator enforce it. */
    private static JsonNode strict(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            if (object.path("strictProperties").asBoolean(false) && object.has("properties")
                    && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            object.elements().forEachRemaining(SimulatorConformanceTest::strict);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(SimulatorConformanceTest::strict);
        }
        return node;
    }
}
