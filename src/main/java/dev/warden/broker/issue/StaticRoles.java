package dev.warden.broker.issue;

import dev.warden.audit.AuditLog;
import dev.warden.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotates the secret of each static role of the issuers that keep some ({@link Issuer.Rotating}, e.g.
 * PostgreSQL {@code staticRoles}) every {@code rotation}: a fresh random secret is set (for PostgreSQL
 * {@code ALTER ROLE ... PASSWORD}) and forgotten — Warden never stores or returns it — so no standing
 * secret of that role is known to anyone. Use it for roles that authenticate otherwise
 * (certificates, peer) or must not be logged into with a password. The first rotation happens at the
 * first pass after start. With several servers on one store each rotation is claimed by a
 * conditional update, so it happens once. Audited as {@code credential.rotate} / {@code
 * credential.rotate_failed} on target type {@code KIND_role} (e.g. {@code postgresql_role}).
 */
public final class StaticRoles {
    private static final Logger LOG = LoggerFactory.getLogger(StaticRoles.class);
    static final Duration RETRY = Duration.ofMinutes(5);

    private final Database db;
    private final AuditLog audit;
    private final List<Issuer.Rotating> issuers;
    private final Clock clock;

    /** Rotates the static roles of every issuer in {@code issuers} that keeps some. */
    public StaticRoles(Database db, AuditLog audit, Issuers issuers, Clock clock) {
        this(db, audit, issuers.rotating(), clock);
    }

    StaticRoles(Database db, AuditLog audit, List<Issuer.Rotating> issuers, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.issuers = List.copyOf(issuers);
        this.clock = clock;
    }

    public boolean isEmpty() {
        return issuers.stream().allMatch(i -> i.staticRoles().isEmpty());
    }

    /** Rotates every static role whose rotation is due; returns how many were rotated. Never throws. */
    public int rotateDue() {
        int rotated = 0;
        for (Issuer.Rotating issuer : issuers) {
            for (Issuer.StaticRole role : issuer.staticRoles()) {
                try {
                    if (rotateIfDue(issuer, role)) {
                        rotated++;
                    }
                } catch (RuntimeException e) {
                    LOG.warn("event=static_rotation_failed role={} error=\"{}\"", role.name(), e.getMessage());
                }
            }
        }
        return rotated;
    }

    private boolean rotateIfDue(Issuer.Rotating issuer, Issuer.StaticRole role) {
        Instant now = clock.instant();
        boolean claimed = db.inTransaction(h -> {
            h.createUpdate("INSERT INTO static_rotations (issuer, name, username, next_rotation_at) VALUES (:issuer,"
                            + " :name, :username, :now) ON CONFLICT (issuer, name) DO NOTHING")
                    .bind("issuer", issuer.name())
                    .bind("name", role.name())
                    .bind("username", role.username())
                    .bind("now", now.toEpochMilli())
                    .execute();
            return h.createUpdate("UPDATE static_rotations SET next_rotation_at = :next, username = :username"
                                    + " WHERE issuer = :issuer AND name = :name AND next_rotation_at <= :now")
                            .bind("next", now.plus(role.rotation()).toEpochMilli())
                            .bind("username", role.username())
                            .bind("issuer", issuer.name())
                            .bind("name", role.name())
                            .bind("now", now.toEpochMilli())
                            .execute()
                    == 1;
        });
        if (!claimed) {
            return false;
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("database", issuer.name());
        d.put("staticRole", role.name());
        d.put("username", role.username());
        String error = null;
        try {
            issuer.rotate(role.username()); // the secret is dropped there, never kept
        } catch (IssueException e) {
            error = e.getMessage();
        }
        String err = error;
        db.inTransaction(h -> {
            h.createUpdate("UPDATE static_rotations SET rotated_at = COALESCE(:rotated, rotated_at), last_error ="
                            + " :error, next_rotation_at = CASE WHEN :failed THEN :retry ELSE next_rotation_at END"
                            + " WHERE issuer = :issuer AND name = :name")
                    .bind("rotated", err == null ? now.toEpochMilli() : null)
                    .bind("error", err)
                    .bind("failed", err != null)
                    .bind("retry", now.plus(RETRY).toEpochMilli())
                    .bind("issuer", issuer.name())
                    .bind("name", role.name())
                    .execute();
            if (err != null) {
                d.put("error", err);
            }
            audit.append(
                    h,
                    "warden:static-rotation",
                    err == null ? "credential.rotate" : "credential.rotate_failed",
                    issuer.kind() + "_role",
                    issuer.name() + "/" + role.username(),
                    d);
            return null;
        });
        return err == null;
    }
}
