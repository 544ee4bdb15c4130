package dev.warden.inventory;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Lifecycle state of a credential. */
public enum CredentialStatus {
    ACTIVE,
    INACTIVE,
    EXPIRED,
    REVOKED;

    /** The wire and storage form, lower snake case. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static CredentialStatus parse(String text) {
        return InventoryText.parseEnum(CredentialStatus.class, "credential status", text);
    }
}
