package dev.warden.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.store.Database;
import dev.warden.store.DbUrl;
import dev.warden.store.Dialect;
import dev.warden.testing.Fixtures;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The hash chain catches every edit, deletion and reordering, on both stores. */
class AuditLogTest {
    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Fixtures.T0);

    private DbUrl withEntries(Dialect dialect, int n) {
        DbUrl url = TestStores.fresh(dialect, dir);
        try (Database db = Database.open(url)) {
            AuditLog log = new AuditLog(db, clock);
            for (int i = 1; i <= n; i++) {
                clock.advance(Duration.ofSeconds(1));
                log.append("user:" + i, "thing.change", "thing", "t" + i, Map.of("n", Integer.toString(i)));
            }
        }
        return url;
    }

    private AuditLog.Verification verify(DbUrl url) {
        try (Database db = Database.open(url)) {
            return new AuditLog(db, clock).verify();
        }
    }

    private static void tamper(DbUrl url, String sql) throws Exception {
        try (Connection c = TestStores.connect(url);
                Statement st = c.createStatement()) {
            assertThat(st.executeUpdate(sql)).as(sql).isGreaterThan(0);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void an_untouched_chain_verifies(Dialect dialect) {
        DbUrl url = withEntries(dialect, 5);
        AuditLog.Verification v = verify(url);
        assertThat(v.intact()).isTrue();
        assertThat(v.checked()).isEqualTo(5);
        assertThat(v.headSeq()).isEqualTo(5);
        assertThat(v.headHash()).hasSize(64);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void an_edited_field_is_caught_at_that_entry(Dialect dialect) throws Exception {
        for (String edit : List.of(
                "actor = 'someone-else'",
                "action = 'nothing'",
                "target_id = 'other'",
                "details = '{\"n\":\"9\"}'",
                "at = at + 1")) {
            DbUrl url = withEntries(dialect, 5);
            tamper(url, "UPDATE audit_log SET " + edit + " WHERE seq = 3");
            AuditLog.Verification v = verify(url);
            assertThat(v.intact()).as(edit).isFalse();
            assertThat(v.firstBadSeq()).as(edit).isEqualTo(3);
            assertThat(v.problem()).contains("entry 3");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_deleted_entry_is_caught(Dialect dialect) throws Exception {
        DbUrl url = withEntries(dialect, 5);
        tamper(url, "DELETE FROM audit_log WHERE seq = 2");
        AuditLog.Verification v = verify(url);
        assertThat(v.firstBadSeq()).isEqualTo(2);
        assertThat(v.problem()).contains("entry 2 is missing");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_deleted_entry_with_renumbered_successors_is_caught(Dialect dialect) throws Exception {
        DbUrl url = withEntries(dialect, 5);
        tamper(url, "DELETE FROM audit_log WHERE seq = 2");
        for (int s = 3; s <= 5; s++) {
            tamper(url, "UPDATE audit_log SET seq = " + (s - 1) + " WHERE seq = " + s);
        }
        AuditLog.Verification v = verify(url);
        assertThat(v.firstBadSeq()).isEqualTo(2);
        assertThat(v.problem()).contains("previous-hash mismatch");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_recomputed_hash_without_relinking_is_caught_at_the_next_entry(Dialect dialect) throws Exception {
        DbUrl url = withEntries(dialect, 4);
        List<String> hashes = new ArrayList<>();
        try (Connection c = TestStores.connect(url);
                Statement st = c.createStatement();
                var rs = st.executeQuery("SELECT * FROM audit_log WHERE seq = 2")) {
            rs.next();
            String forged = AuditLog.hash(
                    2,
                    rs.getLong("at"),
                    "forger",
                    rs.getString("action"),
                    rs.getString("target_type"),
                    rs.getString("target_id"),
                    rs.getString("details"),
                    rs.getString("prev_hash"));
            hashes.add(forged);
        }
        tamper(url, "UPDATE audit_log SET actor = 'forger', hash = '" + hashes.get(0) + "' WHERE seq = 2");
        AuditLog.Verification v = verify(url);
        assertThat(v.firstBadSeq()).isEqualTo(3);
    }

    @Test
    void concurrent_appends_from_two_pools_on_one_postgresql_keep_one_chain() throws Exception {
        DbUrl url = TestStores.freshPostgres();
        try (Database a = Database.open(url);
                Database b = Database.open(url)) {
            AuditLog la = new AuditLog(a, clock);
            AuditLog lb = new AuditLog(b, clock);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                AuditLog log = i % 2 == 0 ? la : lb;
                int n = i;
                futures.add(pool.submit(() -> log.append("w" + n, "x", "y", "z" + n, Map.of())));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            AuditLog.Verification v = la.verify();
            assertThat(v.intact()).isTrue();
            assertThat(v.checked()).isEqualTo(200);
        }
    }

    @Test
    void concurrent_appends_on_sqlite_keep_one_chain() throws Exception {
        DbUrl url = TestStores.fresh(Dialect.SQLITE, dir);
        try (Database db = Database.open(url)) {
            AuditLog log = new AuditLog(db, clock);
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                int n = i;
                futures.add(pool.submit(() -> log.append("w" + n, "x", "y", "z", Map.of())));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(log.verify().checked()).isEqualTo(120);
            assertThat(log.verify().intact()).isTrue();
        }
    }
}
