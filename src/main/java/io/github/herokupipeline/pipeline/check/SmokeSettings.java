package io.github.herokupipeline.pipeline.check;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The smoke check run on each target after its release succeeded.
 *
 * @param url an absolute URL, or a path resolved against the app's {@code web_url}; {@code {app}} is replaced by
 *     the app's name
 * @param expectedStatus accepted status codes, e.g. {@code 2xx} or {@code 200,204,3xx}
 * @param bodyPattern a regular expression the body must contain, or null; {@code {commit}} in it stands for the full
 *     SHA of the commit being deployed
 * @param timeout how long to keep retrying while the app boots
 * @param rollbackOnFailure roll the target back to the release it ran before this deploy when the check fails
 */
public record SmokeSettings(String url, String expectedStatus, String bodyPattern, Duration timeout,
        boolean rollbackOnFailure) {

    /** What stands for the deployed commit's full SHA in {@code bodyPattern}. */
    public static final String COMMIT = "{commit}";

    /** The body pattern for a deploy of {@code commit}, or null without one. */
    public Pattern bodyPatternFor(String commit) {
        return bodyPattern == null ? null : Pattern.compile(bodyPattern.replace(COMMIT, Pattern.quote(commit)));
    }

    /** True when the body pattern names the deployed commit, so only the new release can pass the check. */
    public boolean namesCommit() {
        return bodyPattern != null && bodyPattern.contains(COMMIT);
    }

    /**
     * Why {@code pattern} is not a usable body pattern, or null when it is: a regular expression once {@code {commit}}
     * stands for a SHA.
     */
    public static String patternProblem(String pattern) {
        try {
            Pattern.compile(pattern.replace(COMMIT, Pattern.quote("0".repeat(40))));
            return null;
        } catch (java.util.regex.PatternSyntaxException e) {
            return e.getDescription();
        }
    }

    /** True when {@code status} is one of the accepted codes. */
    public boolean accepts(int status) {
        for (String part : expectedStatus.split(",")) {
            String code = part.strip().toLowerCase(java.util.Locale.ROOT);
            if (code.length() == 3 && code.endsWith("xx") && Character.isDigit(code.charAt(0))
                    ? status / 100 == code.charAt(0) - '0'
                    : code.equals(Integer.toString(status))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why {@code url} (with {@code {app}} filled in as an app name would be) is not a smoke URL, or null when it is
     * one: an absolute http(s) URL with a host, or a path (resolved against the app's {@code web_url}). Checked
     * before any request, so a typo never shows up after a target has changed.
     */
    public static String urlProblem(String url) {
        if (url == null || url.isBlank()) {
            return "it is empty";
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(url.strip().replace("{app}", "app-name"));
        } catch (java.net.URISyntaxException e) {
            return e.getMessage();
        }
        if (uri.isAbsolute()) {
            String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return "the scheme is '" + uri.getScheme() + "', not http or https";
            }
            if (uri.getHost() == null) {
                return "it has no host";
            }
            return null;
        }
        if (uri.getRawAuthority() != null || uri.getRawPath() == null || uri.getRawPath().isEmpty()) {
            return "it is neither an absolute http(s) URL nor a path such as /health";
        }
        return null;
    }

    /** Checks the status list's form: codes like 200 or classes like 2xx, comma-separated. */
    public static boolean isValidStatusList(String value) {
        return value != null && value.strip().matches("[1-5](\\d\\d|xx)(\\s*,\\s*[1-5](\\d\\d|xx))*");
    }
}
