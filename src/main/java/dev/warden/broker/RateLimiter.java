package dev.warden.broker;

import dev.warden.config.ConfigNode;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Token buckets in front of the OAuth endpoints, checked before a request body is read or a
 * signature verified: one bucket per source address and one global bucket. A request passes when
 * both hold a token; otherwise the caller is told how long to wait ({@code Retry-After}). Buckets
 * refill continuously from the injected clock.
 *
 * <p>Memory is bounded: at most {@link Settings#maxSources()} source buckets are kept, least
 * recently used first out. A source evicted by a flood from more addresses than that starts again
 * with a full bucket, which the global bucket still caps.
 */
public final class RateLimiter {
    private final Settings settings;
    private final Clock clock;
    private final Bucket global;
    private final Map<String, Bucket> sources;

    /**
     * {@code broker.rateLimit} of {@code warden.yaml}.
     *
     * @param enabled false turns every check off
     * @param perSourceRate requests per second one source address may sustain
     * @param perSourceBurst requests one source may send at once
     * @param globalRate requests per second the whole server accepts on the OAuth endpoints
     * @param globalBurst the global bucket's size
     * @param maxSources source buckets kept in memory (least recently used evicted)
     * @param auditWindow denials from one source are audited once per window, then counted
     * @param maxAuditedDenials full deny entries per window across all sources; the rest are counted
     */
    public record Settings(
            boolean enabled,
            int perSourceRate,
            int perSourceBurst,
            int globalRate,
            int globalBurst,
            int maxSources,
            Duration auditWindow,
            int maxAuditedDenials) {
        private static final Set<String> KEYS =
                Set.of("enabled", "perSource", "global", "maxSources", "auditWindow", "maxAuditedDenials");
        private static final Set<String> BUCKET_KEYS = Set.of("rate", "burst");

        public static final Settings DEFAULTS =
                new Settings(true, 50, 100, 5_000, 5_000, 65_536, Duration.ofMinutes(1), 1_000);

        public Settings {
            if (perSourceRate < 1 || perSourceBurst < 1 || globalRate < 1 || globalBurst < 1) {
                throw new IllegalArgumentException("rates and bursts must be at least 1");
            }
            if (maxSources < 1) {
                throw new IllegalArgumentException("maxSources must be at least 1");
            }
            if (maxAuditedDenials < 0) {
                throw new IllegalArgumentException("maxAuditedDenials must not be negative");
            }
            if (auditWindow.isNegative() || auditWindow.isZero()) {
                throw new IllegalArgumentException("auditWindow must be positive");
            }
        }

        /** Reads {@code rateLimit} (absent: the defaults), naming the bad key on error. */
        static Settings from(ConfigNode c) {
            if (!c.isPresent()) {
                return DEFAULTS;
            }
            c.allowOnly(KEYS);
            ConfigNode src = c.child("perSource").allowOnly(BUCKET_KEYS);
            ConfigNode all = c.child("global").allowOnly(BUCKET_KEYS);
            int max = 10_000_000;
            int srcRate = src.integer("rate", DEFAULTS.perSourceRate, 1, max);
            int allRate = all.integer("rate", DEFAULTS.globalRate, 1, max);
            Duration window = c.duration("auditWindow", DEFAULTS.auditWindow);
            if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofDays(1)) > 0) {
                throw c.error("auditWindow", "must be between 1s and 1d");
            }
            return new Settings(
                    c.bool("enabled", true),
                    srcRate,
                    src.integer("burst", Math.max(DEFAULTS.perSourceBurst, srcRate), 1, max),
                    allRate,
                    all.integer("burst", Math.max(DEFAULTS.globalBurst, allRate), 1, max),
                    c.integer("maxSources", DEFAULTS.maxSources, 1, 10_000_000),
                    window,
                    c.integer("maxAuditedDenials", DEFAULTS.maxAuditedDenials, 0, 1_000_000));
        }
    }

    public RateLimiter(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.global = new Bucket(settings.globalBurst(), clock.millis());
        int max = settings.maxSources();
        this.sources = new LinkedHashMap<>(1024, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > max;
            }
        };
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Takes a token for one request from {@code source}: 0 when it may proceed, otherwise the
     * whole seconds (at least 1) after which a retry can succeed. A refused request takes nothing.
     */
    public long acquire(String source) {
        if (!settings.enabled()) {
            return 0;
        }
        long now = clock.millis();
        String key = source == null ? "" : source;
        synchronized (this) {
            Bucket b = sources.get(key);
            if (b == null) {
                b = new Bucket(settings.perSourceBurst(), now);
                sources.put(key, b);
            }
            b.refill(now, settings.perSourceRate(), settings.perSourceBurst());
            global.refill(now, settings.globalRate(), settings.globalBurst());
            if (b.tokens < 1) {
                return b.secondsUntilOne(settings.perSourceRate());
            }
            if (global.tokens < 1) {
                return global.secondsUntilOne(settings.globalRate());
            }
            b.tokens -= 1;
            global.tokens -= 1;
            return 0;
        }
    }

    /** Source buckets held now (at most {@link Settings#maxSources()}). */
    synchronized int trackedSources() {
        return sources.size();
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        void refill(long now, int rate, int burst) {
            if (now > at) {
                tokens = Math.min(burst, tokens + (now - at) * rate / 1000.0);
                at = now;
            }
        }

        long secondsUntilOne(int rate) {
            return Math.max(1, (long) Math.ceil((1 - tokens) / rate));
        }
    }
}
