package io.github.herokupipeline.heroku.model;

/** Which pipeline and stage an app belongs to. An app is coupled to at most one pipeline. */
public record PipelineCoupling(String id, Ref app, Ref pipeline, String stage) {

    public String appId() {
        return app == null ? null : app.id();
    }

    public String pipelineId() {
        return pipeline == null ? null : pipeline.id();
    }

    /** The body of {@code POST /pipeline-couplings}: the app by id or name, the pipeline by id. */
    public record CreateRequest(String app, String pipeline, String stage) {}
}
