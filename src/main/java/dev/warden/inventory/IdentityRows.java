package dev.warden.inventory;

import dev.warden.store.JsonColumns;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Row mapping for the inventory tables: the columns an identity is read from, and each row as its
 * record. Times are stored as epoch milliseconds; a person's classification (nature_override) wins
 * over the source's (nature).
 */
final class IdentityRows {
    /** The columns of {@code identities} that {@link #identity} reads, in insert order. */
    static final String IDENTITY_COLUMNS = "id, kind, name, external_id, source_type, source_scope, environment,"
            + " business_owner, technical_owner, ownership_provenance, workload, purpose, status, third_party_vendor,"
            + " tags, created_at, first_seen, last_seen, nature, nature_reason, nature_override, nature_override_reason,"
            + " attributes, removed_at";

    /** The identity's nature as a person set it, else as its source says. */
    static final String EFFECTIVE_NATURE = "COALESCE(nature_override, nature)";

    private IdentityRows() {}

    static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static Identity identity(ResultSet rs) throws SQLException {
        return new Identity(
                rs.getString("id"),
                IdentityKind.parse(rs.getString("kind")),
                rs.getString("name"),
                rs.getString("external_id"),
                new Source(rs.getString("source_type"), rs.getString("source_scope")),
                rs.getString("environment"),
                rs.getString("business_owner"),
                rs.getString("technical_owner"),
                rs.getString("ownership_provenance"),
                rs.getString("workload"),
                rs.getString("purpose"),
                IdentityStatus.parse(rs.getString("status")),
                rs.getString("third_party_vendor"),
                JsonColumns.readStringMap(rs.getString("tags")),
                instant(rs, "created_at"),
                instant(rs, "first_seen"),
                instant(rs, "last_seen"),
                Nature.parse(rs.getString(rs.getString("nature_override") != null ? "nature_override" : "nature")),
                rs.getString(rs.getString("nature_override") != null ? "nature_override_reason" : "nature_reason"),
                JsonColumns.readStringMap(rs.getString("attributes")),
                instant(rs, "removed_at"));
    }

    static Credential credential(ResultSet rs) throws SQLException {
        return new Credential(
                rs.getString("id"),
                rs.getString("identity_id"),
                CredentialKind.parse(rs.getString("kind")),
                rs.getString("external_id"),
                rs.getString("fingerprint"),
                instant(rs, "created_at"),
                instant(rs, "last_rotated_at"),
                instant(rs, "expires_at"),
                instant(rs, "last_used_at"),
                CredentialStatus.parse(rs.getString("status")),
                JsonColumns.readStringMap(rs.getString("attributes")));
    }

    static Entitlement entitlement(ResultSet rs) throws SQLException {
        return new Entitlement(
                Effect.parse(rs.getString("effect")),
                rs.getString("action"),
                rs.getString("resource"),
                rs.getString("granted_via"),
                rs.getString("condition"));
    }

    static Trust trust(ResultSet rs) throws SQLException {
        return new Trust(
                Effect.parse(rs.getString("effect")),
                rs.getString("principal_type"),
                rs.getString("principal"),
                rs.getString("action"),
                rs.getString("condition"));
    }
}
