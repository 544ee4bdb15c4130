package dev.warden.discovery.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.warden.discovery.Connector;
import dev.warden.discovery.ConnectorContract;
import dev.warden.discovery.Coverage;
import dev.warden.discovery.Discovery;
import dev.warden.discovery.ImportOptions;
import dev.warden.input.Input;
import dev.warden.input.InputException;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.inventory.Effect;
import dev.warden.inventory.Entitlement;
import dev.warden.inventory.ExternalIds;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.Nature;
import dev.warden.store.DbUrl;
import dev.warden.testing.Fixtures;
import dev.warden.testing.TestStores;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL connector against a real server (embedded PostgreSQL, or the one
 * {@code WARDEN_TEST_PG_URL} names): roles, memberships and grants are created in fresh test
 * databases with SQL, then imported. Role names carry a random suffix because roles are
 * server-wide.
 */
class PostgresConnectorTest extends ConnectorContract {
    private static final String S = suffix();
    private static final Clock CLOCK = Clock.fixed(Fixtures.T0, ZoneOffset.UTC);
    private static final List<String> ROLES = List.of(
            "reader_" + S,
            "analyst_" + S,
            "bi_" + S,
            "svc_orders_" + S,
            "old_" + S,
            "root_" + S,
            "ops_" + S,
            "deployer_" + S,
            "jane.doe" + S,
            "kiosk_" + S,
            "etl_" + S,
            "nologin_" + S,
            "pw_" + S,
            "bad\nname_" + S);

    private static String url;
    private static String url2;
    private static String db;
    private static String db2;
    private static String host;
    private static int port;
    private static DbUrl store;
    private static DbUrl store2;

    private static String suffix() {
        Random r = new Random();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            b.append((char) ('a' + r.nextInt(26)));
        }
        return b.toString();
    }

    @BeforeAll
    static void create_roles_and_grants() throws SQLException {
        store = TestStores.freshPostgres();
        store2 = TestStores.freshPostgres();
        db = name(store);
        db2 = name(store2);
        url = TestStores.postgresUrl(db);
        url2 = TestStores.postgresUrl(db2);
        URI u = URI.create(url);
        host = u.getHost();
        port = u.getPort();
        sql(store, """
                CREATE ROLE reader_%1$s NOLOGIN;
                CREATE ROLE analyst_%1$s NOLOGIN;
                GRANT reader_%1$s TO analyst_%1$s;
                CREATE ROLE bi_%1$s LOGIN;
                GRANT analyst_%1$s TO bi_%1$s;
                CREATE ROLE svc_orders_%1$s LOGIN VALID UNTIL '2030-01-01 00:00:00+00' CONNECTION LIMIT 5;
                CREATE ROLE old_%1$s LOGIN VALID UNTIL '2020-01-01 00:00:00+00';
                CREATE ROLE root_%1$s LOGIN SUPERUSER;
                CREATE ROLE ops_%1$s NOLOGIN BYPASSRLS CREATEROLE;
                CREATE ROLE deployer_%1$s LOGIN NOINHERIT;
                GRANT ops_%1$s TO deployer_%1$s WITH ADMIN OPTION;
                CREATE ROLE "jane.doe%1$s" LOGIN;
                CREATE ROLE kiosk_%1$s LOGIN;
                COMMENT ON ROLE kiosk_%1$s IS E'personal login of Ann Smith\\n(desk 4)';
                CREATE ROLE etl_%1$s LOGIN;
                COMMENT ON ROLE etl_%1$s IS 'nightly loads; owner: team-data';
                CREATE ROLE nologin_%1$s NOLOGIN;
                CREATE ROLE pw_%1$s LOGIN PASSWORD 'correct-horse-%1$s';
                CREATE ROLE "bad
                name_%1$s" LOGIN;
                CREATE SCHEMA sales;
                CREATE TABLE sales.orders (id int PRIMARY KEY, amount numeric, note text);
                CREATE SEQUENCE sales.order_ids;
                CREATE FUNCTION sales.total(integer) RETURNS numeric LANGUAGE sql AS 'SELECT 0::numeric';
                GRANT USAGE ON SCHEMA sales TO reader_%1$s;
                GRANT SELECT ON sales.orders TO reader_%1$s;
                GRANT CONNECT, CREATE ON DATABASE %2$s TO svc_orders_%1$s;
                GRANT USAGE ON SCHEMA sales TO svc_orders_%1$s;
                GRANT INSERT, UPDATE ON sales.orders TO svc_orders_%1$s WITH GRANT OPTION;
                GRANT USAGE ON SEQUENCE sales.order_ids TO svc_orders_%1$s;
                REVOKE EXECUTE ON FUNCTION sales.total(integer) FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION sales.total(integer) TO svc_orders_%1$s;
                GRANT SELECT (amount) ON sales.orders TO bi_%1$s;
                CREATE TABLE sales.loads (id int);
                ALTER TABLE sales.loads OWNER TO etl_%1$s;
                GRANT SELECT ON sales.orders TO ops_%1$s;
                """.formatted(S, db));
        sql(store2, """
                CREATE SCHEMA hr;
                CREATE TABLE hr.people (id int);
                GRANT USAGE ON SCHEMA hr TO bi_%1$s;
                GRANT SELECT ON hr.people TO bi_%1$s;
                """.formatted(S));
    }

    @AfterAll
    static void drop_roles() {
        StringBuilder owned = new StringBuilder();
        StringBuilder drop = new StringBuilder();
        for (String r : ROLES) {
            String q = "\"" + r.replace("\"", "\"\"") + "\"";
            owned.append("DROP OWNED BY ").append(q).append(";\n");
            drop.append("DROP ROLE IF EXISTS ").append(q).append(";\n");
        }
        try {
            sql(store2, owned.toString());
            sql(store, owned + drop.toString());
        } catch (SQLException e) {
            // best effort: the embedded server goes away with the JVM
        }
    }

    private static String name(DbUrl u) {
        String s = u.toString();
        return s.substring(s.lastIndexOf('/') + 1);
    }

    private static void sql(DbUrl target, String script) throws SQLException {
        try (Connection c = TestStores.connect(target);
                Statement st = c.createStatement()) {
            st.execute(script);
        }
    }

    private final PostgresConnector connector = new PostgresConnector(CLOCK, name -> null, 5, 10);

    @Override
    protected Connector connector() {
        return connector;
    }

    @Override
    protected List<Input> sample() {
        return List.of(Input.url(url));
    }

    private static Discovery discover(PostgresConnector c, String... urls) {
        List<Input> inputs = new ArrayList<>();
        for (String u : urls) {
            inputs.add(Input.url(u));
        }
        return c.discover(inputs, ImportOptions.NONE);
    }

    private Discovery discover(String... urls) {
        return discover(connector, urls);
    }

    private static IdentityRecord role(Discovery d, String name) {
        return d.records().stream()
                .filter(r -> r.identity().name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no role " + name));
    }

    private static Entitlement grant(String action, String resource, String via, String condition) {
        return new Entitlement(Effect.ALLOW, action, resource, via, condition);
    }

    @Test
    void login_roles_become_database_roles_with_attributes_and_password_expiry() {
        Discovery d = discover(url);

        IdentityRecord svc = role(d, "svc_orders_" + S);
        assertThat(svc.identity().kind()).isEqualTo(IdentityKind.DATABASE_ROLE);
        assertThat(svc.identity().externalId()).isEqualTo(ExternalIds.postgresRole(host, port, "svc_orders_" + S));
        assertThat(svc.identity().source().type()).isEqualTo("postgresql");
        assertThat(svc.identity().source().scope()).isEqualTo(host + ":" + port);
        assertThat(svc.identity().attributes())
                .containsEntry("superuser", "false")
                .containsEntry("createrole", "false")
                .containsEntry("createdb", "false")
                .containsEntry("bypassrls", "false")
                .containsEntry("replication", "false")
                .containsEntry("inherit", "true")
                .containsEntry("connection_limit", "5")
                .containsEntry("valid_until", "2030-01-01T00:00:00Z");
        assertThat(svc.credentials()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(CredentialKind.PASSWORD);
            assertThat(c.expiresAt()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
            assertThat(c.status()).isEqualTo(CredentialStatus.ACTIVE);
            assertThat(c.fingerprint()).isNull();
        });
        assertThat(role(d, "old_" + S).credentials().get(0).status()).isEqualTo(CredentialStatus.EXPIRED);
        assertThat(role(d, "bi_" + S).credentials().get(0).expiresAt()).isNull();
        assertThat(role(d, "root_" + S).identity().attributes()).containsEntry("superuser", "true");
        assertThat(role(d, "deployer_" + S).identity().attributes())
                .containsEntry("inherit", "false")
                .containsEntry("member_of", "ops_" + S);
        assertThat(d.coverage())
                .containsExactly(new Coverage("postgresql", host + ":" + port, IdentityKind.DATABASE_ROLE, ""));
    }

    @Test
    void roles_without_login_are_not_identities_and_hostile_names_are_skipped() {
        Discovery d = discover(url);

        assertThat(d.records())
                .extracting(r -> r.identity().name())
                .doesNotContain("reader_" + S, "analyst_" + S, "ops_" + S, "nologin_" + S)
                .noneMatch(n -> n.contains("\n"));
        assertThat(d.notes())
                .anySatisfy(n -> assertThat(n).contains("control characters").contains("name_" + S));
    }

    @Test
    void grants_reach_a_login_through_memberships_with_the_path_in_granted_via() {
        IdentityRecord bi = role(discover(url), "bi_" + S);
        String path = "role:analyst_" + S + " > role:reader_" + S;

        assertThat(bi.entitlements())
                .contains(
                        grant("MEMBER", "role:analyst_" + S, "direct", "{\"inherit\":true,\"set\":true}"),
                        grant("MEMBER", "role:reader_" + S, "via role:analyst_" + S, "{\"inherit\":true,\"set\":true}"),
                        grant("USAGE", "schema:" + db + ".sales", path, null),
                        grant("SELECT", "table:" + db + ".sales.orders", path, null),
                        grant("SELECT", "column:" + db + ".sales.orders.amount", "direct", null),
                        grant("CONNECT", "database:" + db, "PUBLIC", null),
                        grant("TEMPORARY", "database:" + db, "PUBLIC", null))
                .noneMatch(e -> e.action().equals("INSERT"))
                .noneMatch(e -> e.action().equals("SUPERUSER"));
    }

    @Test
    void direct_grants_on_databases_schemas_tables_sequences_and_functions_are_entitlements() {
        IdentityRecord svc = role(discover(url), "svc_orders_" + S);

        assertThat(svc.entitlements())
                .contains(
                        grant("CONNECT", "database:" + db, "direct", null),
                        grant("CREATE", "database:" + db, "direct", null),
                        grant("USAGE", "schema:" + db + ".sales", "direct", null),
                        grant("INSERT", "table:" + db + ".sales.orders", "direct", "{\"grant_option\":true}"),
                        grant("UPDATE", "table:" + db + ".sales.orders", "direct", "{\"grant_option\":true}"),
                        grant("USAGE", "sequence:" + db + ".sales.order_ids", "direct", null),
                        grant("EXECUTE", "function:" + db + ".sales.total(integer)", "direct", null));
        assertThat(role(discover(url), "bi_" + S).entitlements())
                .as("EXECUTE was revoked from PUBLIC")
                .noneMatch(e -> e.resource().startsWith("function:"));
    }

    @Test
    void superuser_and_what_set_role_reaches_are_entitlements() {
        Discovery d = discover(url);

        assertThat(role(d, "root_" + S).entitlements()).contains(grant("SUPERUSER", "server", "role attribute", null));
        String setRole = "SET ROLE role:ops_" + S;
        assertThat(role(d, "deployer_" + S).entitlements())
                .contains(
                        grant("MEMBER", "role:ops_" + S, "direct", "{\"inherit\":false,\"set\":true}"),
                        grant("ADMIN", "role:ops_" + S, "direct", null),
                        grant("BYPASSRLS", "server", setRole, null),
                        grant("CREATEROLE", "server", setRole, null),
                        grant("SELECT", "table:" + db + ".sales.orders", setRole, null))
                .noneMatch(e -> e.grantedVia().equals("role:ops_" + S));
    }

    @Test
    void owned_objects_are_owner_entitlements_and_a_comment_can_name_the_owner() {
        IdentityRecord etl = role(discover(url), "etl_" + S);

        assertThat(etl.entitlements()).contains(grant("OWNER", "table:" + db + ".sales.loads", "direct", null));
        assertThat(etl.identity().technicalOwner()).isEqualTo("team-data");
        assertThat(etl.identity().ownershipProvenance()).isEqualTo("postgresql role comment");
        assertThat(etl.identity().purpose()).isEqualTo("nightly loads; owner: team-data");
    }

    @Test
    void people_are_told_apart_from_services_with_the_reason() {
        Discovery d = discover(url);

        assertThat(role(d, "jane.doe" + S).identity().nature()).isEqualTo(Nature.HUMAN);
        assertThat(role(d, "jane.doe" + S).identity().natureReason()).contains("first.last");
        IdentityRecord kiosk = role(d, "kiosk_" + S);
        assertThat(kiosk.identity().nature()).isEqualTo(Nature.HUMAN);
        assertThat(kiosk.identity().natureReason()).contains("comment");
        assertThat(kiosk.identity().purpose()).isEqualTo("personal login of Ann Smith (desk 4)");
        assertThat(role(d, "svc_orders_" + S).identity().nature()).isEqualTo(Nature.MACHINE);
        assertThat(role(d, "svc_orders_" + S).identity().natureReason()).contains("'svc'");
        assertThat(role(d, "bi_" + S).identity().nature()).isEqualTo(Nature.MACHINE);
        assertThat(role(d, "bi_" + S).identity().natureReason()).contains("default");
    }

    @Test
    void several_databases_of_one_server_give_each_role_once_with_grants_from_all() {
        Discovery d = discover(url, url2);

        assertThat(d.records())
                .filteredOn(r -> r.identity().name().equals("bi_" + S))
                .hasSize(1);
        assertThat(role(d, "bi_" + S).entitlements())
                .contains(
                        grant(
                                "SELECT",
                                "table:" + db + ".sales.orders",
                                "role:analyst_" + S + " > role:reader_" + S,
                                null),
                        grant("SELECT", "table:" + db2 + ".hr.people", "direct", null));
        assertThat(d.coverage()).hasSize(1);
    }

    @Test
    void a_role_without_privileges_can_read_what_the_connector_needs() {
        assumeThat(System.getenv("WARDEN_TEST_PG_URL"))
                .as("needs the embedded server's trust login")
                .isNull();
        String asBi = "postgresql://bi_" + S + "@" + host + ":" + port + "/" + db;

        Discovery d = discover(asBi);

        assertThat(role(d, "svc_orders_" + S).entitlements())
                .contains(grant("INSERT", "table:" + db + ".sales.orders", "direct", "{\"grant_option\":true}"));
        assertThat(role(d, "root_" + S).identity().attributes()).containsEntry("superuser", "true");
    }

    @Test
    void the_session_is_read_only() throws SQLException {
        try (Connection c = connector.connect(PostgresUrl.parse("test", url, name -> null));
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SHOW transaction_read_only")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("on");
            }
            assertThatThrownBy(() -> st.execute("CREATE TABLE sales.written_by_warden (id int)"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
        }
    }

    @Test
    void a_wrong_password_fails_without_the_password_in_any_message() throws Exception {
        try (PasswordLogin ignored = PasswordLogin.require("pw_" + S)) {
            String secret = "wrong-secret-" + S;
            String bad = "postgresql://pw_" + S + ":" + secret + "@" + host + ":" + port + "/" + db;

            Throwable thrown = null;
            try {
                discover(bad);
            } catch (InputException e) {
                thrown = e;
            }

            assertThat(thrown).isNotNull();
            assertThat(thrown.getMessage())
                    .startsWith("postgresql://pw_" + S + ":***@" + host + ":" + port + "/" + db + ": ")
                    .contains("authentication failed for user 'pw_" + S + "'");
            for (Throwable t = thrown; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
                assertThat(t.toString()).doesNotContain(secret);
            }

            UnaryOperator<String> env = Map.of("PGPASSWORD", "correct-horse-" + S)::get;
            String noPassword = "postgresql://pw_" + S + "@" + host + ":" + port + "/" + db;
            assertThat(discover(new PostgresConnector(CLOCK, env, 5, 10), noPassword)
                            .records())
                    .isNotEmpty();
        }
    }

    @Test
    void a_closed_port_fails_fast_naming_the_redacted_url() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String secret = "s3cret-" + S;

        assertThatThrownBy(() -> discover("postgresql://warden:" + secret + "@127.0.0.1:" + closed + "/postgres"))
                .isInstanceOf(InputException.class)
                .hasMessage("postgresql://warden:***@127.0.0.1:" + closed + "/postgres: cannot connect to 127.0.0.1:"
                        + closed + ": connection refused or unreachable")
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
                    }
                });
    }

    @Test
    void a_password_with_unencoded_special_characters_never_reaches_a_message() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        for (String secret : List.of("p@ss/word", "pa/ss:word", "p@ss@word#x")) {
            String u = "postgresql://warden:" + secret + "@127.0.0.1:" + closed + "/postgres";

            assertThatThrownBy(() -> discover(u))
                    .isInstanceOf(InputException.class)
                    .satisfies(e -> {
                        for (Throwable t = e; t != null; t = t.getCause()) {
                            assertThat(String.valueOf(t.getMessage()))
                                    .doesNotContain("ss/word")
                                    .doesNotContain("ss:word")
                                    .doesNotContain("ss@word");
                        }
                    });
        }
    }

    @Test
    void a_server_that_is_not_postgresql_fails_naming_the_url() throws IOException {
        byte[] http = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (Answering server = new Answering(http)) {
            String u = "postgresql://warden@127.0.0.1:" + server.port() + "/postgres";

            assertThatThrownBy(() -> discover(u))
                    .isInstanceOf(InputException.class)
                    .hasMessageStartingWith(u + ": cannot connect to 127.0.0.1:" + server.port() + ": ");
        }
    }

    @Test
    void a_server_that_never_answers_times_out() throws IOException {
        PostgresConnector quick = new PostgresConnector(CLOCK, name -> null, 1, 1);
        try (Answering server = new Answering(null)) {
            String u = "postgresql://warden@127.0.0.1:" + server.port() + "/postgres";

            assertThatThrownBy(() -> discover(quick, u))
                    .isInstanceOf(InputException.class)
                    .hasMessageStartingWith(u + ": cannot connect to 127.0.0.1:" + server.port() + ": ")
                    .hasMessageContaining("no answer in time");
        }
    }

    @Test
    void a_missing_database_and_bad_urls_fail_naming_the_input() {
        String missing = "postgresql://postgres@" + host + ":" + port + "/no_such_db_" + S;
        assumeThat(System.getenv("WARDEN_TEST_PG_URL"))
                .as("needs the embedded server's trust login")
                .isNull();

        assertThatThrownBy(() -> discover(missing))
                .isInstanceOf(InputException.class)
                .hasMessage(missing + ": cannot connect to " + host + ":" + port + ": database 'no_such_db_" + S
                        + "' does not exist");
        assertThatThrownBy(() -> discover("postgresql://u:pw@db.example:5432/app?socketFactory=evil.Factory"))
                .isInstanceOf(InputException.class)
                .hasMessage(
                        "postgresql://u:***@db.example:5432/app?socketFactory=evil.Factory: unsupported URL parameter"
                                + " 'socketFactory' (supported: sslmode, sslrootcert)");
        assertThatThrownBy(() -> discover("mysql://u@db.example/app"))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("mysql://u@db.example/app: ");
        assertThatThrownBy(() -> connector.discover(List.of(Input.path(Path.of("roles.sql"))), ImportOptions.NONE))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("roles.sql: ")
                .hasMessageContaining("live server");
    }

    /** A loopback server that answers each connection with fixed bytes (or nothing) and waits. */
    private static final class Answering implements AutoCloseable {
        private final ServerSocket socket;

        Answering(byte[] answer) throws IOException {
            socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept();
                            InputStream in = s.getInputStream()) {
                        if (answer != null) {
                            s.getOutputStream().write(answer);
                            s.getOutputStream().flush();
                        }
                        s.setSoTimeout(5_000);
                        in.readAllBytes();
                    } catch (IOException e) {
                        // next connection
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * Makes the embedded server ask {@code role} for its password (scram-sha-256) by putting lines
     * for that role first in pg_hba.conf; the other roles keep their trust login. Restored on close.
     */
    private static final class PasswordLogin implements AutoCloseable {
        private final Path file;
        private final String original;

        private PasswordLogin(Path file, String original) {
            this.file = file;
            this.original = original;
        }

        static PasswordLogin require(String role) throws Exception {
            String hba;
            try (Connection c = TestStores.connect(store);
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SHOW hba_file")) {
                rs.next();
                hba = rs.getString(1);
            }
            Path file = Path.of(hba);
            assumeThat(Files.isWritable(file))
                    .as("pg_hba.conf of the test server is writable here")
                    .isTrue();
            String original = Files.readString(file);
            String lines =
                    "host all " + role + " 127.0.0.1/32 scram-sha-256\nhost all " + role + " ::1/128 scram-sha-256\n";
            Files.writeString(file, lines + original);
            reload();
            PasswordLogin login = new PasswordLogin(file, original);
            // a reload is asynchronous: wait until the server asks for the password
            String probe = "jdbc:postgresql://" + host + ":" + port + "/" + db;
            for (int i = 0; i < 100; i++) {
                try (Connection c = java.sql.DriverManager.getConnection(probe, role, "not-the-password")) {
                    assertThat(c.isValid(1)).isTrue();
                    Thread.sleep(50);
                } catch (SQLException e) {
                    if ("28P01".equals(e.getSQLState())) {
                        return login;
                    }
                    throw e;
                }
            }
            login.close();
            throw new IllegalStateException("the server did not start asking for a password");
        }

        private static void reload() throws SQLException {
            try (Connection c = TestStores.connect(store);
                    Statement st = c.createStatement()) {
                st.execute("SELECT pg_reload_conf()");
            }
        }

        @Override
        public void close() throws IOException {
            Files.writeString(file, original);
            try {
                reload();
            } catch (SQLException e) {
                throw new IOException("cannot reload pg_hba.conf", e);
            }
        }
    }
}
