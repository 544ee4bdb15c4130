package dev.warden.posture;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.warden.input.Echo;
import java.util.Locale;

/** How urgent a finding is, lowest first; {@link #rank()} orders them (info 0 ... critical 4). */
public enum Severity {
    INFO,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    private final String value = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String value() {
        return value;
    }

    public int rank() {
        return ordinal();
    }

    /** One level up, critical staying critical. */
    public Severity raised() {
        return this == CRITICAL ? CRITICAL : values()[ordinal() + 1];
    }

    public boolean atLeast(Severity other) {
        return ordinal() >= other.ordinal();
    }

    public static Severity max(Severity a, Severity b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    public static Severity ofRank(int rank) {
        if (rank < 0 || rank >= values().length) {
            throw new IllegalArgumentException("no severity of rank " + rank);
        }
        return values()[rank];
    }

    public static Severity parse(String text) {
        String key = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (Severity s : values()) {
            if (s.value().equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "unknown severity '" + Echo.shown(text) + "' (expected one of info, low, medium, high, critical)");
    }
}
