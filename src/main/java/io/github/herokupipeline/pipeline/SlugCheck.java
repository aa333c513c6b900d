package io.github.herokupipeline.pipeline;

import io.github.herokupipeline.heroku.HerokuClient;
import io.github.herokupipeline.heroku.Slug;
import java.io.IOException;

/**
 * The one check both goals trust before calling a slug "this commit": the slug's {@code commit}, which Heroku
 * takes from the build's {@code source_blob.version}, equals the full SHA.
 */
public final class SlugCheck {

    private final HerokuClient heroku;

    public SlugCheck(HerokuClient heroku) {
        this.heroku = heroku;
    }

    /** The slug's commit, or null when the app or release has no slug. */
    public String commitOf(String app, String slugId) throws IOException {
        if (slugId == null) {
            return null;
        }
        Slug slug = heroku.getSlug(app, slugId);
        return slug.commit();
    }

    public boolean isCommit(String app, String slugId, String sha) throws IOException {
        return sha.equalsIgnoreCase(String.valueOf(commitOf(app, slugId)));
    }
}
