package dev.warden.inventory;

import dev.warden.store.Ids;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A non-human identity: who it is (kind, name, canonical external id, source), who answers for it
 * (business and technical owner, and where that ownership came from), what it serves (workload,
 * purpose, third-party vendor), when Warden saw it, and whether machines or a person use it
 * ({@code nature}, with the reason). {@code attributes} keeps source-specific facts (last use of a
 * role, service-linked, ...). A removed identity keeps its record with {@code removedAt}. {@code id} is assigned by the store and is
 * null on an identity not yet stored.
 *
 * <p>Canonical external ids: AWS principal → ARN; Kubernetes service account →
 * {@code system:serviceaccount:NS:NAME}; certificate → lower-case hex SHA-256 of the DER;
 * PostgreSQL role → {@code postgresql://HOST:PORT/ROLE} (see {@link ExternalIds}).
 */
public record Identity(
        String id,
        IdentityKind kind,
        String name,
        String externalId,
        Source source,
        String environment,
        String businessOwner,
        String technicalOwner,
        String ownershipProvenance,
        String workload,
        String purpose,
        IdentityStatus status,
        String thirdPartyVendor,
        Map<String, String> tags,
        Instant createdAt,
        Instant firstSeen,
        Instant lastSeen,
        Nature nature,
        String natureReason,
        Map<String, String> attributes,
        Instant removedAt) {

    /** An active machine identity without attributes. */
    public Identity(
            String id,
            IdentityKind kind,
            String name,
            String externalId,
            Source source,
            String environment,
            String businessOwner,
            String technicalOwner,
            String ownershipProvenance,
            String workload,
            String purpose,
            IdentityStatus status,
            String thirdPartyVendor,
            Map<String, String> tags,
            Instant createdAt,
            Instant firstSeen,
            Instant lastSeen) {
        this(
                id,
                kind,
                name,
                externalId,
                source,
                environment,
                businessOwner,
                technicalOwner,
                ownershipProvenance,
                workload,
                purpose,
                status,
                thirdPartyVendor,
                tags,
                createdAt,
                firstSeen,
                lastSeen,
                Nature.MACHINE,
                null,
                Map.of(),
                null);
    }

    public Identity {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        if (id != null) {
            Ids.requireValid("identity id", id);
        }
        name = InventoryText.required("name", name);
        externalId = InventoryText.required("externalId", externalId);
        environment = InventoryText.optional("environment", environment);
        businessOwner = InventoryText.optional("businessOwner", businessOwner);
        technicalOwner = InventoryText.optional("technicalOwner", technicalOwner);
        ownershipProvenance = InventoryText.optional("ownershipProvenance", ownershipProvenance);
        workload = InventoryText.optional("workload", workload);
        purpose = InventoryText.optional("purpose", purpose);
        thirdPartyVendor = InventoryText.optional("thirdPartyVendor", thirdPartyVendor);
        tags = InventoryText.tags("tags", tags);
        nature = nature == null ? Nature.MACHINE : nature;
        natureReason = InventoryText.optional("natureReason", natureReason);
        attributes = InventoryText.tags("attributes", attributes);
        if (lastSeen.isBefore(firstSeen)) {
            throw new IllegalArgumentException("lastSeen is before firstSeen");
        }
    }

    /** True when a business or technical owner is recorded. */
    public boolean hasOwner() {
        return businessOwner != null || technicalOwner != null;
    }

    public Identity withId(String newId) {
        return new Identity(
                newId,
                kind,
                name,
                externalId,
                source,
                environment,
                businessOwner,
                technicalOwner,
                ownershipProvenance,
                workload,
                purpose,
                status,
                thirdPartyVendor,
                tags,
                createdAt,
                firstSeen,
                lastSeen,
                nature,
                natureReason,
                attributes,
                removedAt);
    }

    public Identity withFirstSeen(Instant seen) {
        return new Identity(
                id,
                kind,
                name,
                externalId,
                source,
                environment,
                businessOwner,
                technicalOwner,
                ownershipProvenance,
                workload,
                purpose,
                status,
                thirdPartyVendor,
                tags,
                createdAt,
                seen,
                lastSeen,
                nature,
                natureReason,
                attributes,
                removedAt);
    }
}
