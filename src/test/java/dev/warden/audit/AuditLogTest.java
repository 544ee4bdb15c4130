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
import java.util.Arrays;
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
    void batched_appends_continue_the_chain_in_order(Dialect dialect) {
        DbUrl url = withEntries(dialect, 3);
        try (Database db = Database.open(url)) {
            AuditLog log = new AuditLog(db, clock);
            db.inTransaction(h -> {
                log.appendAll(
                        h,
                        java.util.List.of(
                                new AuditLog.Pending("a", "x.one", "thing", "t4", Map.of()),
                                new AuditLog.Pending("b", "x.two", "thing", "t5", Map.of("k", "v"))));
                return null;
            });
            log.append("c", "x.three", "thing", "t6", Map.of());
            assertThat(log.list(3, 10).stream().map(AuditEntry::action)).containsExactly("x.one", "x.two", "x.three");
        }
        AuditLog.Verification v = verify(url);
        assertThat(v.intact()).isTrue();
        assertThat(v.checked()).isEqualTo(6);
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

    /** A corruption of entry 3 of 5 (SQL run in order), and what verify must say about it. */
    record Corruption(String what, boolean sqliteOnly, long badSeq, String problem, String... sql) {}

    /** Copies audit_log without its constraints (NOT NULL, primary key), as a tamperer could. */
    private static final String[] UNCONSTRAINED = {
        "CREATE TABLE audit_copy AS SELECT * FROM audit_log",
        "DROP TABLE audit_log",
        "ALTER TABLE audit_copy RENAME TO audit_log"
    };

    private static String[] unconstrained(String... then) {
        String[] all = Arrays.copyOf(UNCONSTRAINED, UNCONSTRAINED.length + then.length);
        System.arraycopy(then, 0, all, UNCONSTRAINED.length, then.length);
        return all;
    }

    static List<Corruption> corruptions() {
        List<Corruption> c = new ArrayList<>(List.of(
                new Corruption(
                        "details not JSON",
                        false,
                        3,
                        "entry 3 was altered",
                        "UPDATE audit_log SET details = '{\"n\": tru' WHERE seq = 3"),
                new Corruption(
                        "details JSON null",
                        false,
                        3,
                        "entry 3 was altered",
                        "UPDATE audit_log SET details = 'null' WHERE seq = 3"),
                new Corruption(
                        "details an array",
                        false,
                        3,
                        "entry 3 was altered",
                        "UPDATE audit_log SET details = '[1]' WHERE seq = 3"),
                new Corruption(
                        "details nested",
                        false,
                        3,
                        "entry 3 was altered",
                        "UPDATE audit_log SET details = '{\"n\":{\"x\":1}}' WHERE seq = 3"),
                new Corruption(
                        "details with a null",
                        false,
                        3,
                        "entry 3 was altered",
                        "UPDATE audit_log SET details = '{\"n\":null}' WHERE seq = 3"),
                new Corruption(
                        "details re-spaced",
                        false,
                        3,
                        "entry 3 was altered",
                        "UPDATE audit_log SET details = '{ \"n\":\"3\"}' WHERE seq = 3"),
                new Corruption(
                        "empty details",
                        false,
                        3,
                        "entry 3 was altered",
                        "UPDATE audit_log SET details = '' WHERE seq = 3"),
                new Corruption(
                        "hash altered",
                        false,
                        3,
                        "entry 3 was altered",
                        "UPDATE audit_log SET hash = '" + "f".repeat(64) + "' WHERE seq = 3"),
                new Corruption(
                        "hash truncated",
                        false,
                        3,
                        "entry 3 was altered",
                        "UPDATE audit_log SET hash = 'abc' WHERE seq = 3"),
                new Corruption(
                        "prev_hash altered",
                        false,
                        3,
                        "previous-hash mismatch",
                        "UPDATE audit_log SET prev_hash = '" + "0".repeat(64) + "' WHERE seq = 3"),
                new Corruption("row deleted", false, 3, "entry 3 is missing", "DELETE FROM audit_log WHERE seq = 3"),
                new Corruption(
                        "rows swapped",
                        false,
                        2,
                        "previous-hash mismatch",
                        "UPDATE audit_log SET seq = 100 WHERE seq = 2",
                        "UPDATE audit_log SET seq = 2 WHERE seq = 4",
                        "UPDATE audit_log SET seq = 4 WHERE seq = 100"),
                new Corruption(
                        "seq renumbered",
                        false,
                        3,
                        "entry 3 is missing",
                        "UPDATE audit_log SET seq = 30 WHERE seq = 3"),
                new Corruption(
                        "seq zero",
                        false,
                        1,
                        "entry 1 is missing or duplicated",
                        "UPDATE audit_log SET seq = 0 WHERE seq = 1"),
                new Corruption(
                        "seq not a number",
                        true,
                        3,
                        "entry 3 is missing",
                        "UPDATE audit_log SET seq = 'three' WHERE seq = 3"),
                new Corruption(
                        "time not a number",
                        true,
                        3,
                        "its time is not a number",
                        "UPDATE audit_log SET at = 'yesterday' WHERE seq = 3"),
                new Corruption(
                        "seq duplicated",
                        false,
                        3,
                        "entry 3 is missing or duplicated",
                        unconstrained("UPDATE audit_log SET seq = 2 WHERE seq = 3"))));
        for (String column :
                List.of("at", "actor", "action", "target_type", "target_id", "details", "prev_hash", "hash")) {
            c.add(new Corruption(
                    column + " null",
                    false,
                    3,
                    "entry 3 was altered (its " + column + " is empty)",
                    unconstrained("UPDATE audit_log SET " + column + " = NULL WHERE seq = 3")));
        }
        return c;
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void every_kind_of_corruption_is_reported_at_the_first_bad_entry(Dialect dialect) throws Exception {
        for (Corruption c : corruptions()) {
            if (c.sqliteOnly() && dialect != Dialect.SQLITE) {
                continue;
            }
            DbUrl url = withEntries(dialect, 5);
            for (String sql : c.sql()) {
                try (Connection conn = TestStores.connect(url);
                        Statement st = conn.createStatement()) {
                    st.executeUpdate(sql);
                }
            }
            AuditLog.Verification v = verify(url);
            assertThat(v.intact()).as(c.what()).isFalse();
            assertThat(v.firstBadSeq()).as(c.what() + ": " + v.problem()).isEqualTo(c.badSeq());
            assertThat(v.problem())
                    .as(c.what())
                    .startsWith("entry " + c.badSeq() + " ")
                    .contains(c.problem());
            assertThat(v.checked()).as(c.what()).isEqualTo(c.badSeq() - 1);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_row_without_a_seq_is_reported_as_a_missing_entry(Dialect dialect) throws Exception {
        DbUrl url = withEntries(dialect, 5);
        try (Connection c = TestStores.connect(url);
                Statement st = c.createStatement()) {
            for (String sql : unconstrained("UPDATE audit_log SET seq = NULL WHERE seq = 3")) {
                st.executeUpdate(sql);
            }
        }
        AuditLog.Verification v = verify(url);
        assertThat(v.intact()).isFalse();
        // NULL sorts first on SQLite and last on PostgreSQL
        assertThat(v.problem())
                .isEqualTo(
                        dialect == Dialect.SQLITE
                                ? "entry 1 is missing (the next row's seq is empty)"
                                : "entry 3 is missing (next entry is 4)");
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
