package dev.warden.discovery;

import dev.warden.inventory.IdentityKind;
import java.util.Objects;

/**
 * A part of the inventory an import saw in full: identities of {@code kind} from source
 * {@code sourceType}/{@code scope} whose external id starts with {@code externalIdPrefix} (empty:
 * all). Such identities that the import did not return are marked removed.
 */
public record Coverage(String sourceType, String scope, IdentityKind kind, String externalIdPrefix) {
    public Coverage {
        Objects.requireNonNull(sourceType, "sourceType");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(kind, "kind");
        externalIdPrefix = externalIdPrefix == null ? "" : externalIdPrefix;
    }
}
