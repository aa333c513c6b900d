package io.github.herokupipeline.heroku.model;

/** {@code POST /sources}: a one-off upload location and the URL Heroku will download it from. */
public record Source(Blob sourceBlob) {

    public String putUrl() {
        return sourceBlob.putUrl();
    }

    public String getUrl() {
        return sourceBlob.getUrl();
    }

    public record Blob(String getUrl, String putUrl) {}
}
