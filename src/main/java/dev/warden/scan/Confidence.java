package dev.warden.scan;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How sure a rule is that the match is a live secret: high for a provider's distinctive format
 * (prefix, checksum, structure), medium for a secret-named assignment with a random-looking value,
 * low for a secret-named assignment with a weak value.
 */
public enum Confidence {
    HIGH,
    MEDIUM,
    LOW;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
