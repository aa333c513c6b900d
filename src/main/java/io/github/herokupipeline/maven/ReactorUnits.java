package io.github.herokupipeline.maven;

import io.github.herokupipeline.pipeline.common.Reporter;
import io.github.herokupipeline.pipeline.common.Waiting;
import io.github.herokupipeline.pipeline.prepare.PreparationInProgress;
import io.github.herokupipeline.pipeline.promote.PromoteSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.maven.execution.MavenSession;
import org.eclipse.aether.SessionData;

/**
 * What the modules of one Maven run share about their deployment units: which unit each prepared, and the
 * promotions that run once every module has finished. A deployment unit is one prepare app with one source (prepare), or one
 * prepare app with one set of targets (promote): modules that configure the same unit share one run of the goal,
 * modules with different ones each get their own. Kept in the session's data, so every module's execution (also
 * under {@code -T}) sees the same object.
 */
final class ReactorUnits {

    private final Map<String, String> preparedBy = new ConcurrentHashMap<>();
    private final Map<String, PendingPromotion> promotions = new LinkedHashMap<>();
    private final List<HandedOn> inProgress = new ArrayList<>();
    private final AtomicBoolean guarded = new AtomicBoolean();

    /** Prepare work that went on after its goal returned, with the connection its failures are told through. */
    record HandedOn(PreparationInProgress work, Connection connection) {}

    /** A promotion registered by a module, run once every module has finished. */
    record PendingPromotion(String unit, String module, PromoteSettings settings, Connection connection,
            Reporter reporter, Waiting waiting) {}

    static ReactorUnits of(MavenSession session) {
        // keyed by the class, so another version of the plugin in the same run keeps its own
        SessionData data = session.getRepositorySession().getData();
        while (true) {
            Object existing = data.get(ReactorUnits.class);
            if (existing != null) {
                return (ReactorUnits) existing;
            }
            ReactorUnits created = new ReactorUnits();
            if (data.set(ReactorUnits.class, null, created)) {
                return created;
            }
        }
    }

    /** Claims the prepare of {@code unit} for {@code module}; returns the module that claimed it before, or null. */
    String claimPrepare(String unit, String module) {
        return preparedBy.putIfAbsent(unit, module);
    }

    /** The units prepared in this run, with the module that prepared each. */
    Map<String, String> prepared() {
        return Map.copyOf(preparedBy);
    }

    /** Takes over prepare work that goes on after its goal returned; promote or the end of the session awaits it. */
    synchronized void handOn(PreparationInProgress work, Connection connection) {
        inProgress.add(new HandedOn(work, connection));
    }

    /** The prepare work of {@code prepareApp} handed on in this run. */
    synchronized List<PreparationInProgress> inProgress(String prepareApp) {
        return inProgress.stream().map(HandedOn::work).filter(work -> work.app().equals(prepareApp)).toList();
    }

    /** All prepare work handed on in this run. */
    synchronized List<HandedOn> inProgress() {
        return List.copyOf(inProgress);
    }

    /** True for the first caller only: the one that installs the guard at the end of the session. */
    boolean claimGuard() {
        return guarded.compareAndSet(false, true);
    }

    /** Registers a promotion; returns the module that registered the same unit before, or null. */
    synchronized String register(PendingPromotion promotion) {
        PendingPromotion earlier = promotions.putIfAbsent(promotion.unit(), promotion);
        return earlier == null ? null : earlier.module();
    }

    /** The registered promotions, in the order their modules reached deploy; each is handed out once. */
    synchronized List<PendingPromotion> takePromotions() {
        List<PendingPromotion> all = new ArrayList<>(promotions.values());
        promotions.clear();
        return all;
    }
}
