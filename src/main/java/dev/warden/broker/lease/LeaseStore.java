package dev.warden.broker.lease;

import dev.warden.inventory.Page;
import dev.warden.store.Database;
import dev.warden.store.Dialect;
import dev.warden.store.Ids;
import dev.warden.store.JsonColumns;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * SQL for the {@code leases} table: records in and out, and the conditional updates that make each
 * state change happen once even with several servers on one store. A revocation attempt first
 * <em>claims</em> a lease (a fresh claim id and a claim expiry in {@code next_attempt_at}) in a short
 * transaction — on PostgreSQL with {@code FOR UPDATE SKIP LOCKED}, on SQLite under the IMMEDIATE
 * write lock — and only the holder of that claim may finish it.
 */
public final class LeaseStore {
    public static final int MAX_LIMIT = 1000;
    private static final String CURSOR_PREFIX = "l1:";

    private final Database db;

    LeaseStore(Database db) {
        this.db = db;
    }

    Database db() {
        return db;
    }

    public void insert(Handle h, Lease l) {
        h.createUpdate(
                        "INSERT INTO leases (id, kind, issuer, role, workload, identity_id, credential_id, handle, state,"
                                + " revoke_reason, created_at, updated_at, expires_at, max_expires_at, renewals, revoke_attempts,"
                                + " next_attempt_at, claim, last_error, created_by, ended_at, attributes) VALUES (:id, :kind,"
                                + " :issuer, :role, :workload, :identityId, :credentialId, :handle, :state, :reason, :createdAt,"
                                + " :updatedAt, :expiresAt, :maxExpiresAt, :renewals, :attempts, :nextAttemptAt, NULL, :lastError,"
                                + " :createdBy, :endedAt, :attributes)")
                .bind("id", l.id())
                .bind("kind", l.kind())
                .bind("issuer", l.issuer())
                .bind("role", l.role())
                .bind("workload", l.workload())
                .bind("identityId", l.identityId())
                .bind("credentialId", l.credentialId())
                .bind("handle", l.handle())
                .bind("state", l.state().value())
                .bind("reason", l.revokeReason())
                .bind("createdAt", l.createdAt().toEpochMilli())
                .bind("updatedAt", l.updatedAt().toEpochMilli())
                .bind("expiresAt", l.expiresAt().toEpochMilli())
                .bind("maxExpiresAt", l.maxExpiresAt().toEpochMilli())
                .bind("renewals", l.renewals())
                .bind("attempts", l.revokeAttempts())
                .bind("nextAttemptAt", millis(l.nextAttemptAt()))
                .bind("lastError", l.lastError())
                .bind("createdBy", l.createdBy())
                .bind("endedAt", millis(l.endedAt()))
                .bind("attributes", JsonColumns.write(l.attributes()))
                .execute();
    }

    Optional<Lease> get(String id) {
        if (!Ids.isValid(id)) {
            return Optional.empty();
        }
        return db.withHandle(h -> get(h, id, false));
    }

    /** The lease {@code id}; {@code lock} holds its row until the transaction ends (PostgreSQL). */
    Optional<Lease> get(Handle h, String id, boolean lock) {
        String sql = "SELECT * FROM leases WHERE id = :id"
                + (lock && db.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE" : "");
        return h.createQuery(sql).bind("id", id).map((rs, ctx) -> row(rs)).findOne();
    }

    /** Leases matching {@code f}, newest first, keyset-paginated by id. */
    Page<Lease> list(LeaseFilter f, String cursor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        String before = cursor == null || cursor.isEmpty() ? null : decode(cursor);
        StringBuilder sql = new StringBuilder("SELECT * FROM leases WHERE 1 = 1");
        if (f.workload() != null) {
            sql.append(
                    f.workload().endsWith("*")
                            ? " AND workload LIKE :workload ESCAPE '!'"
                            : " AND workload = :workload");
        }
        if (f.kind() != null) {
            sql.append(" AND kind = :kind");
        }
        if (f.state() != null) {
            sql.append(" AND state = :state");
        }
        if (before != null) {
            sql.append(" AND id < :before");
        }
        sql.append(" ORDER BY id DESC LIMIT :limit");
        List<Lease> rows = db.withHandle(h -> {
            Query q = h.createQuery(sql.toString()).bind("limit", limit + 1);
            if (f.workload() != null) {
                q.bind(
                        "workload",
                        f.workload().endsWith("*")
                                ? like(f.workload().substring(0, f.workload().length() - 1)) + "%"
                                : f.workload());
            }
            if (f.kind() != null) {
                q.bind("kind", f.kind());
            }
            if (f.state() != null) {
                q.bind("state", f.state().value());
            }
            if (before != null) {
                q.bind("before", before);
            }
            return q.map((rs, ctx) -> row(rs)).list();
        });
        if (rows.size() > limit) {
            return new Page<>(rows.subList(0, limit), encode(rows.get(limit - 1).id()));
        }
        return new Page<>(rows, null);
    }

    /**
     * Claims up to {@code limit} leases whose revocation is due at {@code now} — active ones past
     * expiry, revoking ones whose next attempt is due — for {@code claimUntil}: they become
     * {@code revoking} with claim {@code claim}. Returns them as claimed. Run in its own transaction.
     */
    List<Lease> claimDue(Handle h, Instant now, int limit, String claim, Instant claimUntil) {
        String lock = db.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "";
        List<String> ids = new ArrayList<>(h.createQuery("SELECT id FROM leases WHERE state = 'revoking'"
                        + " AND next_attempt_at <= :now ORDER BY next_attempt_at LIMIT :limit" + lock)
                .bind("now", now.toEpochMilli())
                .bind("limit", limit)
                .mapTo(String.class)
                .list());
        if (ids.size() < limit) {
            ids.addAll(h.createQuery("SELECT id FROM leases WHERE state = 'active' AND expires_at <= :now"
                            + " ORDER BY expires_at LIMIT :limit" + lock)
                    .bind("now", now.toEpochMilli())
                    .bind("limit", limit - ids.size())
                    .mapTo(String.class)
                    .list());
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        return claim(h, ids, now, claim, claimUntil, Lease.REASON_EXPIRY);
    }

    /**
     * Claims the given live leases (active, pending, revoking without a current claim, irrevocable)
     * for revocation with {@code reason} unless one is already recorded. Returns those claimed.
     */
    List<Lease> claim(Handle h, Collection<String> ids, Instant now, String claim, Instant claimUntil, String reason) {
        List<String> all = List.copyOf(ids);
        for (int i = 0; i < all.size(); i += 500) {
            h.createUpdate("UPDATE leases SET state = 'revoking', revoke_reason = COALESCE(revoke_reason, :reason),"
                            + " claim = :claim, next_attempt_at = :until, updated_at = :now WHERE id IN (<ids>) AND"
                            + " (state IN ('active', 'pending', 'irrevocable') OR (state = 'revoking' AND"
                            + " (next_attempt_at IS NULL OR next_attempt_at <= :now)))")
                    .bindList("ids", all.subList(i, Math.min(all.size(), i + 500)))
                    .bind("reason", reason)
                    .bind("claim", claim)
                    .bind("until", claimUntil.toEpochMilli())
                    .bind("now", now.toEpochMilli())
                    .execute();
        }
        return h.createQuery("SELECT * FROM leases WHERE claim = :claim")
                .bind("claim", claim)
                .map((rs, ctx) -> row(rs))
                .list();
    }

    /** Marks a pending lease active; 0 when it is no longer pending (revoked meanwhile). */
    int activate(Handle h, String id, String credentialId, Map<String, String> attributes, Instant now) {
        return h.createUpdate("UPDATE leases SET state = 'active', credential_id = :credentialId,"
                        + " attributes = :attributes, updated_at = :now WHERE id = :id AND state = 'pending'")
                .bind("id", id)
                .bind("credentialId", credentialId)
                .bind("attributes", JsonColumns.write(attributes))
                .bind("now", now.toEpochMilli())
                .execute();
    }

    /** Ends a claimed revocation in {@code end}; 0 when {@code claim} no longer holds the lease. */
    int finish(Handle h, String id, String claim, LeaseState end, Instant now) {
        return h.createUpdate("UPDATE leases SET state = :state, ended_at = :now, updated_at = :now, claim = NULL,"
                        + " next_attempt_at = NULL, last_error = NULL WHERE id = :id AND claim = :claim")
                .bind("state", end.value())
                .bind("now", now.toEpochMilli())
                .bind("id", id)
                .bind("claim", claim)
                .execute();
    }

    /**
     * Records a failed attempt of a claimed revocation: {@code revoking} again at {@code next}, or
     * {@code irrevocable} when {@code next} is null. 0 when {@code claim} no longer holds the lease.
     */
    int failed(Handle h, String id, String claim, int attempts, Instant next, String error, Instant now) {
        return h.createUpdate("UPDATE leases SET state = :state, revoke_attempts = :attempts, next_attempt_at = :next,"
                        + " last_error = :error, claim = NULL, updated_at = :now WHERE id = :id AND claim = :claim")
                .bind("state", next == null ? LeaseState.IRREVOCABLE.value() : LeaseState.REVOKING.value())
                .bind("attempts", attempts)
                .bind("next", millis(next))
                .bind("error", error)
                .bind("now", now.toEpochMilli())
                .bind("id", id)
                .bind("claim", claim)
                .execute();
    }

    /** Moves an active lease's expiry (renewal); 0 when it is no longer active. */
    int renew(Handle h, String id, Instant expiresAt, Instant now) {
        return h.createUpdate("UPDATE leases SET expires_at = :expires, renewals = renewals + 1, updated_at = :now"
                        + " WHERE id = :id AND state = 'active' AND max_expires_at >= :expires")
                .bind("expires", expiresAt.toEpochMilli())
                .bind("now", now.toEpochMilli())
                .bind("id", id)
                .execute();
    }

    /**
     * Makes every live lease matching the filters due for revocation now (reason {@code request});
     * returns their ids. {@code pathPrefix} matches {@code kind/issuer/role}.
     */
    List<String> dueNow(Handle h, String pathPrefix, String workload, Instant now) {
        StringBuilder where = new StringBuilder(" WHERE state IN ('active', 'pending')");
        if (pathPrefix != null) {
            where.append(" AND (kind || '/' || issuer || '/' || COALESCE(role, '')) LIKE :path ESCAPE '!'");
        }
        if (workload != null) {
            where.append(
                    workload.endsWith("*") ? " AND workload LIKE :workload ESCAPE '!'" : " AND workload = :workload");
        }
        String lock = db.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
        Query q = h.createQuery("SELECT id FROM leases" + where + lock);
        if (pathPrefix != null) {
            q.bind("path", like(pathPrefix) + "%");
        }
        if (workload != null) {
            q.bind(
                    "workload",
                    workload.endsWith("*") ? like(workload.substring(0, workload.length() - 1)) + "%" : workload);
        }
        List<String> ids = q.mapTo(String.class).list();
        for (int i = 0; i < ids.size(); i += 500) {
            h.createUpdate("UPDATE leases SET state = 'revoking', revoke_reason = COALESCE(revoke_reason, 'request'),"
                            + " next_attempt_at = :now, updated_at = :now WHERE id IN (<ids>) AND state IN ('active',"
                            + " 'pending')")
                    .bindList("ids", ids.subList(i, Math.min(ids.size(), i + 500)))
                    .bind("now", now.toEpochMilli())
                    .execute();
        }
        return ids;
    }

    /** Pending leases recorded before {@code before}: issuances that never finished. */
    List<String> stalePending(Handle h, Instant before) {
        return h.createQuery("SELECT id FROM leases WHERE state = 'pending' AND created_at < :before")
                .bind("before", before.toEpochMilli())
                .mapTo(String.class)
                .list();
    }

    /** The handles among {@code handles} of issuer {@code issuer} that a live lease accounts for. */
    Set<String> liveHandles(String kind, String issuer, Collection<String> handles) {
        Set<String> out = new HashSet<>();
        List<String> all = List.copyOf(handles);
        for (int i = 0; i < all.size(); i += 500) {
            List<String> chunk = all.subList(i, Math.min(all.size(), i + 500));
            out.addAll(db.withHandle(h -> h.createQuery("SELECT handle FROM leases WHERE kind = :kind AND issuer ="
                            + " :issuer AND handle IN (<handles>) AND state IN ('pending', 'active', 'revoking',"
                            + " 'irrevocable')")
                    .bind("kind", kind)
                    .bind("issuer", issuer)
                    .bindList("handles", chunk)
                    .mapTo(String.class)
                    .list()));
        }
        return out;
    }

    /** Lease counts by state. */
    Map<LeaseState, Long> countByState() {
        Map<LeaseState, Long> out = new EnumMap<>(LeaseState.class);
        db.withHandle(h -> h.createQuery("SELECT state, COUNT(*) AS n FROM leases GROUP BY state")
                        .map((rs, ctx) -> Map.entry(rs.getString("state"), rs.getLong("n")))
                        .list())
                .forEach(e -> out.put(LeaseState.parse(e.getKey()), e.getValue()));
        return out;
    }

    static String like(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    static String encode(String lastId) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((CURSOR_PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String cursor) {
        String text;
        try {
            text = cursor.length() > 100
                    ? ""
                    : new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            text = "";
        }
        if (!text.startsWith(CURSOR_PREFIX) || !Ids.isValid(text.substring(CURSOR_PREFIX.length()))) {
            throw new IllegalArgumentException("invalid cursor");
        }
        return text.substring(CURSOR_PREFIX.length());
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static Lease row(ResultSet rs) throws SQLException {
        return new Lease(
                rs.getString("id"),
                rs.getString("kind"),
                rs.getString("issuer"),
                rs.getString("role"),
                rs.getString("workload"),
                rs.getString("identity_id"),
                rs.getString("credential_id"),
                rs.getString("handle"),
                LeaseState.parse(rs.getString("state")),
                rs.getString("revoke_reason"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                instant(rs, "expires_at"),
                instant(rs, "max_expires_at"),
                rs.getInt("renewals"),
                rs.getInt("revoke_attempts"),
                instant(rs, "next_attempt_at"),
                rs.getString("last_error"),
                rs.getString("created_by"),
                instant(rs, "ended_at"),
                JsonColumns.readStringMap(rs.getString("attributes")));
    }
}
