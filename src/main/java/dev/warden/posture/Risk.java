package dev.warden.posture;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.warden.input.Echo;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The OWASP Non-Human Identities Top 10 (2025) risk a finding belongs to, plus {@link #LIFECYCLE}
 * for expiry warnings that are no OWASP risk of their own.
 */
public enum Risk {
    NHI1("Improper Offboarding"),
    NHI2("Secret Leakage"),
    NHI3("Vulnerable Third-Party NHI"),
    NHI4("Insecure Authentication"),
    NHI5("Overprivileged NHI"),
    NHI6("Insecure Cloud Deployment Configurations"),
    NHI7("Long-Lived Secrets"),
    NHI8("Environment Isolation"),
    NHI9("NHI Reuse"),
    NHI10("Human Use of NHI"),
    LIFECYCLE("Credential expiry");

    private final String title;

    Risk(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    /** The wire and storage form: {@code NHI1} ... {@code NHI10}, {@code LIFECYCLE}. */
    @JsonValue
    public String value() {
        return name();
    }

    /** Parses {@code nhi3}, {@code NHI3} or {@code lifecycle}; anything else is a one-line error. */
    public static Risk parse(String text) {
        String key = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        for (Risk r : values()) {
            if (r.name().equals(key)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown risk '" + Echo.shown(text)
                + "' (expected one of "
                + Arrays.stream(values()).map(Risk::name).collect(Collectors.joining(", "))
                + ")");
    }
}
