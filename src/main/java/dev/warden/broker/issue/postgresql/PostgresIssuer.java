package dev.warden.broker.issue.postgresql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.warden.broker.issue.IssueException;
import dev.warden.broker.issue.IssueRequest;
import dev.warden.broker.issue.Issued;
import dev.warden.broker.issue.Issuer;
import dev.warden.broker.lease.Lease;
import dev.warden.inventory.CredentialKind;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Dynamic PostgreSQL logins ({@code kind: postgresql}), one issuer per configured database. A
 * lease's role is named {@code PREFIX + lease id} (hex, no dashes) before it exists; issuance runs
 * the role's creation statements in one transaction with a fresh 32-character password from
 * {@link SecureRandom} and {@code VALID UNTIL} the lease's expiry, so the login ends even if Warden
 * never comes back. Revocation forbids new logins, terminates the role's sessions
 * ({@code pg_terminate_backend}), runs the revocation statements, {@code DROP OWNED BY} and drops the
 * role — and succeeds when the role is already gone. Connection failures are {@code UNAVAILABLE}
 * (503); no message ever carries the password or the admin URL's password.
 */
public final class PostgresIssuer implements Issuer.Rotating {
    public static final String KIND = "postgresql";
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    private static final int PASSWORD_LENGTH = 32;
    /** The advisory lock key of Warden's DDL in a target database ("warden-i" in ASCII). */
    private static final long LOCK_KEY = 0x7761726465_6e2d69L;

    private final PostgresConfig config;
    private final SecureRandom random = new SecureRandom();
    private final String endpoint;
    private volatile HikariDataSource pool;

    public PostgresIssuer(PostgresConfig config) {
        this.config = config;
        this.endpoint = endpoint(config);
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public CredentialKind credentialKind() {
        return CredentialKind.PASSWORD;
    }

    @Override
    public Optional<Terms> terms(String role) {
        return role(role).map(r -> new Terms(r.defaultTtl(), r.maxTtl()));
    }

    /** The dynamic role {@code name}, if this database defines it. */
    Optional<PostgresConfig.Role> role(String name) {
        return Optional.ofNullable(name == null ? null : config.roles().get(name));
    }

    @Override
    public String prefix() {
        return config.prefix();
    }

    @Override
    public String handle(String leaseId, IssueRequest request) {
        return config.prefix() + leaseId.replace("-", "").toLowerCase(Locale.ROOT);
    }

    @Override
    public Issued issue(Lease pending, IssueRequest request) throws IssueException {
        PostgresConfig.Role role = role(pending.role())
                .orElseThrow(() -> new IssueException(
                        IssueException.Reason.NOT_FOUND, "no postgresql role '" + pending.role() + "'"));
        String name = pending.handle();
        requireManaged(name);
        String password = password();
        Map<String, String> values = SqlTemplates.values(name, password, pending.expiresAt());
        try (Connection c = connection()) {
            if (exists(c, name)) {
                drop(c, name, role.revocation()); // a retried issuance: the last credential wins
            }
            c.setAutoCommit(false);
            try {
                serialize(c);
                run(c, role.creation(), values, "creation", password);
                c.commit();
            } catch (SQLException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw failure("create role " + name, e, password);
        }
        Map<String, String> material = new LinkedHashMap<>();
        material.put("username", name);
        material.put("password", password);
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("database", config.name());
        attrs.put("endpoint", endpoint);
        return new Issued(material, "password", "postgresql://" + endpoint + "/" + name, attrs);
    }

    @Override
    public void renew(Lease lease, Instant expiresAt) throws IssueException {
        PostgresConfig.Role role = role(lease.role())
                .orElseThrow(() -> new IssueException(
                        IssueException.Reason.CONFLICT,
                        "postgresql role '" + lease.role() + "' is no longer configured"));
        try (Connection c = connection()) {
            if (!exists(c, lease.handle())) {
                throw new IssueException(
                        IssueException.Reason.CONFLICT, "role " + lease.handle() + " no longer exists in the database");
            }
            run(c, role.renewal(), SqlTemplates.values(lease.handle(), null, expiresAt), "renewal", null);
        } catch (SQLException e) {
            throw failure("renew role " + lease.handle(), e, null);
        }
    }

    @Override
    public void revoke(Lease lease) throws IssueException {
        requireManaged(lease.handle());
        List<String> statements =
                role(lease.role()).map(PostgresConfig.Role::revocation).orElse(List.of());
        try (Connection c = connection()) {
            if (exists(c, lease.handle())) {
                drop(c, lease.handle(), statements);
            }
        } catch (SQLException e) {
            throw failure("drop role " + lease.handle(), e, null);
        }
    }

    @Override
    public List<String> managed() throws IssueException {
        try (Connection c = connection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT rolname FROM pg_catalog.pg_roles WHERE starts_with(rolname, ?)")) {
            ps.setString(1, config.prefix());
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("list roles", e, null);
        }
    }

    @Override
    public void dropOrphan(String handle) throws IssueException {
        requireManaged(handle);
        try (Connection c = connection()) {
            if (exists(c, handle)) {
                drop(c, handle, List.of());
            }
        } catch (SQLException e) {
            throw failure("drop role " + handle, e, null);
        }
    }

    @Override
    public List<StaticRole> staticRoles() {
        return config.staticRoles();
    }

    /** Sets a new random password on existing role {@code username} and forgets it. */
    @Override
    public void rotate(String username) throws IssueException {
        String password = password();
        try (Connection c = connection();
                Statement st = c.createStatement()) {
            if (!exists(c, username)) {
                throw new IssueException(
                        IssueException.Reason.NOT_FOUND, "static role " + username + " does not exist in the database");
            }
            st.execute("ALTER ROLE " + SqlTemplates.ident(username) + " PASSWORD " + SqlTemplates.literal(password));
        } catch (SQLException e) {
            throw failure("rotate the password of " + username, e, password);
        }
    }

    private void drop(Connection c, String name, List<String> revocation) throws SQLException {
        Map<String, String> values = SqlTemplates.values(name, null, null);
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            // No new sessions first, then end the ones that exist.
            st.execute("ALTER ROLE " + SqlTemplates.ident(name) + " NOLOGIN");
            st.execute("SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE usename = "
                    + SqlTemplates.literal(name) + " AND pid <> pg_catalog.pg_backend_pid()");
        }
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            serialize(c);
            run(c, revocation, values, "revocation", null);
            st.execute("DROP OWNED BY " + SqlTemplates.ident(name));
            st.execute("DROP ROLE IF EXISTS " + SqlTemplates.ident(name));
            c.commit();
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static void run(
            Connection c, List<String> templates, Map<String, String> values, String what, String secret)
            throws SQLException {
        try (Statement st = c.createStatement()) {
            for (int i = 0; i < templates.size(); i++) {
                try {
                    st.execute(SqlTemplates.render(templates.get(i), values));
                } catch (SQLException e) {
                    throw new SQLException(
                            what + " statement " + (i + 1) + " failed: " + scrub(e.getMessage(), secret),
                            e.getSQLState());
                }
            }
        }
    }

    /**
     * Grants and revocations on one object rewrite its catalog row; concurrent ones fail with
     * "tuple concurrently updated". One transaction-scoped advisory lock per target database
     * (shared by every Warden server) runs them one at a time.
     */
    private static void serialize(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_catalog.pg_advisory_xact_lock(" + LOCK_KEY + ")");
        }
    }

    private static boolean exists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private void requireManaged(String name) throws IssueException {
        if (!name.startsWith(config.prefix())) {
            throw IssueException.badRequest("role " + name + " does not carry Warden's prefix " + config.prefix());
        }
    }

    private String password() {
        char[] p = new char[PASSWORD_LENGTH];
        for (int i = 0; i < p.length; i++) {
            p[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(p);
    }

    private Connection connection() throws SQLException {
        HikariDataSource p = pool;
        if (p == null) {
            synchronized (this) {
                p = pool;
                if (p == null) {
                    p = pool = newPool();
                }
            }
        }
        return p.getConnection();
    }

    private HikariDataSource newPool() {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.admin().jdbcUrl());
        if (config.admin().user() != null) {
            hc.setUsername(config.admin().user());
        }
        String pw = config.admin().password() != null ? config.admin().password() : System.getenv("PGPASSWORD");
        if (pw != null) {
            hc.setPassword(pw);
        }
        long ms = config.connectTimeout().toMillis();
        hc.setPoolName("warden-issuer-" + config.name());
        hc.setMaximumPoolSize(4);
        hc.setMinimumIdle(0);
        hc.setConnectionTimeout(Math.max(250, ms));
        hc.setValidationTimeout(Math.max(250, Math.min(ms, 5_000)));
        hc.setInitializationFailTimeout(-1); // the database may come later; issuance answers 503 meanwhile
        hc.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, ms / 1000)));
        hc.addDataSourceProperty("loginTimeout", Long.toString(Math.max(1, ms / 1000)));
        hc.addDataSourceProperty("socketTimeout", "60");
        hc.addDataSourceProperty("ApplicationName", "warden-issuer");
        return new HikariDataSource(hc);
    }

    private IssueException failure(String what, SQLException e, String secret) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        boolean unreachable = e instanceof SQLTransientConnectionException
                || state.startsWith("08")
                || state.startsWith("57P")
                || state.equals("53300");
        if (unreachable) {
            return IssueException.unavailable(
                    "postgresql database '" + config.name() + "' (" + endpoint + ") is unreachable; could not " + what,
                    null);
        }
        return IssueException.unavailable(
                "postgresql database '" + config.name() + "' refused to " + what + ": "
                        + scrub(first(e.getMessage()), secret) + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")"),
                null);
    }

    private static String first(String s) {
        return s == null ? "no message" : s.lines().findFirst().orElse(s);
    }

    private static String scrub(String message, String secret) {
        if (message == null) {
            return "no message";
        }
        return secret == null ? message : message.replace(secret, "***");
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }

    private static String endpoint(PostgresConfig config) {
        try {
            URI u = URI.create(config.admin().jdbcUrl().substring("jdbc:".length()));
            return u.getHost() + ":" + (u.getPort() == -1 ? 5432 : u.getPort());
        } catch (IllegalArgumentException e) {
            return config.name();
        }
    }

    @Override
    public void close() {
        HikariDataSource p = pool;
        if (p != null) {
            p.close();
        }
    }
}
