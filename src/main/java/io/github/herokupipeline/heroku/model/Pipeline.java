package io.github.herokupipeline.heroku.model;

import com.google.gson.annotations.SerializedName;

/** A pipeline; promotions move releases between the apps coupled to it, which share one generation. */
public record Pipeline(String id, String name, @SerializedName("generation") Ref generationRef) {

    public Generation generation() {
        return Generation.of(generationRef);
    }
}
