package dev.warden.scan;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How bad a hit is: critical when it leaks an active credential of a known identity. */
public enum Severity {
    CRITICAL(9.5, "error"),
    HIGH(8.0, "error"),
    MEDIUM(5.5, "warning"),
    LOW(3.0, "note");

    private final double score;
    private final String sarifLevel;

    Severity(double score, String sarifLevel) {
        this.score = score;
        this.sarifLevel = sarifLevel;
    }

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The CVSS-like score code-scanning UIs read from {@code properties.security-severity}. */
    public double score() {
        return score;
    }

    /** The SARIF result level. */
    public String sarifLevel() {
        return sarifLevel;
    }

    public static Severity parse(String text) {
        for (Severity s : values()) {
            if (s.value().equals(text == null ? "" : text.strip().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown severity '" + text + "' (expected critical, high, medium, low)");
    }
}
