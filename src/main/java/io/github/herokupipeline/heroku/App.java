package io.github.herokupipeline.heroku;

/** {@code GET /apps/{app}}: the fields the plugin reads. */
public record App(String id, String name, Ref stack, Ref buildStack, Ref generation, String webUrl) {

    public String stackName() {
        return stack == null ? null : stack.name();
    }

    public String generationName() {
        return generation == null || generation.name() == null ? "cedar" : generation.name();
    }
}
