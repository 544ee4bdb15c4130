package dev.warden.posture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.input.ParseErrors;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.Page;
import dev.warden.inventory.Source;
import dev.warden.store.Database;
import dev.warden.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * SQL for findings and evaluation summaries. Writes take the caller's {@link Handle}, so that an
 * evaluation's reconciliation and its audit entry are one transaction. A finding's status is read
 * as it stands now: an accepted finding whose exception has expired reads as open.
 */
final class FindingStore {
    /** Largest page a listing returns. */
    static final int MAX_LIMIT = 1000;

    private static final ObjectMapper JSON = dev.warden.config.Json.mapper();
    private static final TypeReference<List<Evaluation.Count>> COUNTS = new TypeReference<>() {};
    private static final String EFFECTIVE_STATUS =
            "(CASE WHEN f.status = 'accepted' AND f.accepted_until <= :now THEN 'open' ELSE f.status END)";
    private static final String SELECT = "SELECT f.*, " + EFFECTIVE_STATUS + " AS effective_status,"
            + " i.kind AS i_kind, i.name AS i_name, i.external_id AS i_external_id,"
            + " i.source_type AS i_source_type, i.source_scope AS i_source_scope"
            + " FROM findings f LEFT JOIN identities i ON i.id = f.identity_id";

    private final Database db;
    private final Checks checks;

    FindingStore(Database db, Checks checks) {
        this.db = db;
        this.checks = checks;
    }

    /** What reconciliation needs of a stored finding (its content only as a digest). */
    record Stored(
            String id,
            FindingStatus status,
            String digest,
            Instant firstSeen,
            Instant lastSeen,
            Instant acceptedAt,
            Instant acceptedUntil,
            String acceptedReason,
            String acceptedBy) {}

    /** A finding as an evaluation writes it. */
    record Row(
            String id,
            String identityId,
            Check check,
            Detection detection,
            String credentialKind,
            String credentialExternalId,
            String credentialFingerprint,
            String evidence,
            String digest,
            FindingStatus status) {}

    /**
     * The stored findings of identities with ids after {@code after} (exclusive; null: from the
     * start) up to {@code last} (inclusive; null: to the end), by id. Consecutive ranges cover every
     * finding, including those of identities no longer in the inventory.
     */
    Map<String, Stored> forIdentities(Handle h, String after, String last) {
        Map<String, Stored> out = new HashMap<>();
        String where = after == null && last == null
                ? ""
                : " WHERE " + (after == null ? "" : "identity_id > :after")
                        + (after != null && last != null ? " AND " : "")
                        + (last == null ? "" : "identity_id <= :last");
        Query q = h.createQuery("SELECT id, status, digest, first_seen, last_seen, accepted_at, accepted_until,"
                + " accepted_reason, accepted_by FROM findings" + where);
        if (after != null) {
            q.bind("after", after);
        }
        if (last != null) {
            q.bind("last", last);
        }
        q.map((rs, ctx) -> new Stored(
                        rs.getString("id"),
                        FindingStatus.parse(rs.getString("status")),
                        rs.getString("digest"),
                        instant(rs, "first_seen"),
                        instant(rs, "last_seen"),
                        instant(rs, "accepted_at"),
                        instant(rs, "accepted_until"),
                        rs.getString("accepted_reason"),
                        rs.getString("accepted_by")))
                .forEach(s -> out.put(s.id(), s));
        return out;
    }

    private static final String INSERT =
            "INSERT INTO findings (id, identity_id, check_id, risk, severity, severity_rank,"
                    + " credential_id, credential_kind, credential_external_id, credential_fingerprint, summary, evidence, digest,"
                    + " status, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE findings SET severity = ?, severity_rank = ?, credential_kind = ?,"
            + " credential_external_id = ?, credential_fingerprint = ?, summary = ?, evidence = ?, digest = ?,"
            + " status = ?, resolved_at = NULL, last_seen = ? WHERE id = ?";
    private static final String RESOLVE =
            "UPDATE findings SET status = 'resolved', resolved_at = ?, last_seen = ? WHERE id = ?";

    // Evaluation writes use plain JDBC batches: a first evaluation of a million identities writes
    // millions of rows on one connection, and per-value binding through JDBI costs more than SQLite.

    /** Adds new findings, open, first and last seen {@code now}. */
    void insert(Handle h, List<Row> rows, Instant now) {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = h.getConnection().prepareStatement(INSERT)) {
            for (Row r : rows) {
                Detection d = r.detection();
                ps.setString(1, r.id());
                ps.setString(2, r.identityId());
                ps.setString(3, r.check().id());
                ps.setString(4, r.check().risk().value());
                ps.setString(5, d.severity().value());
                ps.setInt(6, d.severity().rank());
                ps.setString(7, d.credentialId());
                ps.setString(8, r.credentialKind());
                ps.setString(9, r.credentialExternalId());
                ps.setString(10, r.credentialFingerprint());
                ps.setString(11, d.summary());
                ps.setString(12, r.evidence());
                ps.setString(13, r.digest());
                ps.setString(14, r.status().value());
                ps.setLong(15, now.toEpochMilli());
                ps.setLong(16, now.toEpochMilli());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new StoreException("cannot write findings: " + e.getMessage(), e);
        }
    }

    /** Rewrites what an evaluation found of present findings (and reopens resolved or expired ones). */
    void update(Handle h, List<Row> rows, Instant now) {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = h.getConnection().prepareStatement(UPDATE)) {
            for (Row r : rows) {
                Detection d = r.detection();
                ps.setString(1, d.severity().value());
                ps.setInt(2, d.severity().rank());
                ps.setString(3, r.credentialKind());
                ps.setString(4, r.credentialExternalId());
                ps.setString(5, r.credentialFingerprint());
                ps.setString(6, d.summary());
                ps.setString(7, r.evidence());
                ps.setString(8, r.digest());
                ps.setString(9, r.status().value());
                ps.setLong(10, now.toEpochMilli());
                ps.setString(11, r.id());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new StoreException("cannot write findings: " + e.getMessage(), e);
        }
    }

    /** Marks findings resolved at {@code now}, last seen at {@code lastSeen} of each. */
    void resolve(Handle h, Map<String, Instant> lastSeenById, Instant now) {
        if (lastSeenById.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = h.getConnection().prepareStatement(RESOLVE)) {
            for (Map.Entry<String, Instant> e : lastSeenById.entrySet()) {
                ps.setLong(1, now.toEpochMilli());
                ps.setLong(2, e.getValue().toEpochMilli());
                ps.setString(3, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new StoreException("cannot write findings: " + e.getMessage(), e);
        }
    }

    /** Records an exception on a finding. */
    void accept(Handle h, String id, String reason, String by, Instant at, Instant until) {
        h.createUpdate("UPDATE findings SET status = 'accepted', accepted_reason = :reason, accepted_by = :by,"
                        + " accepted_at = :at, accepted_until = :until WHERE id = :id")
                .bind("id", id)
                .bind("reason", reason)
                .bind("by", by)
                .bind("at", at.toEpochMilli())
                .bind("until", until.toEpochMilli())
                .execute();
    }

    /** One finding as it stands at {@code now}. */
    Optional<Finding> get(Handle h, String id, String team, Instant now, Instant latestEvaluation) {
        Query q = h.createQuery(SELECT + " WHERE f.id = :id" + (team == null ? "" : TEAM))
                .bind("id", id)
                .bind("now", now.toEpochMilli());
        if (team != null) {
            q.bind("team", team);
        }
        return q.map((rs, ctx) -> finding(rs, latestEvaluation)).findOne();
    }

    private static final String TEAM = " AND (i.business_owner = :team OR i.technical_owner = :team)";

    /** A page of findings matching {@code filter}, most severe first, then by id. */
    Page<Finding> list(FindingFilter filter, String cursor, int limit, Instant now, Instant latestEvaluation) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        StringBuilder where = new StringBuilder(" WHERE " + EFFECTIVE_STATUS + " IN (<statuses>)");
        Map<String, Object> binds = new LinkedHashMap<>();
        if (filter.risk() != null) {
            where.append(" AND f.risk = :risk");
            binds.put("risk", filter.risk().value());
        }
        if (filter.minSeverity() != null) {
            where.append(" AND f.severity_rank >= :minRank");
            binds.put("minRank", filter.minSeverity().rank());
        }
        if (filter.identityId() != null) {
            where.append(" AND f.identity_id = :identityId");
            binds.put("identityId", filter.identityId());
        }
        if (filter.team() != null) {
            where.append(TEAM);
            binds.put("team", filter.team());
        }
        Object[] after = cursor == null || cursor.isEmpty() ? null : decodeCursor(cursor);
        if (after != null) {
            where.append(" AND (f.severity_rank < :afterRank OR (f.severity_rank = :afterRank AND f.id > :afterId))");
            binds.put("afterRank", after[0]);
            binds.put("afterId", after[1]);
        }
        List<Finding> rows = db.withHandle(h -> {
            Query q = h.createQuery(SELECT + where + " ORDER BY f.severity_rank DESC, f.id LIMIT :limit")
                    .bindList(
                            "statuses",
                            filter.statuses().stream().map(FindingStatus::value).toList())
                    .bind("now", now.toEpochMilli())
                    .bind("limit", limit + 1);
            binds.forEach(q::bind);
            return q.map((rs, ctx) -> finding(rs, latestEvaluation)).list();
        });
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<Finding> page = rows.subList(0, limit);
        Finding last = page.get(limit - 1);
        return new Page<>(page, encodeCursor(last.severity().rank(), last.id()));
    }

    static String encodeCursor(int rank, String id) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("f1:" + rank + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** {rank, id}; an IllegalArgumentException for a cursor this store did not make. */
    static Object[] decodeCursor(String cursor) {
        if (cursor.length() > 200) {
            throw new IllegalArgumentException("invalid cursor");
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cursor", e);
        }
        String[] parts = text.split(":", 3);
        if (parts.length != 3 || !parts[0].equals("f1") || !parts[1].matches("[0-4]") || !Finding.isValidId(parts[2])) {
            throw new IllegalArgumentException("invalid cursor");
        }
        return new Object[] {Integer.parseInt(parts[1]), parts[2]};
    }

    private Finding finding(ResultSet rs, Instant latestEvaluation) throws SQLException {
        String checkId = rs.getString("check_id");
        Optional<Check> check = checks.get(checkId);
        FindingStatus status = FindingStatus.parse(rs.getString("effective_status"));
        Instant lastSeen = instant(rs, "last_seen");
        if (status != FindingStatus.RESOLVED && latestEvaluation != null && latestEvaluation.isAfter(lastSeen)) {
            lastSeen = latestEvaluation;
        }
        String identityKind = rs.getString("i_kind");
        Finding.IdentityRef identity = new Finding.IdentityRef(
                rs.getString("identity_id"),
                identityKind == null ? null : IdentityKind.parse(identityKind),
                rs.getString("i_name"),
                rs.getString("i_external_id"),
                identityKind == null
                        ? null
                        : new Source(rs.getString("i_source_type"), rs.getString("i_source_scope")));
        String credentialId = rs.getString("credential_id");
        Finding.CredentialRef credential = credentialId == null
                ? null
                : new Finding.CredentialRef(
                        credentialId,
                        rs.getString("credential_kind") == null
                                ? null
                                : CredentialKind.parse(rs.getString("credential_kind")),
                        rs.getString("credential_external_id"),
                        rs.getString("credential_fingerprint"));
        Instant acceptedAt = instant(rs, "accepted_at");
        Finding.Acceptance acceptance = acceptedAt == null
                ? null
                : new Finding.Acceptance(
                        rs.getString("accepted_reason"),
                        rs.getString("accepted_by"),
                        acceptedAt,
                        instant(rs, "accepted_until"));
        return new Finding(
                rs.getString("id"),
                checkId,
                Risk.parse(rs.getString("risk")),
                check.map(Check::nist).orElse(List.of()),
                Severity.parse(rs.getString("severity")),
                status,
                identity,
                credential,
                rs.getString("summary"),
                EvidenceJson.read(rs.getString("evidence")),
                check.map(Check::remediation).orElse(null),
                instant(rs, "first_seen"),
                lastSeen,
                instant(rs, "resolved_at"),
                acceptance);
    }

    void insertEvaluation(Handle h, Evaluation e, String policyJson) {
        h.createUpdate("INSERT INTO posture_evaluations (id, at, as_of, actor, identities, evaluated, open_count,"
                        + " accepted_count, new_count, resolved_count, reopened_count, duration_ms, counts, policy)"
                        + " VALUES (:id, :at, :asOf, :actor, :identities, :evaluated, :open, :accepted, :fresh,"
                        + " :resolved, :reopened, :duration, :counts, :policy)")
                .bind("id", e.id())
                .bind("at", e.at().toEpochMilli())
                .bind("asOf", e.asOf().toEpochMilli())
                .bind("actor", e.actor())
                .bind("identities", e.identities())
                .bind("evaluated", e.evaluated())
                .bind("open", e.open())
                .bind("accepted", e.accepted())
                .bind("fresh", e.newFindings())
                .bind("resolved", e.resolved())
                .bind("reopened", e.reopened())
                .bind("duration", e.durationMs())
                .bind("counts", writeCounts(e.counts()))
                .bind("policy", policyJson)
                .execute();
    }

    /** The latest {@code limit} persisted evaluations, newest first. */
    List<Evaluation> evaluations(Handle h, int limit) {
        return h.createQuery("SELECT * FROM posture_evaluations ORDER BY at DESC, id DESC LIMIT :limit")
                .bind("limit", limit)
                .map((rs, ctx) -> new Evaluation(
                        rs.getString("id"),
                        instant(rs, "at"),
                        instant(rs, "as_of"),
                        rs.getString("actor"),
                        true,
                        rs.getLong("identities"),
                        rs.getLong("evaluated"),
                        rs.getLong("open_count"),
                        rs.getLong("accepted_count"),
                        rs.getLong("new_count"),
                        rs.getLong("resolved_count"),
                        rs.getLong("reopened_count"),
                        rs.getLong("duration_ms"),
                        readCounts(rs.getString("counts"))))
                .list();
    }

    /** An identity and how many current findings of the given checks it has, and the worst. */
    record Top(Finding.IdentityRef identity, long findings, Severity worst) {}

    /** The identities with the most severe, then most, current findings of {@code checkIds}. */
    List<Top> top(Handle h, List<String> checkIds, int limit, Instant now) {
        if (checkIds.isEmpty()) {
            return List.of();
        }
        // Group first, then look up only the few identities shown.
        return h.createQuery(
                        "SELECT t.identity_id, t.n, t.worst, i.kind AS i_kind, i.name AS i_name,"
                                + " i.external_id AS i_external_id, i.source_type AS i_source_type, i.source_scope AS i_source_scope"
                                + " FROM (SELECT identity_id, COUNT(*) AS n, MAX(severity_rank) AS worst FROM findings"
                                + " WHERE check_id IN (<checks>) AND status IN ('open', 'accepted') GROUP BY identity_id"
                                + " ORDER BY worst DESC, n DESC, identity_id LIMIT :limit) t"
                                + " LEFT JOIN identities i ON i.id = t.identity_id ORDER BY t.worst DESC, t.n DESC, t.identity_id")
                .bindList("checks", checkIds)
                .bind("limit", limit)
                .map((rs, ctx) -> {
                    String kind = rs.getString("i_kind");
                    return new Top(
                            new Finding.IdentityRef(
                                    rs.getString("identity_id"),
                                    kind == null ? null : IdentityKind.parse(kind),
                                    rs.getString("i_name"),
                                    rs.getString("i_external_id"),
                                    kind == null
                                            ? null
                                            : new Source(
                                                    rs.getString("i_source_type"), rs.getString("i_source_scope"))),
                            rs.getLong("n"),
                            Severity.ofRank(rs.getInt("worst")));
                })
                .list();
    }

    private static String writeCounts(List<Evaluation.Count> counts) {
        try {
            return JSON.writeValueAsString(counts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Evaluation.Count> readCounts(String json) {
        try {
            return JSON.readValue(json, COUNTS);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored evaluation counts are corrupt: " + ParseErrors.describe(e), e);
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
