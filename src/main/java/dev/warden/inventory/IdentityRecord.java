package dev.warden.inventory;

import java.util.List;
import java.util.Objects;

/** One identity with its credentials and entitlements: the unit the inventory loads and shows. */
public record IdentityRecord(Identity identity, List<Credential> credentials, List<Entitlement> entitlements) {
    public IdentityRecord {
        Objects.requireNonNull(identity, "identity");
        credentials = List.copyOf(credentials);
        entitlements = List.copyOf(entitlements);
    }
}
