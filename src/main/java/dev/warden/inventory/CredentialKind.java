package dev.warden.inventory;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What kind of secret or key material a credential is (Warden stores only its metadata). */
public enum CredentialKind {
    ACCESS_KEY,
    PASSWORD,
    API_KEY,
    TOKEN,
    CERTIFICATE,
    SSH_KEY,
    CLIENT_SECRET;

    /** The wire and storage form, lower snake case. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static CredentialKind parse(String text) {
        return InventoryText.parseEnum(CredentialKind.class, "credential kind", text);
    }
}
