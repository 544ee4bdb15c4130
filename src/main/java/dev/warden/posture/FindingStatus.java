package dev.warden.posture;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.warden.input.Echo;
import java.util.Locale;

/**
 * Where a finding stands: open (present and not excepted), accepted (present, under a valid
 * exception), resolved (no longer present since {@code resolvedAt}).
 */
public enum FindingStatus {
    OPEN,
    ACCEPTED,
    RESOLVED;

    private final String value = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String value() {
        return value;
    }

    public static FindingStatus parse(String text) {
        String key = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (FindingStatus s : values()) {
            if (s.value().equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "unknown status '" + Echo.shown(text) + "' (expected one of open, accepted, resolved, all)");
    }
}
