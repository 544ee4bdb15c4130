package dev.warden.inventory;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One identity with its credentials, entitlements and trusts: the unit the inventory loads and
 * shows. {@code complete} says which parts the record carries in full: a load replaces those and
 * keeps what is stored for the others (a credential report knows keys but not policies). When
 * {@link Part#IDENTITY} is missing, stored identity fields are kept where the record has none.
 */
public record IdentityRecord(
        Identity identity,
        List<Credential> credentials,
        List<Entitlement> entitlements,
        List<Trust> trusts,
        Set<Part> complete) {

    /** The parts of a record a source may know in full. */
    public enum Part {
        IDENTITY,
        CREDENTIALS,
        ENTITLEMENTS,
        TRUSTS
    }

    public IdentityRecord {
        Objects.requireNonNull(identity, "identity");
        credentials = List.copyOf(credentials);
        entitlements = List.copyOf(entitlements);
        trusts = List.copyOf(trusts);
        complete = complete.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(complete));
    }

    /** A record that carries everything about the identity (and has no trusts). */
    public IdentityRecord(Identity identity, List<Credential> credentials, List<Entitlement> entitlements) {
        this(identity, credentials, entitlements, List.of(), EnumSet.allOf(Part.class));
    }

    /** A record that carries everything about the identity. */
    public static IdentityRecord whole(
            Identity identity, List<Credential> credentials, List<Entitlement> entitlements, List<Trust> trusts) {
        return new IdentityRecord(identity, credentials, entitlements, trusts, EnumSet.allOf(Part.class));
    }

    public boolean isComplete(Part part) {
        return complete.contains(part);
    }
}
