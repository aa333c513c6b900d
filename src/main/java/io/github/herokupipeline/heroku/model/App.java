package io.github.herokupipeline.heroku.model;

import com.google.gson.annotations.SerializedName;

/** {@code GET /apps/{app}}: the fields the plugin reads. */
public record App(String id, String name, Ref stack, Ref buildStack, @SerializedName("generation") Ref generationRef,
        String webUrl, Ref region, Ref team, Ref space) {

    public App(String id, String name, Ref stack, Ref buildStack, Ref generationRef, String webUrl) {
        this(id, name, stack, buildStack, generationRef, webUrl, null, null, null);
    }

    public String stackName() {
        return stack == null ? null : stack.name();
    }

    /** The stack the next build uses; after {@code stack:set} it differs from {@link #stackName()} until then. */
    public String buildStackName() {
        return buildStack == null || buildStack.name() == null ? stackName() : buildStack.name();
    }

    public Generation generation() {
        return Generation.of(generationRef);
    }

    public String regionName() {
        return region == null ? null : region.name();
    }

    public String teamName() {
        return team == null ? null : team.name();
    }

    public String spaceName() {
        return space == null ? null : space.name();
    }

    /** The body of {@code POST /apps}: an app of the key's own account. */
    public record CreateRequest(String name, String region, String stack) {}

    /** The body of {@code POST /teams/apps}: an app of a team, in a space when {@code space} is given. */
    public record TeamCreateRequest(String name, String team, String region, String space, String stack) {}

    /** The body of {@code PATCH /apps/{app}} that changes the stack of the next build. */
    public record BuildStackUpdate(String buildStack) {}
}
