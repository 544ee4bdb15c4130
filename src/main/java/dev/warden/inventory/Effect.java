package dev.warden.inventory;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether an entitlement grants or denies the action. */
public enum Effect {
    ALLOW,
    DENY;

    /** The wire and storage form, lower snake case. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Effect parse(String text) {
        return InventoryText.parseEnum(Effect.class, "effect", text);
    }
}
