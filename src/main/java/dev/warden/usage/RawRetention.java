package dev.warden.usage;

import dev.warden.config.ConfigException;
import java.time.Duration;

/**
 * How long raw usage events (one row per event, with resource and error code) are kept; the daily
 * aggregates posture reads are kept for good whatever this says. Set with the environment variable
 * {@value #ENV}, a whole number of days: {@code 0} keeps no raw events at all (aggregates only,
 * the cheapest ingestion), unset means {@link #DEFAULT_DAYS} days. Read once at start.
 */
public record RawRetention(int days) {
    public static final String ENV = "WARDEN_USAGE_RAW_RETENTION_DAYS";
    public static final int DEFAULT_DAYS = 30;
    public static final int MAX_DAYS = 3_650;
    public static final RawRetention DEFAULT = new RawRetention(DEFAULT_DAYS);

    public RawRetention {
        if (days < 0 || days > MAX_DAYS) {
            throw new ConfigException(ENV + " must be a whole number of days from 0 (keep no raw events) to " + MAX_DAYS
                    + ", not " + days);
        }
    }

    /** Parses {@code value} (null or blank: the default), naming {@value #ENV} when it is bad. */
    public static RawRetention parse(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        String v = value.strip();
        if (v.isEmpty() || v.length() > 4 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ConfigException(ENV + " must be a whole number of days from 0 (keep no raw events) to " + MAX_DAYS
                    + ", not '" + (value.length() > 40 ? value.substring(0, 40) + "…" : value) + "'");
        }
        return new RawRetention(Integer.parseInt(v));
    }

    /** From the process environment. */
    public static RawRetention fromEnvironment() {
        return parse(System.getenv(ENV));
    }

    /** True when no raw event is kept. */
    public boolean keepsNone() {
        return days == 0;
    }

    public Duration duration() {
        return Duration.ofDays(days);
    }

    @Override
    public String toString() {
        return days == 0 ? "0 days (no raw events kept, aggregates only)" : days + " days";
    }
}
