package io.github.herokupipeline.heroku.model;

import com.google.gson.annotations.SerializedName;

/** {@code GET /apps/{app}}: the fields the plugin reads. */
public record App(String id, String name, Ref stack, Ref buildStack, @SerializedName("generation") Ref generationRef,
        String webUrl) {

    public String stackName() {
        return stack == null ? null : stack.name();
    }

    public Generation generation() {
        return Generation.of(generationRef);
    }
}
