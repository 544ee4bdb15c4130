package dev.warden.broker;

import dev.warden.audit.AuditLog;
import dev.warden.store.Database;
import dev.warden.store.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * SQL for the issuance log ({@code broker_issuances}). The seam for usage ingestion (issue 4):
 * {@link #listSince} pages through issuances in time order, each one a usage event of its workload
 * identity.
 */
final class Issuances {
    private final Database db;
    private final AuditLog audit;

    Issuances(Database db, AuditLog audit) {
        this.db = db;
        this.audit = audit;
    }

    /** A batch that inserts issuances ({@link #add}, then execute). */
    /**
     * Inserts {@code rows} (issuance, identity id) with one plain JDBC batch in the transaction of
     * {@code h}: the group commit's hot path, without per-row named-parameter binding.
     */
    static void insertAll(Handle h, List<Map.Entry<Issuance, String>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = h.getConnection()
                .prepareStatement("INSERT INTO broker_issuances (jti, identity_id, workload, attestor, policy,"
                        + " audience, scope, actor, subject_fingerprint, source_address, issued_at, expires_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<Issuance, String> row : rows) {
                Issuance i = row.getKey();
                ps.setString(1, i.jti());
                ps.setString(2, row.getValue());
                ps.setString(3, i.workload());
                ps.setString(4, i.attestor());
                ps.setString(5, i.policy());
                ps.setString(6, String.join(" ", i.audience()));
                ps.setString(7, String.join(" ", i.scopes()));
                ps.setString(8, i.actor());
                ps.setString(9, i.subjectFingerprint());
                ps.setString(10, i.sourceAddress());
                ps.setLong(11, i.issuedAt().toEpochMilli());
                ps.setLong(12, i.expiresAt().toEpochMilli());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new StoreException("cannot record issuances: " + e.getMessage(), e);
        }
    }

    Optional<Issuance> find(String jti) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM broker_issuances WHERE jti = :jti")
                .bind("jti", jti)
                .map((rs, ctx) -> row(rs))
                .findOne());
    }

    /** Issuances after {@code after} (exclusive), oldest first: the usage events of the broker. */
    List<Issuance> listSince(Instant after, int limit) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM broker_issuances WHERE issued_at > :after"
                        + " ORDER BY issued_at, jti LIMIT :limit")
                .bind("after", after.toEpochMilli())
                .bind("limit", limit)
                .map((rs, ctx) -> row(rs))
                .list());
    }

    /** Marks a token revoked; true when it was active and now is not. Audited. */
    boolean revoke(String jti, String actor, Instant now) {
        return db.inTransaction(h -> {
            int n = h.createUpdate("UPDATE broker_issuances SET revoked_at = :now, revoked_by = :actor"
                            + " WHERE jti = :jti AND revoked_at IS NULL")
                    .bind("now", now.toEpochMilli())
                    .bind("actor", actor)
                    .bind("jti", jti)
                    .execute();
            if (n > 0) {
                audit.append(h, actor, "broker.revoke", "access_token", jti, Map.of());
            }
            return n > 0;
        });
    }

    private static Issuance row(ResultSet rs) throws SQLException {
        long revoked = rs.getLong("revoked_at");
        Instant revokedAt = rs.wasNull() ? null : Instant.ofEpochMilli(revoked);
        String scope = rs.getString("scope");
        return new Issuance(
                rs.getString("jti"),
                rs.getString("identity_id"),
                rs.getString("workload"),
                rs.getString("attestor"),
                rs.getString("policy"),
                Arrays.asList(rs.getString("audience").split(" ")),
                scope == null || scope.isEmpty() ? List.of() : Arrays.asList(scope.split(" ")),
                rs.getString("actor"),
                rs.getString("subject_fingerprint"),
                rs.getString("source_address"),
                Instant.ofEpochMilli(rs.getLong("issued_at")),
                Instant.ofEpochMilli(rs.getLong("expires_at")),
                revokedAt,
                rs.getString("revoked_by"));
    }
}
