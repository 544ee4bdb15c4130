package dev.warden.broker.issue.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.audit.AuditLog;
import dev.warden.broker.issue.Issuers;
import dev.warden.broker.issue.StaticRoles;
import dev.warden.store.Database;
import dev.warden.store.Dialect;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestStores;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticRolesTest {
    @TempDir
    Path dir;

    @Test
    void a_static_roles_password_is_rotated_once_per_period_by_one_of_two_servers_and_not_kept() throws Exception {
        PgTarget t = PgTarget.create();
        String user = "static_" + t.prefix + "app";
        t.sql("CREATE ROLE " + user + " LOGIN PASSWORD 'known-at-setup'");
        String yaml = t.yaml() + "staticRoles:\n  - {name: app, username: " + user + ", rotation: 1h}\n";
        TestClock clock = new TestClock(Instant.now());
        try (Database db = Database.open(TestStores.fresh(Dialect.SQLITE, dir))) {
            AuditLog audit = new AuditLog(db, clock);
            PostgresIssuer issuer = new PostgresIssuer(PgTarget.config(yaml, t.adminUrl));
            StaticRoles a = new StaticRoles(db, audit, new Issuers(List.of(issuer)), clock);
            StaticRoles b = new StaticRoles(db, audit, new Issuers(List.of(issuer)), clock);
            assertThat(t.login(user, "known-at-setup").isValid(5)).isTrue();
            assertThat(a.rotateDue() + b.rotateDue()).isEqualTo(1);
            assertThatThrownBy(() -> t.login(user, "known-at-setup")).isInstanceOf(SQLException.class);
            clock.advance(Duration.ofMinutes(59));
            assertThat(a.rotateDue() + b.rotateDue()).isZero();
            clock.advance(Duration.ofMinutes(1));
            assertThat(b.rotateDue() + a.rotateDue()).isEqualTo(1);
            assertThat(audit.list(0, 100).stream().filter(e -> e.action().equals("credential.rotate")))
                    .hasSize(2);
            String stored = db.withHandle(h -> h.createQuery("SELECT * FROM static_rotations")
                    .mapToMap()
                    .list()
                    .toString());
            assertThat(stored).doesNotContainIgnoringCase("password");
            issuer.close();
        } finally {
            t.sql("DROP ROLE " + user);
        }
    }
}
