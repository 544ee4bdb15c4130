package dev.warden.scan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.audit.AuditLog;
import dev.warden.config.Json;
import dev.warden.keys.SecretBox;
import dev.warden.store.Database;
import dev.warden.store.Ids;
import dev.warden.store.StoreException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Scans as the store keeps them: each hit linked to the inventory and recorded with its keyed
 * fingerprint and redacted preview (never the secret), one transaction per scan with its audit
 * entry. The fingerprint key is made on first use and kept in the store's settings, sealed by the
 * store's {@link SecretBox}, so every server sharing a PostgreSQL store fingerprints alike.
 * {@link Scans} runs scans and records them here; {@link #leaksForIdentity} is what an identity's
 * detail shows; {@link #leaksFor} is what posture's NHI2 check reads.
 */
public final class ScanLedger {
    /** Where earlier versions kept the key in clear; migrated on first use. */
    static final String CLEAR_SETTING = "scan.fingerprint_key";
    /** The key sealed by the store's SecretBox. */
    static final String SEALED_SETTING = "scan.fingerprint_key.sealed";

    static final String SEALED_CONTEXT = "settings:scan.fingerprint_key";
    private static final ObjectMapper MAPPER = Json.mapper();
    private static final int LOOKUP_CHUNK = 500;

    private final Database db;
    private final AuditLog audit;
    private final Clock clock;
    private final InventoryLinker linker;
    private final Supplier<SecretBox> boxes;
    private volatile Fingerprinter fingerprinter;

    public ScanLedger(Database db, AuditLog audit, Clock clock, Supplier<SecretBox> boxes) {
        this.db = db;
        this.boxes = boxes;
        this.audit = audit;
        this.clock = clock;
        this.linker = new InventoryLinker(db);
    }

    /**
     * The store's fingerprinter. Its key is made on first use and kept sealed by the store's
     * {@link SecretBox} (context {@value #SEALED_CONTEXT}); a key left in clear by an older
     * version is sealed and its clear row deleted on first use, keeping the same key so earlier
     * fingerprints and baselines still match.
     */
    public Fingerprinter fingerprinter() {
        Fingerprinter f = fingerprinter;
        if (f == null) {
            SecretBox box = boxes.get();
            byte[] key = db.inTransaction(h -> {
                db.lock(h, SEALED_SETTING);
                String sealed = setting(h, SEALED_SETTING);
                if (sealed != null) {
                    return box.open(sealed, SEALED_CONTEXT);
                }
                String clear = setting(h, CLEAR_SETTING);
                byte[] k = clear != null ? Base64.getDecoder().decode(clear.strip()) : Fingerprinter.randomKey();
                h.createUpdate("INSERT INTO settings (name, value) VALUES (:n, :v)")
                        .bind("n", SEALED_SETTING)
                        .bind("v", box.seal(k, SEALED_CONTEXT))
                        .execute();
                h.createUpdate("DELETE FROM settings WHERE name = :n")
                        .bind("n", CLEAR_SETTING)
                        .execute();
                return k;
            });
            f = new Fingerprinter(key, "store");
            fingerprinter = f;
        }
        return f;
    }

    private static String setting(Handle h, String name) {
        return h.createQuery("SELECT value FROM settings WHERE name = :n")
                .bind("n", name)
                .mapTo(String.class)
                .findOne()
                .orElse(null);
    }

    /** What {@link #record} stored: the scan id and the hits as linked (severity raised where it applies). */
    record Recorded(String scanId, List<Hit> hits, int linked) {}

    /**
     * Links {@code report}'s hits to the inventory and stores the scan, in one transaction with its
     * audit entry. The hits' fingerprints must come from {@link #fingerprinter()}.
     */
    Recorded record(Report report, String actor) {
        String scanId = Ids.next();
        Instant now = clock.instant();
        return db.inTransaction(h -> {
            List<Hit> out = new ArrayList<>();
            List<Hit> rows = new ArrayList<>();
            int linked = 0;
            for (Hit scanned : report.hits()) {
                Hit hit = derivedLink(scanned);
                List<InventoryLinker.Target> targets = hit.link() == null ? List.of() : linker.targets(h, hit.link());
                if (targets.isEmpty()) {
                    out.add(hit);
                    rows.add(hit);
                    continue;
                }
                linked++;
                Hit first = null;
                for (InventoryLinker.Target t : targets) {
                    Severity s = t.active() && hit.confidence() != Confidence.LOW ? Severity.CRITICAL : hit.severity();
                    Hit l = hit.linked(t.identityId(), t.credentialId(), s);
                    rows.add(l);
                    if (first == null || s.ordinal() < first.severity().ordinal()) {
                        first = l;
                    }
                }
                out.add(first);
            }
            h.createUpdate("INSERT INTO scans (id, started_at, finished_at, actor, mode, targets, summary, hit_count,"
                            + " linked_count) VALUES (:id, :started, :finished, :actor, :mode, :targets, :summary, :hits,"
                            + " :linked)")
                    .bind("id", scanId)
                    .bind("started", report.startedAt().toEpochMilli())
                    .bind("finished", report.finishedAt().toEpochMilli())
                    .bind("actor", actor)
                    .bind("mode", report.mode())
                    .bind("targets", json(report.targets()))
                    .bind("summary", json(report.summary()))
                    .bind("hits", report.hits().size())
                    .bind("linked", linked)
                    .execute();
            insertHits(h, scanId, rows, now);
            Map<String, String> details = new LinkedHashMap<>();
            details.put("mode", report.mode());
            details.put("hits", Integer.toString(report.hits().size()));
            details.put("linked", Integer.toString(linked));
            audit.append(h, actor, "scan.record", "scan", scanId, details);
            return new Recorded(scanId, out, linked);
        });
    }

    /** A private key whose public point the file leaves out gets it recomputed, now that it can link. */
    private static Hit derivedLink(Hit hit) {
        if (hit.link() != null || hit.secret() == null || !hit.rule().equals("private-key")) {
            return hit;
        }
        return KeyMaterial.linkKeyDeriving(hit.secret()).map(hit::withLink).orElse(hit);
    }

    private static void insertHits(Handle h, String scanId, List<Hit> rows, Instant now) {
        if (rows.isEmpty()) {
            return;
        }
        PreparedBatch b = h.prepareBatch("INSERT INTO scan_hits (scan_id, fingerprint, rule_id, severity, confidence,"
                + " redacted, path, line, col, commit_id, author, committed_at, present_at_head, link_type, link_value,"
                + " identity_id, credential_id, found_at) VALUES (:scan, :fp, :rule, :severity, :confidence, :redacted,"
                + " :path, :line, :col, :commit, :author, :committedAt, :present, :linkType, :linkValue, :identity,"
                + " :credential, :now)");
        for (Hit hit : rows) {
            b.bind("scan", scanId)
                    .bind("fp", hit.fingerprint())
                    .bind("rule", hit.rule())
                    .bind("severity", hit.severity().value())
                    .bind("confidence", hit.confidence().value())
                    .bind("redacted", hit.redacted())
                    .bind("path", hit.path())
                    .bind("line", hit.line())
                    .bind("col", hit.column())
                    .bind("commit", hit.commit())
                    .bind("author", hit.author())
                    .bind("committedAt", hit.date() == null ? null : hit.date().toEpochMilli())
                    .bind("present", hit.presentAtHead() == null ? null : hit.presentAtHead() ? 1 : 0)
                    .bind(
                            "linkType",
                            hit.link() == null ? null : hit.link().type().name().toLowerCase(Locale.ROOT))
                    .bind("linkValue", hit.link() == null ? null : hit.link().value())
                    .bind("identity", hit.identityId())
                    .bind("credential", hit.credentialId())
                    .bind("now", now.toEpochMilli())
                    .add();
        }
        b.execute();
    }

    /** A stored scan with its hits (for a team-scoped reader, only hits linked to the team's identities). */
    public record StoredScan(
            String id,
            Instant startedAt,
            Instant finishedAt,
            String actor,
            String mode,
            JsonNode targets,
            JsonNode summary,
            int hitCount,
            int linkedCount,
            List<Leak> findings) {}

    public Optional<StoredScan> get(String id, String team) {
        if (!Ids.isValid(id)) {
            return Optional.empty();
        }
        return db.withHandle(h -> h.createQuery("SELECT * FROM scans WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> new StoredScan(
                        rs.getString("id"),
                        Instant.ofEpochMilli(rs.getLong("started_at")),
                        Instant.ofEpochMilli(rs.getLong("finished_at")),
                        rs.getString("actor"),
                        rs.getString("mode"),
                        tree(rs.getString("targets")),
                        tree(rs.getString("summary")),
                        rs.getInt("hit_count"),
                        rs.getInt("linked_count"),
                        List.of()))
                .findOne()
                .map(s -> new StoredScan(
                        s.id(),
                        s.startedAt(),
                        s.finishedAt(),
                        s.actor(),
                        s.mode(),
                        s.targets(),
                        s.summary(),
                        s.hitCount(),
                        s.linkedCount(),
                        hits(h, id, team))));
    }

    private static List<Leak> hits(Handle h, String scanId, String team) {
        String sql = "SELECT s.* FROM scan_hits s"
                + (team == null
                        ? " WHERE s.scan_id = :scan"
                        : " JOIN identities i ON i.id = s.identity_id WHERE s.scan_id = :scan"
                                + " AND (i.business_owner = :team OR i.technical_owner = :team)")
                + " ORDER BY s.id";
        var q = h.createQuery(sql).bind("scan", scanId);
        if (team != null) {
            q.bind("team", team);
        }
        return q.map((rs, ctx) -> leak(rs)).list();
    }

    /** The leaks linked to an identity: the latest sighting of each fingerprint, most severe first. */
    public List<Leak> leaksForIdentity(String identityId) {
        if (!Ids.isValid(identityId)) {
            return List.of();
        }
        List<Leak> all = db.withHandle(h -> h.createQuery(
                        "SELECT * FROM scan_hits WHERE identity_id = :id ORDER BY found_at DESC, id DESC LIMIT 1000")
                .bind("id", identityId)
                .map((rs, ctx) -> leak(rs))
                .list());
        Map<String, Leak> latest = new LinkedHashMap<>();
        for (Leak l : all) {
            latest.putIfAbsent(l.fingerprint() + "|" + l.credentialId(), l);
        }
        List<Leak> out = new ArrayList<>(latest.values());
        out.sort(Comparator.comparingInt((Leak l) -> l.severity().ordinal())
                .thenComparing(Leak::foundAt, Comparator.reverseOrder()));
        return out;
    }

    /**
     * The leaks linked to any of {@code identityIds} that were found at or before {@code asOf}: the
     * latest sighting of each secret (fingerprint and credential) per identity. This is what posture's
     * NHI2 check reads, one page of identities at a time; memory is bounded by what it returns.
     */
    public List<Leak> leaksFor(Collection<String> identityIds, Instant asOf) {
        List<String> ids = identityIds.stream().filter(Ids::isValid).distinct().toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, Leak> latest = new LinkedHashMap<>();
        db.withHandle(h -> {
            for (int i = 0; i < ids.size(); i += LOOKUP_CHUNK) {
                h.createQuery("SELECT * FROM scan_hits WHERE identity_id IN (<ids>) AND found_at <= :asOf"
                                + " ORDER BY found_at DESC, id DESC")
                        .bindList("ids", ids.subList(i, Math.min(ids.size(), i + LOOKUP_CHUNK)))
                        .bind("asOf", asOf.toEpochMilli())
                        .map((rs, ctx) -> leak(rs))
                        .forEach(l ->
                                latest.putIfAbsent(l.identityId() + "|" + l.fingerprint() + "|" + l.credentialId(), l));
            }
            return null;
        });
        return new ArrayList<>(latest.values());
    }

    private static Leak leak(ResultSet rs) throws SQLException {
        long committed = rs.getLong("committed_at");
        boolean noCommitTime = rs.wasNull();
        int present = rs.getInt("present_at_head");
        boolean noPresent = rs.wasNull();
        return new Leak(
                rs.getString("scan_id"),
                rs.getString("fingerprint").strip(),
                rs.getString("rule_id"),
                Severity.parse(rs.getString("severity")),
                Confidence.valueOf(rs.getString("confidence").toUpperCase(Locale.ROOT)),
                rs.getString("redacted"),
                rs.getString("path"),
                rs.getInt("line"),
                rs.getInt("col"),
                rs.getString("commit_id"),
                rs.getString("author"),
                noCommitTime ? null : Instant.ofEpochMilli(committed),
                noPresent ? null : present == 1,
                rs.getString("link_type"),
                rs.getString("link_value"),
                rs.getString("identity_id"),
                rs.getString("credential_id"),
                Instant.ofEpochMilli(rs.getLong("found_at")));
    }

    private static String json(Object o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON column", e);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored scan JSON column is corrupt", e);
        }
    }
}
