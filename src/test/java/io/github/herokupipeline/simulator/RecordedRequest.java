package io.github.herokupipeline.simulator;

import java.time.Instant;
import java.util.Map;

/**
 * One request the simulator received. Headers are kept with lower-case names, except {@code authorization},
 * which is never stored: {@link #authorized()} says whether one was sent.
 */
public record RecordedRequest(
        Instant at, String method, String path, String query, Map<String, String> headers, boolean authorized,
        String body, int status, String response) {

    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** True for requests to the Platform API itself, not to the blob store, output streams or web apps. */
    public boolean isApi() {
        return !path.startsWith("/blobs/") && !path.startsWith("/streams/") && !path.startsWith("/web/");
    }

    public boolean is(String method, String pathRegex) {
        return this.method.equals(method) && path.matches(pathRegex);
    }

    @Override
    public String toString() {
        return method + " " + path + (query == null ? "" : "?" + query) + " -> " + status;
    }
}
