package dev.warden.broker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Keeps a flood of denied requests from growing the audit log without bound. Time is cut into
 * windows of {@link RateLimiter.Settings#auditWindow()}; in each window the first denial from a
 * source address is audited in full (up to {@link RateLimiter.Settings#maxAuditedDenials()} sources),
 * later ones from that source — and requests refused by the rate limiter — are only counted, and
 * when the window has passed one {@code broker.deny_summary} entry records the counts (total,
 * distinct sources, the busiest sources). Allowed exchanges never pass through here: each is
 * audited on its own.
 *
 * <p>So a window adds at most {@code maxAuditedDenials + 1} denial entries, whatever the flood.
 * Counted sources are bounded too ({@link #MAX_COUNTED}); beyond that they are only summed.
 */
final class DenialAudit {
    static final String SUMMARY_ACTION = "broker.deny_summary";
    static final int MAX_COUNTED = 10_000;
    private static final int TOP = 20;

    private final Clock clock;
    private final long windowMillis;
    private final int maxAudited;
    private final Consumer<DecisionRecorder.Entry> sink;

    private long window = Long.MIN_VALUE;
    private final Map<String, Long> suppressed = new HashMap<>();
    private final Map<String, Boolean> audited = new HashMap<>();
    private long suppressedTotal;
    private long uncounted;
    private long rateLimited;

    DenialAudit(Clock clock, Duration window, int maxAudited, Consumer<DecisionRecorder.Entry> sink) {
        this.clock = clock;
        this.windowMillis = window.toMillis();
        this.maxAudited = maxAudited;
        this.sink = sink;
    }

    /** A denial from {@code source}: true when it is to be audited in full, false when counted. */
    boolean admit(String source) {
        String key = source == null ? "" : source;
        DecisionRecorder.Entry summary;
        boolean full;
        synchronized (this) {
            summary = roll();
            if (!audited.containsKey(key) && audited.size() < maxAudited) {
                audited.put(key, Boolean.TRUE);
                full = true;
            } else {
                count(key);
                full = false;
            }
        }
        emit(summary);
        return full;
    }

    /** A request the rate limiter refused: counted into the window's summary. */
    void rateLimited(String source) {
        DecisionRecorder.Entry summary;
        synchronized (this) {
            summary = roll();
            rateLimited++;
        }
        emit(summary);
    }

    /** Writes the summary of a window that has passed (the periodic tick and shutdown call this). */
    void flush() {
        DecisionRecorder.Entry summary;
        synchronized (this) {
            summary = roll();
        }
        emit(summary);
    }

    private void count(String key) {
        suppressedTotal++;
        Long n = suppressed.get(key);
        if (n != null) {
            suppressed.put(key, n + 1);
        } else if (suppressed.size() < MAX_COUNTED) {
            suppressed.put(key, 1L);
        } else {
            uncounted++;
        }
    }

    /** When the clock has left the current window: its summary (null if nothing was counted), reset. */
    private DecisionRecorder.Entry roll() {
        long w = Math.floorDiv(clock.millis(), windowMillis);
        if (w == window) {
            return null;
        }
        DecisionRecorder.Entry summary = null;
        if (window != Long.MIN_VALUE && (suppressedTotal > 0 || rateLimited > 0)) {
            Map<String, String> d = new LinkedHashMap<>();
            d.put("decision", "deny");
            d.put("windowStart", Instant.ofEpochMilli(window * windowMillis).toString());
            d.put("windowEnd", Instant.ofEpochMilli((window + 1) * windowMillis).toString());
            d.put("suppressedDenials", Long.toString(suppressedTotal));
            d.put("rateLimited", Long.toString(rateLimited));
            d.put("sources", Integer.toString(suppressed.size()));
            d.put("uncountedSources", Long.toString(uncounted));
            d.put(
                    "topSources",
                    suppressed.entrySet().stream()
                            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                            .limit(TOP)
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(" ")));
            summary =
                    new DecisionRecorder.Entry("system:broker", "aggregate", null, null, null, null, SUMMARY_ACTION, d);
        }
        window = w;
        suppressed.clear();
        audited.clear();
        suppressedTotal = 0;
        uncounted = 0;
        rateLimited = 0;
        return summary;
    }

    private void emit(DecisionRecorder.Entry summary) {
        if (summary != null) {
            sink.accept(summary);
        }
    }
}
