package dev.warden.broker.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.broker.issue.IssueRequest;
import dev.warden.broker.issue.Issuers;
import dev.warden.broker.issue.postgresql.PgTarget;
import dev.warden.broker.issue.postgresql.PostgresIssuer;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.Inventory;
import dev.warden.keys.SecretBox;
import dev.warden.store.Dialect;
import dev.warden.testing.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeasesTest {
    @TempDir
    Path dir;

    private LeaseHarness harness() {
        return new LeaseHarness(TestStores.fresh(Dialect.SQLITE, dir));
    }

    @Test
    void an_issued_login_works_and_is_recorded_as_an_active_lease_and_a_credential_of_the_workload() throws Exception {
        try (LeaseHarness h = harness()) {
            Leases.Outcome o = h.issue("system:serviceaccount:payments:api", "readonly", Duration.ofMinutes(30));
            Lease l = o.lease();
            assertThat(l.state()).isEqualTo(LeaseState.ACTIVE);
            assertThat(l.handle())
                    .startsWith(h.target.prefix)
                    .isEqualTo(o.issued().material().get("username"));
            assertThat(l.expiresAt()).isEqualTo(h.clock.instant().plus(Duration.ofMinutes(30)));
            try (Connection c = h.target.login(l.handle(), o.issued().material().get("password"));
                    ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM orders")) {
                assertThat(rs.next()).isTrue();
            }
            // The server asks for the password: a wrong one is refused.
            assertThatThrownBy(() -> h.target.login(l.handle(), "not-the-password"))
                    .isInstanceOf(SQLException.class);
            assertThat(h.audit("lease.create", l.id())).hasSize(1);
            assertThat(h.audit("lease.activate", l.id())).hasSize(1);
            IdentityRecord r = new Inventory(h.db, h.audit, h.clock)
                    .show(l.identityId(), null)
                    .orElseThrow();
            assertThat(r.credentials()).singleElement().satisfies(c -> {
                assertThat(c.kind().value()).isEqualTo("password");
                assertThat(c.attributes()).containsEntry("lease.id", l.id()).containsEntry("lease.state", "active");
                assertThat(c.fingerprint())
                        .isNotNull()
                        .doesNotContain(o.issued().material().get("password"));
            });
            // Nothing secret in the store: neither the lease row nor the audit log holds the password.
            String password = o.issued().material().get("password");
            assertThat(h.audit.list(0, 1000).toString()).doesNotContain(password);
            assertThat(h.leases.get(l.id()).orElseThrow().toString()).doesNotContain(password);
        }
    }

    @Test
    void the_reaper_drops_the_role_of_an_expired_lease_and_the_login_stops_working() throws Exception {
        try (LeaseHarness h = harness()) {
            Leases.Outcome o = h.issue("w1", "readonly", Duration.ofMinutes(5));
            assertThat(h.leases.reap().claimed()).isZero();
            h.clock.advance(Duration.ofMinutes(5));
            Leases.Reaped r = h.leases.reap();
            assertThat(r.revoked()).isEqualTo(1);
            Lease l = h.leases.get(o.lease().id()).orElseThrow();
            assertThat(l.state()).isEqualTo(LeaseState.EXPIRED);
            assertThat(h.target.roleExists(l.handle())).isFalse();
            assertThatThrownBy(() ->
                            h.target.login(l.handle(), o.issued().material().get("password")))
                    .isInstanceOf(SQLException.class);
            assertThat(h.audit("lease.revoke", l.id()))
                    .singleElement()
                    .satisfies(e -> assertThat(e.actor()).isEqualTo(Leases.REAPER));
            IdentityRecord rec = new Inventory(h.db, h.audit, h.clock)
                    .show(l.identityId(), null)
                    .orElseThrow();
            assertThat(rec.credentials().get(0).status().value()).isEqualTo("expired");
            assertThat(h.leases.reap().claimed()).isZero();
        }
    }

    @Test
    void revoking_a_lease_terminates_its_open_sessions_and_drops_the_role() throws Exception {
        try (LeaseHarness h = harness()) {
            Leases.Outcome o = h.issue("w1", "readonly", null);
            try (Connection session =
                    h.target.login(o.lease().handle(), o.issued().material().get("password"))) {
                Lease after = h.leases.revoke(o.lease().id(), "token:admin");
                assertThat(after.state()).isEqualTo(LeaseState.REVOKED);
                assertThatThrownBy(() -> session.createStatement().executeQuery("SELECT 1"))
                        .isInstanceOf(SQLException.class);
            }
            assertThat(h.target.roleExists(o.lease().handle())).isFalse();
            // Idempotent: a second revoke returns the ended lease and does nothing more.
            assertThat(h.leases.revoke(o.lease().id(), "token:admin").state()).isEqualTo(LeaseState.REVOKED);
            assertThat(h.audit("lease.revoke", o.lease().id())).hasSize(1);
        }
    }

    @Test
    void revoke_prefix_revokes_every_lease_of_one_workload_and_no_other() {
        try (LeaseHarness h = harness()) {
            Lease a1 = h.issue("system:serviceaccount:payments:api", "readonly", null)
                    .lease();
            Lease a2 = h.issue("system:serviceaccount:payments:api", "readonly", null)
                    .lease();
            Lease b =
                    h.issue("system:serviceaccount:shop:web", "readonly", null).lease();
            assertThat(h.leases.revokePrefix(null, "system:serviceaccount:payments:api", "token:admin"))
                    .isEqualTo(2);
            assertThat(h.leases.get(a1.id()).orElseThrow().state()).isEqualTo(LeaseState.REVOKED);
            assertThat(h.leases.get(a2.id()).orElseThrow().state()).isEqualTo(LeaseState.REVOKED);
            assertThat(h.leases.get(b.id()).orElseThrow().state()).isEqualTo(LeaseState.ACTIVE);
            assertThat(h.target.managedRoles()).containsExactly(b.handle());
            assertThat(h.leases.revokePrefix("postgresql/app-db/", "system:serviceaccount:shop:*", "token:admin"))
                    .isEqualTo(1);
            assertThat(h.target.managedRoles()).isEmpty();
        }
    }

    @Test
    void revoke_prefix_needs_a_filter_that_does_not_match_everything() {
        try (LeaseHarness h = harness()) {
            assertThatThrownBy(() -> h.leases.revokePrefix(null, null, "a"))
                    .isInstanceOf(LeaseException.class)
                    .hasMessageContaining("give a path prefix");
            assertThatThrownBy(() -> h.leases.revokePrefix("", "*", "a")).hasMessageContaining("every lease");
        }
    }

    @Test
    void renewal_extends_valid_until_within_the_max_ttl_and_is_refused_past_it() throws Exception {
        try (LeaseHarness h = harness()) {
            Lease l = h.issue("w1", "readonly", Duration.ofHours(1)).lease();
            h.clock.advance(Duration.ofMinutes(30));
            Lease renewed = h.leases.renew(l.id(), Duration.ofHours(2), "token:test");
            assertThat(renewed.expiresAt()).isEqualTo(h.clock.instant().plus(Duration.ofHours(2)));
            assertThat(renewed.renewals()).isEqualTo(1);
            try (Connection c = h.target.admin();
                    ResultSet rs = c.createStatement()
                            .executeQuery("SELECT rolvaliduntil FROM pg_roles WHERE rolname = '" + l.handle() + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getTimestamp(1).toInstant()).isEqualTo(renewed.expiresAt());
            }
            assertThatThrownBy(() -> h.leases.renew(l.id(), Duration.ofHours(24), "token:test"))
                    .isInstanceOfSatisfying(
                            LeaseException.class, e -> assertThat(e.status()).isEqualTo(409))
                    .hasMessageContaining("renewal past the max ttl");
            // Without an increment the renewal is capped at the max; at the max it is refused.
            h.clock.advance(Duration.ofHours(1));
            assertThat(h.leases.renew(l.id(), null, "t").expiresAt())
                    .isEqualTo(h.clock.instant().plus(Duration.ofHours(1)));
            assertThat(h.audit("lease.renew", l.id())).hasSize(2);
        }
    }

    @Test
    void an_expired_or_revoked_lease_cannot_be_renewed() {
        try (LeaseHarness h = harness()) {
            Lease l = h.issue("w1", "readonly", Duration.ofMinutes(1)).lease();
            h.clock.advance(Duration.ofMinutes(2));
            assertThatThrownBy(() -> h.leases.renew(l.id(), null, "t")).hasMessageContaining("expired");
            h.leases.reap();
            assertThatThrownBy(() -> h.leases.renew(l.id(), null, "t"))
                    .isInstanceOfSatisfying(
                            LeaseException.class, e -> assertThat(e.status()).isEqualTo(409));
        }
    }

    @Test
    void a_ttl_above_the_roles_max_an_unknown_role_and_an_unknown_lease_are_refused() {
        try (LeaseHarness h = harness()) {
            assertThatThrownBy(() -> h.issue("w1", "readonly", Duration.ofHours(25)))
                    .isInstanceOfSatisfying(
                            LeaseException.class, e -> assertThat(e.status()).isEqualTo(400))
                    .hasMessageContaining("above the max ttl");
            assertThatThrownBy(() -> h.issue("w1", "superuser", null))
                    .isInstanceOfSatisfying(
                            LeaseException.class, e -> assertThat(e.status()).isEqualTo(404));
            assertThatThrownBy(() -> h.leases.revoke("0190a3b2-0000-7000-8000-000000000001", "t"))
                    .isInstanceOfSatisfying(
                            LeaseException.class, e -> assertThat(e.status()).isEqualTo(404));
            assertThat(h.leases.list(LeaseFilter.ALL, null, 10).items()).isEmpty();
            assertThat(h.target.managedRoles()).isEmpty();
        }
    }

    @Test
    void an_unreachable_database_answers_503_and_rolls_the_lease_back() {
        try (LeaseHarness h = harness()) {
            String yaml = h.target.yaml().replace("connectTimeout: 2s", "connectTimeout: 1s");
            PostgresIssuer down = new PostgresIssuer(PgTarget.config(yaml, "postgresql://nobody@127.0.0.1:1/none"));
            try (Leases l = new Leases(
                    h.db, h.audit, new Issuers(List.of(down)), SecretBox.of(LeaseHarness.KEK), h.clock, h.settings)) {
                assertThatThrownBy(() -> l.issue("app-db", LeaseHarness.grant("w1"), IssueRequest.of("readonly", null)))
                        .isInstanceOfSatisfying(
                                LeaseException.class,
                                e -> assertThat(e.status()).isEqualTo(503))
                        .hasMessageContaining("unreachable")
                        .hasMessageContaining("rolled back");
                // Revoking a role that was never created cannot reach the database either: the
                // rollback is retried by the reaper; the lease is never active.
                List<Lease> all = l.list(LeaseFilter.ALL, null, 10).items();
                assertThat(all)
                        .singleElement()
                        .satisfies(x -> assertThat(x.state()).isIn(LeaseState.REVOKING, LeaseState.ROLLED_BACK));
            }
        }
    }

    @Test
    void a_failing_revocation_backs_off_exponentially_then_becomes_irrevocable() {
        try (LeaseHarness h = harness()) {
            Lease l = h.issue("w1", "stuck", Duration.ofMinutes(1)).lease();
            h.clock.advance(Duration.ofMinutes(1));
            assertThat(h.leases.reap().failed()).isEqualTo(1);
            Lease first = h.leases.get(l.id()).orElseThrow();
            assertThat(first.state()).isEqualTo(LeaseState.REVOKING);
            assertThat(first.revokeAttempts()).isEqualTo(1);
            assertThat(first.lastError()).contains("revocation refused by the test");
            assertThat(first.nextAttemptAt()).isEqualTo(h.clock.instant().plus(Duration.ofSeconds(10)));
            h.clock.advance(Duration.ofSeconds(9));
            assertThat(h.leases.reap().claimed()).isZero();
            h.clock.advance(Duration.ofSeconds(1));
            assertThat(h.leases.reap().failed()).isEqualTo(1);
            assertThat(h.leases.get(l.id()).orElseThrow().nextAttemptAt())
                    .isEqualTo(h.clock.instant().plus(Duration.ofSeconds(20)));
            h.clock.advance(Duration.ofSeconds(20));
            assertThat(h.leases.reap().irrevocable()).isEqualTo(1);
            Lease last = h.leases.get(l.id()).orElseThrow();
            assertThat(last.state()).isEqualTo(LeaseState.IRREVOCABLE);
            assertThat(h.audit("lease.irrevocable", l.id())).hasSize(1);
            assertThat(h.audit("lease.revoke_failed", l.id())).hasSize(2);
            IdentityRecord rec = new Inventory(h.db, h.audit, h.clock)
                    .show(l.identityId(), null)
                    .orElseThrow();
            assertThat(rec.credentials().get(0).attributes()).containsEntry("lease.state", "irrevocable");
            h.clock.advance(Duration.ofHours(1));
            assertThat(h.leases.reap().claimed()).isZero();
        }
    }

    @Test
    void backoff_doubles_up_to_the_maximum() {
        try (LeaseHarness h = harness()) {
            assertThat(h.leases.settings().backoffAfter(1)).isEqualTo(Duration.ofSeconds(10));
            assertThat(h.leases.settings().backoffAfter(2)).isEqualTo(Duration.ofSeconds(20));
            assertThat(h.leases.settings().backoffAfter(3)).isEqualTo(Duration.ofSeconds(40));
            assertThat(h.leases.settings().backoffAfter(4)).isEqualTo(Duration.ofMinutes(1));
            assertThat(h.leases.settings().backoffAfter(60)).isEqualTo(Duration.ofMinutes(1));
        }
    }

    @Test
    void leases_are_listed_newest_first_with_filters_and_a_cursor() {
        try (LeaseHarness h = harness()) {
            Lease a = h.issue("team-a:api", "readonly", null).lease();
            Lease b = h.issue("team-a:batch", "readonly", null).lease();
            Lease c = h.issue("team-b:web", "readonly", null).lease();
            h.leases.revoke(c.id(), "t");
            var page = h.leases.list(LeaseFilter.ALL, null, 2);
            assertThat(page.items()).extracting(Lease::id).containsExactly(c.id(), b.id());
            assertThat(h.leases.list(LeaseFilter.ALL, page.nextCursor(), 2).items())
                    .extracting(Lease::id)
                    .containsExactly(a.id());
            assertThat(h.leases
                            .list(new LeaseFilter("team-a:*", "postgresql", LeaseState.ACTIVE), null, 10)
                            .items())
                    .extracting(Lease::id)
                    .containsExactly(b.id(), a.id());
            assertThat(h.leases
                            .list(new LeaseFilter(null, null, LeaseState.REVOKED), null, 10)
                            .items())
                    .extracting(Lease::id)
                    .containsExactly(c.id());
            assertThatThrownBy(() -> h.leases.list(LeaseFilter.ALL, "bm90LWEtY3Vyc29y", 10))
                    .hasMessage("invalid cursor");
        }
    }
}
