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
        return toBuilder().id(newId).build();
    }

    public Identity withFirstSeen(Instant seen) {
        return toBuilder().firstSeen(seen).build();
    }

    /**
     * A builder of an identity of {@code kind} named {@code name}, known in {@code source} as
     * {@code externalId}. Until set otherwise it is not stored (no id), active, a machine, and has
     * no owner, tags or attributes; first and last seen are required ({@link Builder#seen}).
     */
    public static Builder builder(IdentityKind kind, String name, String externalId, Source source) {
        return new Builder(kind, name, externalId, source);
    }

    /** A builder that starts from every field of this identity. */
    public Builder toBuilder() {
        Builder b = new Builder(kind, name, externalId, source);
        b.id = id;
        b.environment = environment;
        b.businessOwner = businessOwner;
        b.technicalOwner = technicalOwner;
        b.ownershipProvenance = ownershipProvenance;
        b.workload = workload;
        b.purpose = purpose;
        b.status = status;
        b.thirdPartyVendor = thirdPartyVendor;
        b.tags = tags;
        b.createdAt = createdAt;
        b.firstSeen = firstSeen;
        b.lastSeen = lastSeen;
        b.nature = nature;
        b.natureReason = natureReason;
        b.attributes = attributes;
        b.removedAt = removedAt;
        return b;
    }

    /**
     * Names the fields of an identity instead of passing 21 in order; {@link #build} validates them
     * as the record's constructor does.
     */
    public static final class Builder {
        private final IdentityKind kind;
        private final String name;
        private final String externalId;
        private final Source source;
        private String id;
        private String environment;
        private String businessOwner;
        private String technicalOwner;
        private String ownershipProvenance;
        private String workload;
        private String purpose;
        private IdentityStatus status = IdentityStatus.ACTIVE;
        private String thirdPartyVendor;
        private Map<String, String> tags = Map.of();
        private Instant createdAt;
        private Instant firstSeen;
        private Instant lastSeen;
        private Nature nature = Nature.MACHINE;
        private String natureReason;
        private Map<String, String> attributes = Map.of();
        private Instant removedAt;

        private Builder(IdentityKind kind, String name, String externalId, Source source) {
            this.kind = kind;
            this.name = name;
            this.externalId = externalId;
            this.source = source;
        }

        /** The store's id; null for an identity not yet stored. */
        public Builder id(String v) {
            id = v;
            return this;
        }

        public Builder environment(String v) {
            environment = v;
            return this;
        }

        public Builder businessOwner(String v) {
            businessOwner = v;
            return this;
        }

        public Builder technicalOwner(String v) {
            technicalOwner = v;
            return this;
        }

        /** Where the ownership came from (a tag, a label, a CODEOWNERS file, a policy). */
        public Builder ownershipProvenance(String v) {
            ownershipProvenance = v;
            return this;
        }

        /** Both owners and where that ownership came from, at once. */
        public Builder owners(String business, String technical, String provenance) {
            businessOwner = business;
            technicalOwner = technical;
            ownershipProvenance = provenance;
            return this;
        }

        public Builder workload(String v) {
            workload = v;
            return this;
        }

        public Builder purpose(String v) {
            purpose = v;
            return this;
        }

        public Builder status(IdentityStatus v) {
            status = v;
            return this;
        }

        public Builder thirdPartyVendor(String v) {
            thirdPartyVendor = v;
            return this;
        }

        public Builder tags(Map<String, String> v) {
            tags = v;
            return this;
        }

        /** When the source says the identity was created; null when it does not say. */
        public Builder createdAt(Instant v) {
            createdAt = v;
            return this;
        }

        public Builder firstSeen(Instant v) {
            firstSeen = v;
            return this;
        }

        public Builder lastSeen(Instant v) {
            lastSeen = v;
            return this;
        }

        /** First and last seen at {@code at}: what one discovery saw. */
        public Builder seen(Instant at) {
            firstSeen = at;
            lastSeen = at;
            return this;
        }

        /** Whether machines or a person use it, and why Warden thinks so (may be null). */
        public Builder nature(Nature v, String reason) {
            nature = v;
            natureReason = reason;
            return this;
        }

        public Builder attributes(Map<String, String> v) {
            attributes = v;
            return this;
        }

        public Builder removedAt(Instant v) {
            removedAt = v;
            return this;
        }

        public Identity build() {
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
                    firstSeen,
                    lastSeen,
                    nature,
                    natureReason,
                    attributes,
                    removedAt);
        }
    }
}
