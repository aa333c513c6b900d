package io.github.herokupipeline.simulator;

import java.time.Instant;
import java.util.Map;

/**
 * One request the simulator received ({@code received}) and answered ({@code at}). Headers are kept with
 * lower-case names, except {@code authorization}, which is never stored: {@link #authorized()} says whether one was
 * sent.
 */
public record RecordedRequest(
        Instant received, Instant at, String method, String path, String query, Map<String, String> headers, boolean authorized,
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

    /**
     * How many round trips the client waited for one after another: the most requests of {@code requests} that
     * did not overlap in time (each received after the one before was answered). With a latency per request far
     * above the work between requests, this is the length of the client's longest chain of dependent requests.
     */
    public static int sequentialRoundTrips(java.util.List<RecordedRequest> requests) {
        java.util.List<RecordedRequest> byEnd = new java.util.ArrayList<>(requests);
        byEnd.sort(java.util.Comparator.comparing(RecordedRequest::at));
        int count = 0;
        Instant free = Instant.MIN;
        for (RecordedRequest request : byEnd) {
            if (!request.received().isBefore(free)) {
                count++;
                free = request.at();
            }
        }
        return count;
    }
}
