package dev.warden.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.audit.AuditLog;
import dev.warden.store.Database;
import dev.warden.store.DbUrl;
import dev.warden.store.Dialect;
import dev.warden.testing.Fixtures;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TokenServiceTest {
    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Fixtures.T0);

    private static TokenService tokens(Database db, TestClock clock) {
        return new TokenService(db, new AuditLog(db, clock), clock);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_token_is_stored_only_as_a_hash_and_authenticates_until_revoked(Dialect dialect) throws Exception {
        DbUrl url = TestStores.fresh(dialect, dir);
        try (Database db = Database.open(url)) {
            TokenService ts = tokens(db, clock);
            TokenService.Issued issued = ts.create(Role.OPERATOR, "payments", "deploys", "test");
            assertThat(issued.token()).matches("wdn_[0-9A-Za-z]{49}");
            assertThat(issued.toString()).doesNotContain(issued.token());
            assertThat(ts.authenticate(issued.token())).get().satisfies(t -> {
                assertThat(t.role()).isEqualTo(Role.OPERATOR);
                assertThat(t.team()).isEqualTo("payments");
                assertThat(t.hint())
                        .isEqualTo(issued.token().substring(issued.token().length() - 4));
            });
            try (Connection c = TestStores.connect(url);
                    Statement st = c.createStatement()) {
                for (String table : List.of("api_tokens", "audit_log", "settings")) {
                    try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                        while (rs.next()) {
                            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                                assertThat(String.valueOf(rs.getObject(i)))
                                        .doesNotContain(issued.token().substring(4, 40));
                            }
                        }
                    }
                }
            }
            assertThat(ts.revoke(issued.meta().id(), "test")).isTrue();
            assertThat(ts.authenticate(issued.token())).isEmpty();
            assertThat(ts.revoke(issued.meta().id(), "test")).isFalse();
        }
    }

    @Test
    void malformed_and_mistyped_tokens_are_rejected_without_a_lookup() {
        try (Database db = Database.open(TestStores.fresh(Dialect.SQLITE, dir))) {
            TokenService ts = tokens(db, clock);
            String good = ts.create(Role.ADMIN, null, null, "test").token();
            char last = good.charAt(20);
            String typo = good.substring(0, 20) + (last == 'a' ? 'b' : 'a') + good.substring(21);
            assertThat(TokenService.isWellFormed(good)).isTrue();
            assertThat(TokenService.isWellFormed(typo))
                    .as("checksum catches a typo")
                    .isFalse();
            for (String bad : new String[] {
                null, "", "wdn_", good + "x", good.substring(1), "WDN_" + good.substring(4), "' OR 1=1 --"
            }) {
                assertThat(ts.authenticate(bad)).as(String.valueOf(bad)).isEmpty();
            }
        }
    }

    @Test
    void bad_teams_and_descriptions_are_refused() {
        try (Database db = Database.open(TestStores.fresh(Dialect.SQLITE, dir))) {
            TokenService ts = tokens(db, clock);
            assertThatThrownBy(() -> ts.create(Role.ADMIN, "a b", null, "t")).hasMessageContaining("team must be");
            assertThatThrownBy(() -> ts.create(Role.ADMIN, "x".repeat(200), null, "t"))
                    .hasMessageContaining("team must be");
            assertThatThrownBy(() -> ts.create(Role.ADMIN, null, "d".repeat(201), "t"))
                    .hasMessageContaining("description");
            assertThatThrownBy(() -> Role.parse("root")).hasMessageContaining("unknown role");
            assertThat(ts.list()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void bootstrap_creates_one_admin_token_once(Dialect dialect) {
        try (Database db = Database.open(TestStores.fresh(dialect, dir))) {
            TokenService ts = tokens(db, clock);
            Optional<TokenService.Issued> first = ts.bootstrap();
            assertThat(first).isPresent();
            assertThat(first.get().meta().role()).isEqualTo(Role.ADMIN);
            assertThat(ts.bootstrap()).isEmpty();
            ts.revoke(first.get().meta().id(), "test");
            assertThat(ts.bootstrap()).as("revoking does not re-bootstrap").isEmpty();
        }
    }

    @Test
    void two_servers_starting_together_on_postgresql_bootstrap_exactly_one_token() throws Exception {
        DbUrl url = TestStores.freshPostgres();
        try (Database a = Database.open(url);
                Database b = Database.open(url)) {
            TokenService ta = tokens(a, clock);
            TokenService tb = tokens(b, clock);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Optional<TokenService.Issued>>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                TokenService t = i % 2 == 0 ? ta : tb;
                results.add(pool.submit((Callable<Optional<TokenService.Issued>>) t::bootstrap));
            }
            int created = 0;
            for (Future<Optional<TokenService.Issued>> f : results) {
                created += f.get().isPresent() ? 1 : 0;
            }
            pool.shutdown();
            assertThat(created).isEqualTo(1);
            assertThat(ta.list()).hasSize(1);
        }
    }
}
