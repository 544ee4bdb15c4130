package dev.warden.cli;

import static dev.warden.cli.Cli.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.store.Dialect;
import dev.warden.testing.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code warden audit verify} on real SQLite and PostgreSQL: exit 0 on an intact log; exit 1 naming
 * the first bad entry after the audit_log table is edited behind Warden's back.
 */
class AuditCommandTest {
    private static final int ENTRIES = 5;

    @TempDir
    Path dir;

    /** A store with {@value #ENTRIES} audit entries: four tokens created, one revoked. */
    private Cli.Store storeWithHistory(Dialect dialect) {
        Cli.Store store = Cli.Store.fresh(dialect, dir);
        assertThat(store.run("token", "create", "--role", "admin").code()).isZero();
        assertThat(store.run("token", "create", "--role", "auditor", "--team", "payments")
                        .code())
                .isZero();
        JsonNode created = assertOk(store.run("token", "create", "--role", "operator", "--format", "json"))
                .json();
        assertOk(store.run("token", "revoke", created.get("meta").get("id").asText()));
        assertThat(store.run("token", "create", "--role", "auditor", "--description", "after the revoke")
                        .code())
                .isZero();
        return store;
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void verify_passes_on_an_intact_log(Dialect dialect) {
        Cli.Store store = storeWithHistory(dialect);

        Cli.Result table = assertOk(store.run("audit", "verify"));
        Cli.Result json = assertOk(store.run("audit", "verify", "--format", "json"));

        assertThat(table.outLines())
                .singleElement()
                .asString()
                .matches("audit log intact: " + ENTRIES + " entries, head " + ENTRIES + " [0-9a-f]{64}");
        JsonNode v = json.json();
        assertThat(v.get("intact").asBoolean()).isTrue();
        assertThat(v.get("checked").asLong()).isEqualTo(ENTRIES);
        assertThat(v.get("firstBadSeq").asLong()).isZero();
        assertThat(v.get("headSeq").asLong()).isEqualTo(ENTRIES);
        assertThat(table.out()).contains(v.get("headHash").asText());
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void verify_of_an_empty_log_passes(Dialect dialect) {
        Cli.Store store = Cli.Store.fresh(dialect, dir);

        Cli.Result r = assertOk(store.run("audit", "verify", "--format", "json"));

        assertThat(r.json().get("intact").asBoolean()).isTrue();
        assertThat(r.json().get("checked").asLong()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void an_edited_actor_fails_verify_at_that_entry(Dialect dialect) throws SQLException {
        Cli.Store store = storeWithHistory(dialect);
        tamper(store, "UPDATE audit_log SET actor = 'cli:someone-else' WHERE seq = 3");

        Cli.Result table = store.run("audit", "verify");
        Cli.Result json = store.run("audit", "verify", "--format", "json");

        assertBroken(table, json, 3);
        assertThat(table.out()).contains("entry 3 was altered");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void an_edited_newest_entry_fails_verify_at_that_entry(Dialect dialect) throws SQLException {
        Cli.Store store = storeWithHistory(dialect);
        tamper(store, "UPDATE audit_log SET at = at - 1000 WHERE seq = " + ENTRIES);

        assertBroken(store.run("audit", "verify"), store.run("audit", "verify", "--format", "json"), ENTRIES);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_deleted_middle_entry_fails_verify_at_that_entry(Dialect dialect) throws SQLException {
        Cli.Store store = storeWithHistory(dialect);
        tamper(store, "DELETE FROM audit_log WHERE seq = 3");

        Cli.Result table = store.run("audit", "verify");
        Cli.Result json = store.run("audit", "verify", "--format", "json");

        assertBroken(table, json, 3);
        assertThat(table.out()).contains("entry 3 is missing");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void swapped_entries_fail_verify_at_the_first_of_them(Dialect dialect) throws SQLException {
        Cli.Store store = storeWithHistory(dialect);
        tamper(
                store,
                "UPDATE audit_log SET seq = 100 WHERE seq = 2",
                "UPDATE audit_log SET seq = 2 WHERE seq = 4",
                "UPDATE audit_log SET seq = 4 WHERE seq = 100");

        assertBroken(store.run("audit", "verify"), store.run("audit", "verify", "--format", "json"), 2);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void an_entry_whose_details_are_not_json_fails_verify_at_that_entry(Dialect dialect) throws SQLException {
        Cli.Store store = storeWithHistory(dialect);
        tamper(store, "UPDATE audit_log SET details = '{\"role\": adm' WHERE seq = 3");

        Cli.Result table = store.run("audit", "verify");
        Cli.Result json = store.run("audit", "verify", "--format", "json");

        assertBroken(table, json, 3);
        assertThat(table.out()).contains("entry 3 was altered");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void an_entry_with_an_empty_column_fails_verify_at_that_entry(Dialect dialect) throws SQLException {
        Cli.Store store = storeWithHistory(dialect);
        try (Connection c = TestStores.connect(store.url());
                Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE audit_copy AS SELECT * FROM audit_log");
            st.executeUpdate("DROP TABLE audit_log");
            st.executeUpdate("ALTER TABLE audit_copy RENAME TO audit_log");
            st.executeUpdate("UPDATE audit_log SET actor = NULL WHERE seq = 4");
        }

        Cli.Result table = store.run("audit", "verify");

        assertBroken(table, store.run("audit", "verify", "--format", "json"), 4);
        assertThat(table.out()).contains("entry 4 was altered (its actor is empty)");
    }

    private static void assertBroken(Cli.Result table, Cli.Result json, long seq) {
        assertThat(table.code()).as("%s", table).isEqualTo(1);
        assertThat(table.err()).as("%s", table).isEmpty();
        assertThat(table.outLines())
                .singleElement()
                .asString()
                .startsWith("audit log BROKEN at entry " + seq + ": ")
                .endsWith("(" + (seq - 1) + " entries before it verified)");

        assertThat(json.code()).as("%s", json).isEqualTo(1);
        assertThat(json.err()).as("%s", json).isEmpty();
        JsonNode v = json.json();
        assertThat(v.get("intact").asBoolean()).isFalse();
        assertThat(v.get("firstBadSeq").asLong()).isEqualTo(seq);
        assertThat(v.get("checked").asLong()).isEqualTo(seq - 1);
        assertThat(v.get("problem").asText()).startsWith("entry " + seq + " ");
    }

    private static void tamper(Cli.Store store, String... statements) throws SQLException {
        try (Connection c = TestStores.connect(store.url());
                Statement st = c.createStatement()) {
            for (String sql : statements) {
                assertThat(st.executeUpdate(sql)).as(sql).isEqualTo(1);
            }
        }
    }
}
