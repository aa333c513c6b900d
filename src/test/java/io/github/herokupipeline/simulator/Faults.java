package io.github.herokupipeline.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scripted misbehaviour: error answers and slow answers for requests matching a method and path pattern, streams
 * cut after some lines, promotion targets and builds that fail. Rules are used up as they fire.
 */
public final class Faults {

    /** What to do with a matching request. */
    record Rule(String method, String pathRegex, int status, String retryAfter, String body, long delayMillis,
            boolean dropConnection, int[] remaining) {}

    private final List<Rule> rules = new ArrayList<>();
    private final Map<String, Integer> streamCuts = new ConcurrentHashMap<>();
    private final Map<String, String> failingPromotionTargets = new ConcurrentHashMap<>();

    /** The next {@code times} matching requests get {@code status} with a Heroku error body. */
    public synchronized Faults failNext(String method, String pathRegex, int times, int status) {
        rules.add(new Rule(method, pathRegex, status, null, null, 0, false, new int[] {times}));
        return this;
    }

    /** The next {@code times} matching requests get 429 with {@code Retry-After: seconds}. */
    public synchronized Faults rateLimitNext(String method, String pathRegex, int times, int retryAfterSeconds) {
        rules.add(new Rule(method, pathRegex, 429, Integer.toString(retryAfterSeconds), null, 0, false,
                new int[] {times}));
        return this;
    }

    /** The next {@code times} matching requests get 429 with {@code Retry-After} exactly as given. */
    public synchronized Faults rateLimitNext(String method, String pathRegex, int times, String retryAfter) {
        rules.add(new Rule(method, pathRegex, 429, retryAfter, null, 0, false, new int[] {times}));
        return this;
    }

    /** The next {@code times} matching requests get {@code status} with a body that is not JSON (a proxy page). */
    public synchronized Faults failNextWithHtml(String method, String pathRegex, int times, int status) {
        rules.add(new Rule(method, pathRegex, status, null, "<html><body><h1>Bad Gateway</h1></body></html>", 0,
                false, new int[] {times}));
        return this;
    }

    /** The next {@code times} matching requests are answered only after {@code millis}. */
    public synchronized Faults delayNext(String method, String pathRegex, int times, long millis) {
        rules.add(new Rule(method, pathRegex, 0, null, null, millis, false, new int[] {times}));
        return this;
    }

    /** The next {@code times} matching requests lose their connection before any answer. */
    public synchronized Faults dropNext(String method, String pathRegex, int times) {
        rules.add(new Rule(method, pathRegex, 0, null, null, 0, true, new int[] {times}));
        return this;
    }

    /** The first read of the output stream of build or release {@code id} is cut after {@code lines} lines. */
    public Faults cutStream(String id, int lines) {
        streamCuts.put(id, lines);
        return this;
    }

    /** Promotions to this app fail with {@code errorMessage}. */
    public Faults failPromotionTo(String appName, String errorMessage) {
        failingPromotionTargets.put(appName, errorMessage);
        return this;
    }

    synchronized Rule match(String method, String path) {
        for (Rule rule : rules) {
            if (rule.remaining()[0] > 0 && rule.method().equals(method) && path.matches(rule.pathRegex())) {
                rule.remaining()[0]--;
                return rule;
            }
        }
        return null;
    }

    Integer takeStreamCut(String id) {
        return streamCuts.remove(id);
    }

    String promotionFailure(String appName) {
        return failingPromotionTargets.get(appName);
    }

    private final Map<String, Long> heldPromotions = new ConcurrentHashMap<>();

    /** The next promotion to this app is held back {@code millis} before it lands (another run may overtake it). */
    public Faults holdNextPromotionTo(String appName, long millis) {
        heldPromotions.put(appName, millis);
        return this;
    }

    long takePromotionHold(String appName) {
        Long millis = heldPromotions.remove(appName);
        return millis == null ? 0 : millis;
    }

    public synchronized void clear() {
        rules.clear();
        streamCuts.clear();
        failingPromotionTargets.clear();
    }
}
