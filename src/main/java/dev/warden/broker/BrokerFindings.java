package dev.warden.broker;

import dev.warden.store.Database;
import dev.warden.store.Ids;
import dev.warden.store.JsonColumns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads what the broker raised on workloads ({@code broker_findings}: refused subject-token
 * replays), for posture to weigh. The broker writes them in {@link DecisionRecorder}; this only reads.
 */
public final class BrokerFindings {
    private static final int CHUNK = 500;

    private final Database db;

    public BrokerFindings(Database db) {
        this.db = db;
    }

    /** One recorded event: no subject token, only fingerprints, the attestor and the source address. */
    public record Event(
            String id, String identityId, String workload, String kind, Instant at, Map<String, String> evidence) {}

    /** The events on any of {@code identityIds} at or before {@code asOf}, newest first. */
    public List<Event> forIdentities(Collection<String> identityIds, Instant asOf) {
        List<String> ids = identityIds.stream().filter(Ids::isValid).distinct().toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Event> out = new ArrayList<>();
        db.withHandle(h -> {
            for (int i = 0; i < ids.size(); i += CHUNK) {
                h.createQuery("SELECT id, identity_id, workload, kind, evidence, at FROM broker_findings"
                                + " WHERE identity_id IN (<ids>) AND at <= :asOf ORDER BY at DESC, id DESC")
                        .bindList("ids", ids.subList(i, Math.min(ids.size(), i + CHUNK)))
                        .bind("asOf", asOf.toEpochMilli())
                        .map((rs, ctx) -> new Event(
                                rs.getString("id"),
                                rs.getString("identity_id"),
                                rs.getString("workload"),
                                rs.getString("kind"),
                                Instant.ofEpochMilli(rs.getLong("at")),
                                JsonColumns.readStringMap(rs.getString("evidence"))))
                        .forEach(out::add);
            }
            return null;
        });
        return out;
    }
}
