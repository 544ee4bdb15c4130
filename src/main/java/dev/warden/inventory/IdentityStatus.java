package dev.warden.inventory;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Lifecycle state of an identity; removed means it disappeared from its source. */
public enum IdentityStatus {
    ACTIVE,
    DISABLED,
    REMOVED;

    /** The wire and storage form, lower snake case. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static IdentityStatus parse(String text) {
        return InventoryText.parseEnum(IdentityStatus.class, "identity status", text);
    }
}
