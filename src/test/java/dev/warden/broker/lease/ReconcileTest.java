package dev.warden.broker.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.broker.issue.IssueRequest;
import dev.warden.broker.issue.postgresql.PostgresIssuer;
import dev.warden.store.Dialect;
import dev.warden.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes at each step of a lease's life, simulated in process: the components are built, a step is
 * done by hand, the instance is dropped without cleanup and a fresh one reconciles. (LeaseCrashTest
 * does the same with a real SIGKILL of a child JVM.)
 */
class ReconcileTest {
    @TempDir
    Path dir;

    /** Writes a pending lease as Leases.issue does before calling the issuer. */
    private static Lease pending(LeaseHarness h, String role) throws Exception {
        PostgresIssuer issuer = new PostgresIssuer(h.target.config());
        String id = dev.warden.store.Ids.next();
        Instant now = h.clock.instant();
        Lease l = new Lease(
                id,
                "postgresql",
                "app-db",
                role,
                "w1",
                null,
                null,
                issuer.handle(id, IssueRequest.of(role, null)),
                LeaseState.PENDING,
                null,
                now,
                now,
                now.plus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(24)),
                0,
                0,
                null,
                null,
                "token:test",
                null,
                Map.of());
        h.db.inTransaction(x -> {
            h.leases.store().insert(x, l);
            return null;
        });
        return l;
    }

    @Test
    void a_crash_between_lease_write_and_role_creation_is_rolled_back_at_restart() throws Exception {
        try (LeaseHarness h = new LeaseHarness(TestStores.fresh(Dialect.SQLITE, dir))) {
            Lease l = pending(h, "readonly");
            h.restart();
            // Within the grace period the issuance may still be in flight on another server.
            assertThat(h.leases.reconcile().rolledBack()).isZero();
            h.clock.advance(Duration.ofMinutes(3));
            assertThat(h.leases.reconcile().rolledBack()).isEqualTo(1);
            assertThat(h.leases.get(l.id()).orElseThrow().state()).isEqualTo(LeaseState.ROLLED_BACK);
            assertThat(h.target.roleExists(l.handle())).isFalse();
            assertThat(h.audit("lease.rollback", l.id())).hasSize(1);
        }
    }

    @Test
    void a_crash_after_role_creation_but_before_activation_drops_the_role_at_restart() throws Exception {
        try (LeaseHarness h = new LeaseHarness(TestStores.fresh(Dialect.SQLITE, dir))) {
            Lease l = pending(h, "readonly");
            new PostgresIssuer(h.target.config()).issue(l, IssueRequest.of("readonly", null));
            assertThat(h.target.roleExists(l.handle())).isTrue();
            h.restart();
            h.clock.advance(Duration.ofMinutes(3));
            Leases.Reconciled r = h.leases.reconcile();
            assertThat(r.rolledBack()).isEqualTo(1);
            assertThat(r.orphansDropped()).isZero();
            assertThat(h.target.roleExists(l.handle())).isFalse();
            assertThat(h.leases.get(l.id()).orElseThrow().state()).isEqualTo(LeaseState.ROLLED_BACK);
        }
    }

    @Test
    void a_crash_between_expiry_and_revocation_is_revoked_once_at_restart() {
        try (LeaseHarness h = new LeaseHarness(TestStores.fresh(Dialect.SQLITE, dir))) {
            Lease l = h.issue("w1", "readonly", Duration.ofMinutes(5)).lease();
            h.clock.advance(Duration.ofMinutes(10));
            h.restart();
            Leases.Reconciled r = h.leases.reconcile();
            assertThat(r.revoked()).isEqualTo(1);
            assertThat(h.leases.get(l.id()).orElseThrow().state()).isEqualTo(LeaseState.EXPIRED);
            assertThat(h.target.roleExists(l.handle())).isFalse();
            h.restart().reconcile();
            assertThat(h.audit("lease.revoke", l.id())).hasSize(1);
        }
    }

    @Test
    void a_role_with_wardens_prefix_and_no_lease_is_dropped_and_audited_and_live_ones_are_kept() {
        try (LeaseHarness h = new LeaseHarness(TestStores.fresh(Dialect.SQLITE, dir))) {
            Lease live = h.issue("w1", "readonly", null).lease();
            String orphan = h.target.prefix + "left_behind";
            h.target.sql("CREATE ROLE " + orphan + " LOGIN", "CREATE ROLE not_warden_" + h.target.prefix + " LOGIN");
            Leases.Reconciled r = h.restart().reconcile();
            assertThat(r.orphansDropped()).isEqualTo(1);
            assertThat(h.target.roleExists(orphan)).isFalse();
            assertThat(h.target.roleExists("not_warden_" + h.target.prefix)).isTrue();
            assertThat(h.target.roleExists(live.handle())).isTrue();
            assertThat(h.audit("lease.reconcile", orphan))
                    .singleElement()
                    .satisfies(e -> assertThat(e.details()).containsEntry("orphan", orphan));
            h.target.sql("DROP ROLE not_warden_" + h.target.prefix);
        }
    }
}
