package dev.warden.broker.lease;

import dev.warden.audit.AuditEntry;
import dev.warden.audit.AuditLog;
import dev.warden.broker.issue.IssueRequest;
import dev.warden.broker.issue.Issuers;
import dev.warden.broker.issue.postgresql.PgTarget;
import dev.warden.broker.issue.postgresql.PostgresIssuer;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityStatus;
import dev.warden.inventory.Source;
import dev.warden.keys.SecretBox;
import dev.warden.store.Database;
import dev.warden.store.DbUrl;
import dev.warden.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real lease stack: a Warden store (SQLite or PostgreSQL), a real target database with its
 * PostgreSQL issuer, and {@link Leases} on a test clock that starts at the real time (PostgreSQL
 * checks VALID UNTIL against its own clock). {@link #restart()} discards the instance without any
 * cleanup and builds a fresh one on the same store, as a crashed and restarted server would.
 */
final class LeaseHarness implements AutoCloseable {
    static final byte[] KEK = new byte[32];

    final DbUrl url;
    final Database db;
    final TestClock clock = new TestClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    final PgTarget target;
    final AuditLog audit;
    final Leases.Settings settings;
    Leases leases;
    private final List<Leases> all = new ArrayList<>();

    LeaseHarness(DbUrl url) {
        this(url, PgTarget.create(), quick());
    }

    LeaseHarness(DbUrl url, PgTarget target, Leases.Settings settings) {
        this.url = url;
        this.db = Database.open(url);
        this.target = target;
        this.settings = settings;
        this.audit = new AuditLog(db, clock);
        this.leases = newInstance();
    }

    static Leases.Settings quick() {
        return new Leases.Settings(
                Duration.ofSeconds(1),
                3,
                Duration.ofSeconds(10),
                Duration.ofMinutes(1),
                100,
                2,
                Duration.ofMinutes(2),
                Duration.ofMinutes(2));
    }

    /** Another Leases instance on the same store and target, as another server would have. */
    Leases newInstance() {
        Leases l = new Leases(
                db,
                audit,
                new Issuers(List.of(new PostgresIssuer(target.config()))),
                SecretBox.of(KEK),
                clock,
                settings);
        all.add(l);
        return l;
    }

    /** A crash: the old instance is dropped as it is (no close, nothing finished); a new one starts. */
    Leases restart() {
        leases = newInstance();
        return leases;
    }

    static Leases.Grant grant(String workload) {
        Identity i = new Identity(
                null,
                IdentityKind.WORKLOAD,
                workload,
                workload,
                Source.of("broker", "k8s-prod"),
                null,
                null,
                null,
                null,
                workload,
                "test workload",
                IdentityStatus.ACTIVE,
                null,
                Map.of(),
                null,
                Instant.now(),
                Instant.now());
        return new Leases.Grant(workload, i, "token:test");
    }

    Leases.Outcome issue(String workload, String role, Duration ttl) {
        return leases.issue("app-db", grant(workload), IssueRequest.of(role, ttl));
    }

    List<AuditEntry> audit(String action, String leaseId) {
        return audit.list(0, 100_000).stream()
                .filter(e -> e.action().equals(action) && (leaseId == null || leaseId.equals(e.targetId())))
                .toList();
    }

    @Override
    public void close() {
        for (Leases l : all) {
            l.close();
        }
        db.close();
    }
}
