package dev.warden.posture;

import dev.warden.inventory.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The estate-wide fact some checks need and no single record holds: which credentials (same
 * external id, or same fingerprint) are recorded on more than one machine identity. Read once per
 * evaluation, as of its instant, with two grouped index scans; memory grows with the shared
 * credentials only.
 */
final class SharedCredentials {
    private final Map<String, List<SharedCredential>> byIdentity;

    private SharedCredentials(Map<String, List<SharedCredential>> byIdentity) {
        this.byIdentity = byIdentity;
    }

    List<SharedCredential> of(String identityId) {
        return byIdentity.getOrDefault(identityId, List.of());
    }

    int size() {
        return byIdentity.size();
    }

    private record Member(String credentialId, SharedCredential.Holder holder) {}

    static SharedCredentials load(Handle h, Instant asOf) {
        Map<String, List<Member>> groups = new LinkedHashMap<>();
        for (String column : new String[] {"external_id", "fingerprint"}) {
            h.createQuery("SELECT c.id AS credential_id, c." + column + " AS shared_key, i.id AS identity_id, i.name,"
                            + " i.environment, i.workload, i.source_type, i.source_scope"
                            + " FROM credentials c JOIN identities i ON i.id = c.identity_id"
                            + " WHERE c." + column + " IN (SELECT " + column + " FROM credentials WHERE " + column
                            + " IS NOT NULL GROUP BY " + column + " HAVING COUNT(*) > 1)"
                            + " AND (c.created_at IS NULL OR c.created_at <= :asOf)"
                            + " AND i.first_seen <= :asOf AND (i.removed_at IS NULL OR i.removed_at > :asOf)"
                            + " AND COALESCE(i.nature_override, i.nature) = 'machine'")
                    .bind("asOf", asOf.toEpochMilli())
                    .map((rs, ctx) -> Map.entry(
                            column + ":" + rs.getString("shared_key"),
                            new Member(
                                    rs.getString("credential_id"),
                                    new SharedCredential.Holder(
                                            rs.getString("identity_id"),
                                            rs.getString("name"),
                                            rs.getString("environment"),
                                            rs.getString("workload"),
                                            new Source(rs.getString("source_type"), rs.getString("source_scope"))))))
                    .forEach(e -> groups.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                            .add(e.getValue()));
        }
        Map<String, Map<String, SharedCredential>> merged = new HashMap<>();
        for (Map.Entry<String, List<Member>> g : groups.entrySet()) {
            List<Member> members = g.getValue();
            if (members.stream().map(m -> m.holder().identityId()).distinct().count() < 2) {
                continue;
            }
            String key = g.getKey().substring(g.getKey().indexOf(':') + 1);
            List<SharedCredential.Holder> holders =
                    members.stream().map(Member::holder).distinct().toList();
            for (Member m : members) {
                Map<String, SharedCredential> mine =
                        merged.computeIfAbsent(m.holder().identityId(), k -> new LinkedHashMap<>());
                SharedCredential before = mine.get(m.credentialId());
                if (before == null) {
                    mine.put(m.credentialId(), new SharedCredential(m.credentialId(), key, holders));
                } else {
                    List<SharedCredential.Holder> all = new ArrayList<>(before.holders());
                    holders.stream().filter(x -> !all.contains(x)).forEach(all::add);
                    mine.put(m.credentialId(), new SharedCredential(m.credentialId(), before.key(), all));
                }
            }
        }
        Map<String, List<SharedCredential>> out = new HashMap<>();
        merged.forEach((id, m) -> out.put(id, List.copyOf(m.values())));
        return new SharedCredentials(out);
    }
}
