package dev.warden.broker.issue.postgresql;

import dev.warden.broker.issue.Issuer.StaticRole;
import dev.warden.config.ConfigNode;
import dev.warden.store.DbUrl;
import dev.warden.store.Dialect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One {@code broker.postgresql[]} entry of {@code warden.yaml}: a database Warden creates logins in.
 * The admin URL is read from the environment variable {@code adminUrlEnv} names — never from the
 * file — when the configuration is loaded, and never printed.
 *
 * @param name the connection's name (the issuer name on leases)
 * @param adminUrlEnv the environment variable holding the admin URL
 * @param admin the admin URL (password inside; {@link DbUrl#toString()} redacts it)
 * @param prefix what every generated role name starts with (default {@code w_})
 * @param connectTimeout how long to wait for the database before answering 503
 * @param roles the dynamic roles by name
 * @param staticRoles the existing roles whose password Warden rotates every {@code rotation} (and does not keep)
 */
public record PostgresConfig(
        String name,
        String adminUrlEnv,
        DbUrl admin,
        String prefix,
        Duration connectTimeout,
        Map<String, Role> roles,
        List<StaticRole> staticRoles) {
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,14}_");
    static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Set<String> KEYS =
            Set.of("name", "adminUrlEnv", "rolePrefix", "connectTimeout", "roles", "staticRoles");
    private static final Set<String> ROLE_KEYS =
            Set.of("name", "creation", "revocation", "renewal", "defaultTtl", "maxTtl");

    public PostgresConfig {
        roles = Map.copyOf(roles);
        staticRoles = List.copyOf(staticRoles);
    }

    /**
     * A dynamic role: statements that create a login ({@code creation}), take it away before it is
     * dropped ({@code revocation}) and extend it ({@code renewal}), and its TTL bounds.
     */
    public record Role(
            String name,
            List<String> creation,
            List<String> revocation,
            List<String> renewal,
            Duration defaultTtl,
            Duration maxTtl) {
        public Role {
            creation = List.copyOf(creation);
            revocation = List.copyOf(revocation);
            renewal = List.copyOf(renewal);
        }
    }

    /** Reads every {@code postgresql} entry; role names are unique across them (routes name only the role). */
    public static List<PostgresConfig> fromList(List<ConfigNode> nodes, Function<String, String> env) {
        Set<String> names = new HashSet<>();
        Set<String> roleNames = new HashSet<>();
        List<PostgresConfig> out = new ArrayList<>();
        for (ConfigNode n : nodes) {
            PostgresConfig c = from(n, env);
            if (!names.add(c.name())) {
                throw n.error("name", "'" + c.name() + "' is used by another postgresql entry");
            }
            for (String r : c.roles().keySet()) {
                if (!roleNames.add(r)) {
                    throw n.error(
                            "roles",
                            "role '" + r + "' is defined by another postgresql entry too"
                                    + " (POST /v1/creds/postgresql/{role} names only the role)");
                }
            }
            out.add(c);
        }
        return out;
    }

    static PostgresConfig from(ConfigNode c, Function<String, String> env) {
        c.allowOnly(KEYS);
        String name = c.string("name");
        if (!NAME.matcher(name).matches()) {
            throw c.error(
                    "name", "must be lower-case letters, digits, '_' or '-' (at most 63), starting with a letter");
        }
        String var = c.string("adminUrlEnv");
        if (!ENV.matcher(var).matches()) {
            throw c.error("adminUrlEnv", "must name an environment variable (not hold a URL)");
        }
        String url = env.apply(var);
        if (url == null || url.isBlank()) {
            throw c.error("adminUrlEnv", "environment variable " + var + " is not set");
        }
        DbUrl admin;
        try {
            admin = DbUrl.parse(url.startsWith("jdbc:") ? url.substring(5) : url);
        } catch (IllegalArgumentException e) {
            throw c.error("adminUrlEnv", "environment variable " + var + " does not hold a postgresql:// URL");
        }
        if (admin.dialect() != Dialect.POSTGRESQL) {
            throw c.error("adminUrlEnv", "environment variable " + var + " must hold a postgresql:// URL");
        }
        String prefix = c.optString("rolePrefix", "w_");
        if (!PREFIX.matcher(prefix).matches()) {
            throw c.error("rolePrefix", "must be 2-16 lower-case letters, digits or '_', ending in '_' (e.g. w_)");
        }
        Duration connect = c.duration("connectTimeout", Duration.ofSeconds(5));
        if (connect.compareTo(Duration.ofMillis(250)) < 0 || connect.compareTo(Duration.ofMinutes(1)) > 0) {
            throw c.error("connectTimeout", "must be between 250ms and 1m");
        }
        Map<String, Role> roles = new LinkedHashMap<>();
        for (ConfigNode r : c.list("roles")) {
            Role role = role(r);
            if (roles.put(role.name(), role) != null) {
                throw r.error("name", "role '" + role.name() + "' is defined twice");
            }
        }
        List<StaticRole> statics = new ArrayList<>();
        for (ConfigNode s : c.list("staticRoles")) {
            s.allowOnly(Set.of("name", "username", "rotation"));
            String sn = s.string("name");
            if (!NAME.matcher(sn).matches()) {
                throw s.error("name", "must be lower-case letters, digits, '_' or '-', starting with a letter");
            }
            String user = s.string("username");
            if (user.length() > 63 || user.indexOf('\0') >= 0) {
                throw s.error("username", "must be a PostgreSQL role name (at most 63 bytes)");
            }
            if (user.startsWith(prefix)) {
                throw s.error(
                        "username",
                        "must not start with the role prefix '" + prefix + "' (reconciliation"
                                + " drops such roles when no lease accounts for them)");
            }
            Duration rotation = s.duration("rotation", Duration.ofDays(1));
            if (rotation.compareTo(Duration.ofMinutes(1)) < 0) {
                throw s.error("rotation", "must be at least 1m");
            }
            statics.add(new StaticRole(sn, user, rotation));
        }
        if (roles.isEmpty() && statics.isEmpty()) {
            throw c.error("roles", "must define at least one role (or staticRoles)");
        }
        return new PostgresConfig(name, var, admin, prefix, connect, roles, statics);
    }

    private static Role role(ConfigNode r) {
        r.allowOnly(ROLE_KEYS);
        String name = r.string("name");
        if (!NAME.matcher(name).matches()) {
            throw r.error(
                    "name", "must be lower-case letters, digits, '_' or '-' (at most 63), starting with a letter");
        }
        List<String> creation = r.strings("creation", true);
        List<String> revocation = r.strings("revocation", false);
        List<String> renewal = r.strings("renewal", false);
        if (renewal.isEmpty()) {
            renewal = List.of("ALTER ROLE {{name}} VALID UNTIL {{expiration}}");
        }
        check(r, "creation", creation);
        check(r, "revocation", revocation);
        check(r, "renewal", renewal);
        if (creation.stream().noneMatch(s -> s.contains("{{name}}") && s.contains("{{password}}"))) {
            throw r.error(
                    "creation",
                    "must create the role with {{name}} and {{password}} (e.g. CREATE ROLE {{name}}"
                            + " LOGIN PASSWORD {{password}} VALID UNTIL {{expiration}})");
        }
        if (creation.stream().noneMatch(s -> s.contains("{{expiration}}"))) {
            throw r.error("creation", "must set VALID UNTIL {{expiration}} so the login ends even if Warden is down");
        }
        Duration def = r.duration("defaultTtl", Duration.ofHours(1));
        Duration max = r.duration("maxTtl", Duration.ofHours(24));
        if (def.compareTo(Duration.ofSeconds(1)) < 0) {
            throw r.error("defaultTtl", "must be at least 1s");
        }
        if (max.compareTo(def) < 0) {
            throw r.error("maxTtl", "must be at least defaultTtl (" + def.toSeconds() + "s)");
        }
        return new Role(name, creation, revocation, renewal, def, max);
    }

    private static void check(ConfigNode r, String key, List<String> statements) {
        for (int i = 0; i < statements.size(); i++) {
            Set<String> unknown = SqlTemplates.unknownPlaceholders(statements.get(i));
            if (!unknown.isEmpty()) {
                throw r.error(
                        key + "[" + i + "]",
                        "unknown placeholder {{" + unknown.iterator().next()
                                + "}} (known: {{name}}, {{username}}, {{password}}, {{expiration}})");
            }
            if (!key.equals("creation") && statements.get(i).contains("{{password}}")) {
                throw r.error(key + "[" + i + "]", "{{password}} is only known at creation");
            }
        }
    }

    @Override
    public String toString() {
        return "PostgresConfig[name=" + name + ", admin=" + admin + ", roles=" + roles.keySet() + "]";
    }
}
