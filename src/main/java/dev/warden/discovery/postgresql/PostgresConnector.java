package dev.warden.discovery.postgresql;

import dev.warden.discovery.Connector;
import dev.warden.discovery.Coverage;
import dev.warden.discovery.Discovery;
import dev.warden.discovery.ImportOptions;
import dev.warden.discovery.postgresql.PostgresCatalog.Acl;
import dev.warden.discovery.postgresql.PostgresCatalog.Cluster;
import dev.warden.discovery.postgresql.PostgresCatalog.Role;
import dev.warden.input.Echo;
import dev.warden.input.Input;
import dev.warden.input.InputException;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.InventoryText;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Reads a live PostgreSQL server ({@code postgresql://user[:password]@host:port/db}, password also
 * from {@code PGPASSWORD}): every login role becomes a {@code database_role} identity with its
 * attributes, {@code rolvaliduntil} as its password's expiry, and its memberships and privileges as
 * entitlements (see {@link RoleRecords}). Roles without LOGIN are not identities; what they are
 * granted reaches their members. The session is read-only (read-only repeatable-read transaction,
 * {@code default_transaction_read_only}) with short connect, login and statement timeouts; only
 * catalogs every role may read are queried, never {@code pg_authid}. Roles and database privileges
 * are server-wide; schema, table, sequence, column and function privileges are read from each
 * database named by a URL. Coverage: the login roles of each server read.
 */
public final class PostgresConnector implements Connector {
    private static final Driver DRIVER = new org.postgresql.Driver();
    private static final int STATEMENT_TIMEOUT_MS = 30_000;
    private static final int SOCKET_TIMEOUT_S = 60;

    private final Clock clock;
    private final UnaryOperator<String> env;
    private final int connectSeconds;
    private final int loginSeconds;

    public PostgresConnector(Clock clock) {
        this(clock, System::getenv, 5, 10);
    }

    /** For tests: the environment ({@code PGPASSWORD}, {@code PGUSER}) and timeouts in seconds. */
    PostgresConnector(Clock clock, UnaryOperator<String> env, int connectSeconds, int loginSeconds) {
        this.clock = clock;
        this.env = env;
        this.connectSeconds = connectSeconds;
        this.loginSeconds = loginSeconds;
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String description() {
        return "login roles, role attributes, password expiry, memberships and grants of a live PostgreSQL server"
                + " (postgresql://user@host:port/db; password in the URL or PGPASSWORD)";
    }

    @Override
    public Discovery discover(List<Input> inputs, ImportOptions options) {
        if (inputs.isEmpty()) {
            throw new InputException("no server given (expected postgresql://user@host:port/db)");
        }
        Map<String, List<PostgresUrl>> byServer = new LinkedHashMap<>();
        for (Input in : inputs) {
            if (!in.isUrl()) {
                throw new InputException(in.name() + ": the postgresql source reads a live server"
                        + " (postgresql://user@host:port/db), not files or uploaded content");
            }
            PostgresUrl url = PostgresUrl.parse(PostgresUrl.safeName(in.name(), in.url()), in.url(), env);
            List<PostgresUrl> same = byServer.computeIfAbsent(url.server(), k -> new ArrayList<>());
            if (same.stream().noneMatch(u -> u.database.equals(url.database))) {
                same.add(url);
            }
        }
        Instant now = clock.instant();
        List<IdentityRecord> records = new ArrayList<>();
        List<Coverage> coverage = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (List<PostgresUrl> urls : byServer.values()) {
            read(urls, options.environment(), now, records, notes);
            PostgresUrl first = urls.get(0);
            coverage.add(new Coverage(RoleRecords.SOURCE, first.server(), IdentityKind.DATABASE_ROLE, ""));
        }
        return new Discovery(records, coverage, notes);
    }

    private void read(
            List<PostgresUrl> urls, String environment, Instant now, List<IdentityRecord> records, List<String> notes) {
        Cluster cluster = null;
        List<Acl> objects = new ArrayList<>();
        List<String> databases = new ArrayList<>();
        PostgresUrl first = urls.get(0);
        for (PostgresUrl url : urls) {
            try (Connection c = connect(url)) {
                int version = PostgresCatalog.version(c);
                if (version < PostgresCatalog.MIN_VERSION) {
                    throw new InputException(url.name + ": server version " + version
                            + " is older than PostgreSQL 9.5, which this connector needs");
                }
                if (cluster == null) {
                    cluster = PostgresCatalog.cluster(c, version);
                }
                objects.addAll(PostgresCatalog.objects(c, version));
                databases.add(url.database);
                c.rollback();
            } catch (SQLException e) {
                throw failure(url, "reading the catalogs failed", e);
            }
        }
        RoleRecords build = new RoleRecords(first.host, first.port, cluster, objects);
        int logins = 0;
        int others = 0;
        for (Role r : cluster.roles()) {
            if (!r.canLogin()) {
                others++;
                continue;
            }
            if (!r.name().equals(RoleRecords.clean(r.name())) || r.name().length() > InventoryText.MAX_TEXT) {
                notes.add(first.server() + ": skipped a login role whose name has control characters ('"
                        + Echo.shown(r.name()) + "')");
                continue;
            }
            try {
                records.add(build.record(r, environment, now));
            } catch (IllegalArgumentException e) {
                throw new InputException(first.name + ": role '" + Echo.shown(r.name()) + "': " + e.getMessage(), e);
            }
            logins++;
        }
        notes.add(first.server() + ": " + logins + " login roles read; " + others
                + " roles without LOGIN are not identities (their grants reach their members); objects read from"
                + " database" + (databases.size() == 1 ? " " : "s ") + String.join(", ", databases));
    }

    /** A read-only session with short timeouts, inside a read-only repeatable-read transaction. */
    Connection connect(PostgresUrl url) {
        Connection c;
        try {
            c = DRIVER.connect(url.jdbcUrl(), url.properties(connectSeconds, loginSeconds, SOCKET_TIMEOUT_S));
        } catch (SQLException e) {
            throw failure(url, "cannot connect to " + url.server(), e);
        }
        if (c == null) {
            throw new InputException(url.name + ": not a PostgreSQL URL the driver accepts");
        }
        try {
            try (Statement st = c.createStatement()) {
                st.execute("SET statement_timeout = " + STATEMENT_TIMEOUT_MS);
                st.execute("SET lock_timeout = 5000");
                st.execute("SET default_transaction_read_only = on");
            }
            c.setReadOnly(true);
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            return c;
        } catch (SQLException e) {
            try {
                c.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw failure(url, "cannot start a read-only session", e);
        }
    }

    /** A one-line error naming the redacted URL; the password never appears, the cause only when clean. */
    private static InputException failure(PostgresUrl url, String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String server = firstLine(url.scrub(e.getMessage()));
        String detail = switch (state) {
            case "28P01" -> "authentication failed for user '" + Echo.shown(url.user) + "' (wrong password?)";
            case "28000" -> "not allowed to log in: " + server;
            case "3D000" -> "database '" + Echo.shown(url.database) + "' does not exist";
            case "42501" -> "permission denied: " + server;
            case "57014" -> "a catalog query ran longer than " + STATEMENT_TIMEOUT_MS / 1000 + " s";
            default -> network(e, server);
        };
        String message = url.name + ": " + what + ": " + detail;
        boolean clean = true;
        for (Throwable t = e; t != null; t = t.getCause()) {
            clean &= !url.leaks(t.getMessage());
        }
        return clean ? new InputException(message, e) : new InputException(message);
    }

    private static String network(SQLException e, String server) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return "connection refused or unreachable";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof SocketTimeoutException) {
                return "no answer in time (is it a PostgreSQL server?)";
            }
        }
        String lower = server.toLowerCase(Locale.ROOT);
        if (lower.contains("timed out") || lower.contains("timeout")) {
            return "no answer in time (is it a PostgreSQL server?)";
        }
        return "is it a PostgreSQL server? " + server;
    }

    private static String firstLine(String s) {
        String line = RoleRecords.clean(s.lines().findFirst().orElse(""));
        if (line == null) {
            return "no detail";
        }
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
