package dev.warden.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.warden.store.Database;
import dev.warden.store.JsonColumns;
import dev.warden.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;

/**
 * The append-only, hash-chained audit log. Each entry's hash covers its fields and the previous
 * entry's hash, and sequence numbers are dense, so editing, deleting or reordering any entry breaks
 * the chain at that entry. Entries are appended inside the caller's transaction, so a change and
 * its audit entry land together or not at all; appends are serialised across processes.
 */
public final class AuditLog {
    /** The previous-hash of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    private final Database db;
    private final Clock clock;

    public AuditLog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Appends an entry in the transaction of {@code h}. */
    public AuditEntry append(
            Handle h, String actor, String action, String targetType, String targetId, Map<String, String> details) {
        db.lock(h, "warden.audit");
        Map.Entry<Long, String> head = h.createQuery("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .map((rs, ctx) -> Map.entry(rs.getLong("seq"), rs.getString("hash")))
                .findOne()
                .orElse(Map.entry(0L, GENESIS));
        long seq = head.getKey() + 1;
        Instant at = clock.instant();
        String detailsJson = JsonColumns.write(details);
        String hash = hash(seq, at.toEpochMilli(), actor, action, targetType, targetId, detailsJson, head.getValue());
        h.createUpdate(
                        "INSERT INTO audit_log (seq, at, actor, action, target_type, target_id, details, prev_hash, hash)"
                                + " VALUES (:seq, :at, :actor, :action, :targetType, :targetId, :details, :prev, :hash)")
                .bind("seq", seq)
                .bind("at", at.toEpochMilli())
                .bind("actor", actor)
                .bind("action", action)
                .bind("targetType", targetType)
                .bind("targetId", targetId)
                .bind("details", detailsJson)
                .bind("prev", head.getValue())
                .bind("hash", hash)
                .execute();
        return new AuditEntry(seq, at, actor, action, targetType, targetId, details, head.getValue(), hash);
    }

    /** An entry to append: who did what to which target, with details (never secrets). */
    public record Pending(
            String actor, String action, String targetType, String targetId, Map<String, String> details) {}

    /**
     * Appends several entries, in order, in the transaction of {@code h}: one read of the chain's
     * head and one batched insert, for writers that record many events at once.
     */
    public void appendAll(Handle h, List<Pending> entries) {
        if (entries.isEmpty()) {
            return;
        }
        db.lock(h, "warden.audit");
        Map.Entry<Long, String> head = h.createQuery("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .map((rs, ctx) -> Map.entry(rs.getLong("seq"), rs.getString("hash")))
                .findOne()
                .orElse(Map.entry(0L, GENESIS));
        long seq = head.getKey();
        String prev = head.getValue();
        long at = clock.instant().toEpochMilli();
        // Plain JDBC: the broker's group commit appends one entry per token exchange through here,
        // and per-row named-parameter binding cost more than the insert itself.
        try (PreparedStatement ps = h.getConnection()
                .prepareStatement(
                        "INSERT INTO audit_log (seq, at, actor, action, target_type, target_id, details, prev_hash,"
                                + " hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Pending e : entries) {
                seq++;
                String detailsJson = JsonColumns.write(e.details());
                String hash = hash(seq, at, e.actor(), e.action(), e.targetType(), e.targetId(), detailsJson, prev);
                ps.setLong(1, seq);
                ps.setLong(2, at);
                ps.setString(3, e.actor());
                ps.setString(4, e.action());
                ps.setString(5, e.targetType());
                ps.setString(6, e.targetId());
                ps.setString(7, detailsJson);
                ps.setString(8, prev);
                ps.setString(9, hash);
                ps.addBatch();
                prev = hash;
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new StoreException("cannot append to the audit log: " + e.getMessage(), e);
        }
    }

    /** Appends an entry in its own transaction. */
    public AuditEntry append(
            String actor, String action, String targetType, String targetId, Map<String, String> details) {
        return db.inTransaction(h -> append(h, actor, action, targetType, targetId, details));
    }

    /** Entries with {@code seq > afterSeq}, oldest first. */
    public List<AuditEntry> list(long afterSeq, int limit) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM audit_log WHERE seq > :after ORDER BY seq LIMIT :limit")
                .bind("after", afterSeq)
                .bind("limit", limit)
                .map((rs, ctx) -> entry(rs))
                .list());
    }

    /** The outcome of {@link #verify()}. {@code firstBadSeq} is 0 when the chain is intact. */
    public record Verification(long checked, long firstBadSeq, String problem, long headSeq, String headHash) {
        @JsonProperty("intact")
        public boolean intact() {
            return firstBadSeq == 0;
        }
    }

    /**
     * Walks the whole chain, oldest first, in bounded memory; stops at the first broken entry. It
     * reads the stored columns as they are, so that any corruption — a missing or reordered entry, a
     * null or mistyped column, details that are not JSON, an edited field or hash — is reported as the
     * first bad entry rather than failing the read: the hash covers the details text as stored.
     */
    public Verification verify() {
        return db.streaming(h -> {
            try (Stream<StoredRow> rows = h
                    .createQuery("SELECT * FROM audit_log ORDER BY seq")
                    .setFetchSize(1000)
                    .map((rs, ctx) -> StoredRow.of(rs))
                    .stream()) {
                long expectedSeq = 1;
                String prevHash = GENESIS;
                long checked = 0;
                Iterator<StoredRow> it = rows.iterator();
                while (it.hasNext()) {
                    StoredRow row = it.next();
                    String problem = row.problem(expectedSeq, prevHash);
                    if (problem != null) {
                        return new Verification(checked, expectedSeq, problem, 0, null);
                    }
                    prevHash = row.hash();
                    expectedSeq++;
                    checked++;
                }
                return new Verification(checked, 0, null, expectedSeq - 1, prevHash);
            }
        });
    }

    /** One audit_log row as stored, before any of it is trusted. */
    private record StoredRow(
            Object seq,
            Object at,
            String actor,
            String action,
            String targetType,
            String targetId,
            String details,
            String prevHash,
            String hash) {
        static StoredRow of(ResultSet rs) throws SQLException {
            return new StoredRow(
                    rs.getObject("seq"),
                    rs.getObject("at"),
                    rs.getString("actor"),
                    rs.getString("action"),
                    rs.getString("target_type"),
                    rs.getString("target_id"),
                    rs.getString("details"),
                    rs.getString("prev_hash"),
                    rs.getString("hash"));
        }

        /** Why this row cannot be entry {@code expected}, following a row hashed {@code expectedPrev}; or null. */
        String problem(long expected, String expectedPrev) {
            String e = "entry " + expected;
            if (!isInteger(seq)) {
                return e + " is missing (the next row's seq is " + (seq == null ? "empty" : "not a number") + ")";
            }
            long n = ((Number) seq).longValue();
            if (n > expected) {
                return e + " is missing (next entry is " + n + ")";
            }
            if (n < expected) {
                return e + " is missing or duplicated (the next row is numbered " + n + ")";
            }
            String empty = emptyColumn();
            if (empty != null) {
                return e + " was altered (its " + empty + " is empty)";
            }
            if (!isInteger(at)) {
                return e + " was altered (its time is not a number)";
            }
            if (!prevHash.equals(expectedPrev)) {
                return e + " does not follow entry " + (expected - 1)
                        + " (previous-hash mismatch: an entry was removed or altered)";
            }
            String recomputed =
                    AuditLog.hash(n, ((Number) at).longValue(), actor, action, targetType, targetId, details, prevHash);
            if (!recomputed.equals(hash)) {
                return e + " was altered (its hash does not match its contents)";
            }
            if (!isStringMap(details)) {
                return e + " is corrupt (its details are not a JSON object of strings)";
            }
            return null;
        }

        private String emptyColumn() {
            Object[] values = {at, actor, action, targetType, targetId, details, prevHash, hash};
            String[] names = {"at", "actor", "action", "target_type", "target_id", "details", "prev_hash", "hash"};
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) {
                    return names[i];
                }
            }
            return null;
        }

        private static boolean isInteger(Object o) {
            return o instanceof Integer || o instanceof Long;
        }
    }

    private static boolean isStringMap(String json) {
        try {
            Map<String, String> m = JsonColumns.readStringMap(json);
            return m != null && m.values().stream().allMatch(Objects::nonNull);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        return new AuditEntry(
                rs.getLong("seq"),
                Instant.ofEpochMilli(rs.getLong("at")),
                rs.getString("actor"),
                rs.getString("action"),
                rs.getString("target_type"),
                rs.getString("target_id"),
                JsonColumns.readStringMap(rs.getString("details")),
                rs.getString("prev_hash"),
                rs.getString("hash"));
    }

    /** SHA-256 over length-prefixed fields, so no two different entries encode the same bytes. */
    static String hash(
            long seq,
            long at,
            String actor,
            String action,
            String targetType,
            String targetId,
            String details,
            String prevHash) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        for (String field : new String[] {
            "warden-audit-v1",
            Long.toString(seq),
            Long.toString(at),
            actor,
            action,
            targetType,
            targetId,
            details,
            prevHash
        }) {
            byte[] b = field.getBytes(StandardCharsets.UTF_8);
            sha.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
            sha.update(b);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
