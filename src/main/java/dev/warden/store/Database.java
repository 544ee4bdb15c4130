package dev.warden.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The store's connection pool, SQL access (JDBI) and schema migrations (Flyway), for SQLite or
 * PostgreSQL. Opening a database migrates it to the current schema; every failure to open becomes
 * a {@link StoreException} with a one-line message that names the store but never its password.
 */
public final class Database implements AutoCloseable {
    private final DbUrl url;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(DbUrl url, HikariDataSource dataSource) {
        this.url = url;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
    }

    /** Opens (creating if needed) and migrates the store at {@code url}. */
    public static Database open(DbUrl url) {
        HikariDataSource ds = url.dialect() == Dialect.SQLITE ? sqlitePool(url) : postgresPool(url);
        Database db = new Database(url, ds);
        try {
            db.migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return db;
    }

    private static HikariDataSource sqlitePool(DbUrl url) {
        Path file = url.sqlitePath();
        Path dir = file.getParent();
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
        } catch (FileAlreadyExistsException e) {
            throw new StoreException(
                    "cannot create data directory " + dir + ": " + e.getFile() + " exists and is not a directory", e);
        } catch (IOException | SecurityException e) {
            throw new StoreException("cannot create data directory " + dir + ": " + describe(e), e);
        }
        if (Files.isDirectory(file)) {
            throw new StoreException("cannot open sqlite store " + file + ": it is a directory");
        }
        if (dir != null && !Files.isWritable(dir)) {
            throw new StoreException(
                    "cannot open sqlite store " + file + ": data directory " + dir + " is not writable");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(15_000);
        config.enforceForeignKeys(true);
        // Writers take the lock up front, so read-then-write transactions never deadlock on upgrade.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.setCacheSize(-65_536); // 64 MiB page cache per connection
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl(url.jdbcUrl());
        HikariConfig hc = new HikariConfig();
        hc.setDataSource(sqlite);
        hc.setPoolName("warden-sqlite");
        hc.setMaximumPoolSize(Math.max(4, Runtime.getRuntime().availableProcessors() * 2));
        hc.setConnectionTimeout(15_000);
        hc.setInitializationFailTimeout(1);
        return pool(hc, url);
    }

    private static HikariDataSource postgresPool(DbUrl url) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url.jdbcUrl());
        hc.setPoolName("warden-postgresql");
        if (url.user() != null) {
            hc.setUsername(url.user());
        }
        String password = url.password() != null ? url.password() : System.getenv("PGPASSWORD");
        if (password != null) {
            hc.setPassword(password);
        }
        hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        hc.addDataSourceProperty("connectTimeout", "5");
        // A server that accepts the connection but never answers must not hang start-up.
        hc.addDataSourceProperty("loginTimeout", "10");
        hc.addDataSourceProperty("socketTimeout", "300");
        hc.addDataSourceProperty("ApplicationName", "warden");
        hc.setMaximumPoolSize(Math.max(8, Runtime.getRuntime().availableProcessors() * 4));
        hc.setConnectionTimeout(10_000);
        hc.setInitializationFailTimeout(1);
        return pool(hc, url);
    }

    private static HikariDataSource pool(HikariConfig hc, DbUrl url) {
        try {
            return new HikariDataSource(hc);
        } catch (HikariPool.PoolInitializationException e) {
            throw new StoreException("cannot connect to " + url + ": " + describe(e.getCause()), e);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open " + url + ": " + describe(e), e);
        }
    }

    private void migrate() {
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .placeholders(url.dialect().migrationPlaceholders())
                    .validateMigrationNaming(true)
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException("cannot migrate " + url + ": " + describe(e), e);
        }
    }

    /** Turns a driver exception into one lower-case line without stack or SQL state noise. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = root.getClass().getSimpleName();
        }
        if (root instanceof SQLException && msg.contains("SQLITE_NOTADB")) {
            msg = "file is not a database (corrupt or not a Warden store)";
        } else if (msg.contains("SQLITE_READONLY") || msg.contains("SQLITE_CANTOPEN")) {
            msg = "file cannot be opened for writing (read-only file or directory?)";
        } else if (msg.startsWith("[SQLITE_")) {
            msg = msg.replaceFirst("^\\[SQLITE_[A-Z_]+\\]\\s*", "");
        }
        msg = msg.lines().findFirst().orElse(msg).strip();
        if (msg.length() > 300) {
            msg = msg.substring(0, 300) + "…";
        }
        return Character.toLowerCase(msg.charAt(0)) + msg.substring(1);
    }

    public Dialect dialect() {
        return url.dialect();
    }

    public DbUrl url() {
        return url;
    }

    /** Runs {@code callback} in one transaction: all of its writes land, or none do. */
    public <R> R inTransaction(HandleCallback<R, RuntimeException> callback) {
        try {
            return jdbi.inTransaction(callback);
        } catch (JdbiException e) {
            throw translate(e);
        }
    }

    /** Runs {@code callback} on a pooled connection in auto-commit mode (reads). */
    public <R> R withHandle(HandleCallback<R, RuntimeException> callback) {
        try {
            return jdbi.withHandle(callback);
        } catch (JdbiException e) {
            throw translate(e);
        }
    }

    /**
     * Runs {@code callback} where a large result set streams instead of being read whole
     * (PostgreSQL only streams inside a transaction; SQLite always streams).
     */
    public <R> R streaming(HandleCallback<R, RuntimeException> callback) {
        return dialect() == Dialect.POSTGRESQL ? inTransaction(callback) : withHandle(callback);
    }

    private StoreException translate(JdbiException e) {
        return new StoreException("store error on " + url + ": " + describe(e), e);
    }

    /** True when a trivial query succeeds within the pool's timeout. */
    public boolean isReady() {
        try {
            return jdbi.withHandle(
                            h -> h.createQuery("SELECT 1").mapTo(Integer.class).one())
                    == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Takes a transaction-scoped lock so that concurrent writers of {@code key} run one at a time. */
    public void lock(Handle h, String key) {
        if (dialect() == Dialect.POSTGRESQL) {
            h.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(:k)) AS l")
                    .bind("k", (long) key.toLowerCase(Locale.ROOT).hashCode())
                    .mapTo(Integer.class)
                    .one();
        }
        // SQLite: transactions begin IMMEDIATE, so a writer already holds the database lock.
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
