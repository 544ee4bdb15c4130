package dev.warden.inventory;

import dev.warden.audit.AuditLog;
import dev.warden.input.Echo;
import dev.warden.store.Database;
import dev.warden.store.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The inventory as every other capability uses it: load identities (each load one transaction with
 * its audit entry), list, show and count them; keep one identity current in the caller's
 * transaction (the broker); and read the whole inventory page by page (the posture evaluation).
 * The SQL lives in package-private classes beside it: {@link InventoryWrites} (reconciliation),
 * {@link InventoryQueries} (reads and counts), {@link IdentityRows} (row mapping).
 */
public final class Inventory {
    /** Largest page a listing returns. */
    public static final int MAX_LIMIT = 1000;

    /** Records written per store batch during a load. */
    static final int BATCH = 2_000;

    private final Database db;
    private final InventoryQueries queries;
    private final AuditLog audit;
    private final Clock clock;

    public Inventory(Database db, AuditLog audit, Clock clock) {
        this.db = db;
        this.queries = new InventoryQueries(db);
        this.audit = audit;
        this.clock = clock;
    }

    /** What a load did: identities added, changed, and seen again unchanged. */
    public record LoadResult(int added, int updated, int unchanged) {
        public int total() {
            return added + updated + unchanged;
        }
    }

    /**
     * Inserts or updates {@code records} in one transaction, audited as {@code action} by
     * {@code actor}; on any error nothing is written.
     */
    public LoadResult load(List<IdentityRecord> records, String actor, String action, Map<String, String> details) {
        Set<String> keys = new HashSet<>();
        for (IdentityRecord r : records) {
            if (!keys.add(InventoryWrites.key(r.identity()))) {
                throw new IllegalArgumentException(
                        "identity '" + Echo.shown(r.identity().externalId()) + "' from "
                                + r.identity().source() + " appears twice in one load");
            }
        }
        return db.inTransaction(h -> {
            LoadResult r = load(h, records, null);
            Map<String, String> auditDetails = new LinkedHashMap<>(details);
            auditDetails.put("added", Integer.toString(r.added()));
            auditDetails.put("updated", Integer.toString(r.updated()));
            auditDetails.put("unchanged", Integer.toString(r.unchanged()));
            audit.append(h, actor, action, "inventory", "identities", auditDetails);
            return r;
        });
    }

    /**
     * Loads {@code records} in the caller's transaction (the caller audits), marking them as seen by
     * import {@code importId} (may be null).
     */
    public LoadResult load(Handle h, List<IdentityRecord> records, String importId) {
        Set<String> keys = new HashSet<>();
        for (IdentityRecord r : records) {
            if (!keys.add(InventoryWrites.key(r.identity()))) {
                throw new IllegalArgumentException(
                        "identity '" + Echo.shown(r.identity().externalId()) + "' from "
                                + r.identity().source() + " appears twice in one load");
            }
        }
        int added = 0;
        int updated = 0;
        int unchanged = 0;
        for (int i = 0; i < records.size(); i += BATCH) {
            InventoryWrites.UpsertResult r = InventoryWrites.upsert(
                    h, records.subList(i, Math.min(records.size(), i + BATCH)), clock.instant(), importId);
            added += r.added();
            updated += r.updated();
            unchanged += r.unchanged();
        }
        return new LoadResult(added, updated, unchanged);
    }

    /**
     * Marks removed, in the caller's transaction, the identities of {@code kind} from
     * {@code sourceType}/{@code scope} (external id starting with {@code prefix}) that import
     * {@code importId} did not see.
     */
    public int markRemoved(
            Handle h, String sourceType, String scope, IdentityKind kind, String prefix, String importId) {
        return InventoryWrites.markRemoved(h, sourceType, scope, kind, prefix, importId, clock.instant());
    }

    /**
     * Inserts or updates one identity in the caller's transaction, keeping its credentials and
     * entitlements: for services that keep an identity current as they see it (the broker, on each
     * issuance). On update the stored id and first-seen time stay, a null owner keeps the stored
     * owner (with its provenance), and tags are merged with the given ones winning. Not audited (the
     * caller audits what it did). Returns the identity's id.
     */
    public String touch(Handle h, Identity identity, Instant now) {
        return InventoryWrites.touch(h, identity, now);
    }

    /**
     * Records a person's classification of an identity as machine or human (null clears it); it
     * outlives re-imports. Audited.
     */
    public Identity classify(String idOrExternalId, Nature nature, String reason, String actor) {
        if (nature != null && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("a reason is required to classify an identity");
        }
        String why = nature == null ? null : InventoryText.required("reason", reason) + " (by " + actor + ")";
        Identity identity = show(idOrExternalId, null)
                .orElseThrow(() -> new IllegalArgumentException("no identity '" + Echo.shown(idOrExternalId) + "'"))
                .identity();
        db.inTransaction(h -> {
            InventoryWrites.overrideNature(h, identity.id(), nature, why);
            Map<String, String> d = new LinkedHashMap<>();
            d.put("nature", nature == null ? "cleared" : nature.value());
            if (reason != null) {
                d.put("reason", reason);
            }
            audit.append(h, actor, "identity.classify", "identity", identity.id(), d);
            return null;
        });
        return queries.get(identity.id(), null).orElseThrow().identity();
    }

    public Page<Identity> list(IdentityFilter filter, String cursor, int limit) {
        return queries.list(filter, cursor, limit);
    }

    /** An identity by id, or by external id when that names exactly one identity. */
    public Optional<IdentityRecord> show(String idOrExternalId, String team) {
        if (Ids.isValid(idOrExternalId)) {
            Optional<IdentityRecord> byId = queries.get(idOrExternalId, team);
            if (byId.isPresent()) {
                return byId;
            }
        }
        IdentityFilter f = new IdentityFilter(null, null, null, null, null, null, null, idOrExternalId, team, null);
        List<Identity> matches = queries.list(f, null, 10).items();
        if (matches.size() > 1) {
            throw new AmbiguousIdentityException(idOrExternalId, matches);
        }
        return matches.isEmpty() ? Optional.empty() : queries.get(matches.get(0).id(), team);
    }

    public InventoryStats stats(IdentityFilter filter) {
        return queries.stats(filter);
    }

    public long count() {
        return queries.count();
    }

    /**
     * The last id of every run of {@code pageSize} identities in id order, read on the caller's
     * handle: page {@code k} is the ids after end {@code k-1} up to end {@code k}, so that pages can
     * be read independently, in parallel (see {@link #records}).
     */
    public List<String> pageEnds(Handle h, int pageSize) {
        return queries.pageEnds(h, pageSize);
    }

    /**
     * The whole records (identity, credentials, entitlements, trusts) with ids after {@code after}
     * (exclusive; null: from the start) up to {@code last} (inclusive), in id order, read on the
     * caller's handle.
     */
    public List<IdentityRecord> records(Handle h, String after, String last) {
        return queries.records(h, after, last);
    }

    /** An external id that names identities in several sources (a service account in two clusters). */
    public static final class AmbiguousIdentityException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        AmbiguousIdentityException(String externalId, List<Identity> matches) {
            super("'" + Echo.shown(externalId) + "' names " + matches.size()
                    + " identities; use one of their ids: "
                    + String.join(
                            ", ",
                            matches.stream()
                                    .map(i -> i.id() + " (" + i.source() + ")")
                                    .toList()));
        }
    }
}
