package dev.warden.inventory;

import dev.warden.audit.AuditLog;
import dev.warden.store.Database;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The inventory as the CLI and the API use it: load identities (each load one transaction with its
 * audit entry), list, show and count them.
 */
public final class Inventory {
    /** Records written per store batch during a load. */
    static final int BATCH = 2_000;

    private final Database db;
    private final InventoryStore store;
    private final AuditLog audit;
    private final Clock clock;

    public Inventory(Database db, AuditLog audit, Clock clock) {
        this.db = db;
        this.store = new InventoryStore(db);
        this.audit = audit;
        this.clock = clock;
    }

    /** What a load did. */
    public record LoadResult(int added, int updated) {
        public int total() {
            return added + updated;
        }
    }

    /**
     * Inserts or updates {@code records} in one transaction, audited as {@code action} by
     * {@code actor}; on any error nothing is written.
     */
    public LoadResult load(List<IdentityRecord> records, String actor, String action, Map<String, String> details) {
        Set<String> keys = new HashSet<>();
        for (IdentityRecord r : records) {
            if (!keys.add(InventoryStore.key(r.identity()))) {
                throw new IllegalArgumentException(
                        "identity '" + InventoryText.shown(r.identity().externalId()) + "' from "
                                + r.identity().source() + " appears twice in one load");
            }
        }
        return db.inTransaction(h -> {
            int added = 0;
            int updated = 0;
            for (int i = 0; i < records.size(); i += BATCH) {
                InventoryStore.UpsertResult r =
                        store.upsert(h, records.subList(i, Math.min(records.size(), i + BATCH)), clock.instant());
                added += r.added();
                updated += r.updated();
            }
            Map<String, String> auditDetails = new LinkedHashMap<>(details);
            auditDetails.put("added", Integer.toString(added));
            auditDetails.put("updated", Integer.toString(updated));
            audit.append(h, actor, action, "inventory", "identities", auditDetails);
            return new LoadResult(added, updated);
        });
    }

    public Page<Identity> list(IdentityFilter filter, String cursor, int limit) {
        return store.list(filter, cursor, limit);
    }

    /** An identity by id, or by external id when that names exactly one identity. */
    public Optional<IdentityRecord> show(String idOrExternalId, String team) {
        if (Ids.isValid(idOrExternalId)) {
            Optional<IdentityRecord> byId = store.get(idOrExternalId, team);
            if (byId.isPresent()) {
                return byId;
            }
        }
        IdentityFilter f = new IdentityFilter(null, null, null, null, null, null, null, idOrExternalId, team);
        List<Identity> matches = store.list(f, null, 10).items();
        if (matches.size() > 1) {
            throw new AmbiguousIdentityException(idOrExternalId, matches);
        }
        return matches.isEmpty() ? Optional.empty() : store.get(matches.get(0).id(), team);
    }

    public InventoryStats stats(IdentityFilter filter) {
        return store.stats(filter);
    }

    public long count() {
        return store.count();
    }

    /** An external id that names identities in several sources (a service account in two clusters). */
    public static final class AmbiguousIdentityException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        AmbiguousIdentityException(String externalId, List<Identity> matches) {
            super("'" + InventoryText.shown(externalId) + "' names " + matches.size()
                    + " identities; use one of their ids: "
                    + String.join(
                            ", ",
                            matches.stream()
                                    .map(i -> i.id() + " (" + i.source() + ")")
                                    .toList()));
        }
    }
}
