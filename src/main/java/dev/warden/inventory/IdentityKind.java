package dev.warden.inventory;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What kind of non-human identity this is. */
public enum IdentityKind {
    CLOUD_USER,
    CLOUD_ROLE,
    KUBERNETES_SERVICE_ACCOUNT,
    CI_INTEGRATION,
    OAUTH_CLIENT,
    API_KEY,
    CERTIFICATE,
    SSH_KEY,
    DATABASE_ROLE,
    WORKLOAD;

    /** The wire and storage form, lower snake case. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static IdentityKind parse(String text) {
        return InventoryText.parseEnum(IdentityKind.class, "identity kind", text);
    }
}
