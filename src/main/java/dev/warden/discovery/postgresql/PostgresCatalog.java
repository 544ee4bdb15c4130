package dev.warden.discovery.postgresql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads roles, memberships and privileges from the system catalogs that every role may read
 * ({@code pg_roles}, {@code pg_auth_members}, {@code pg_database}, {@code pg_namespace},
 * {@code pg_class}, {@code pg_attribute}, {@code pg_proc}). Never {@code pg_authid}: passwords and
 * their hashes are not read. Objects of system schemas and of extensions are left out.
 */
final class PostgresCatalog {
    /** The oldest server whose catalogs we read (row-level security, {@code rolbypassrls}). */
    static final int MIN_VERSION = 90500;

    private PostgresCatalog() {}

    record Role(
            long oid,
            String name,
            boolean superuser,
            boolean inherit,
            boolean createRole,
            boolean createDb,
            boolean canLogin,
            boolean replication,
            boolean bypassRls,
            int connectionLimit,
            Long validUntilMillis,
            String validUntil,
            String comment) {}

    /** {@code member} is a member of {@code role}, with the grant's options. */
    record Membership(long role, long member, boolean admin, boolean inherit, boolean set) {}

    /**
     * One ACL entry of an object ({@code grantee} 0 is PUBLIC), or, with a null {@code grantee}, an
     * object whose only privileges are its owner's.
     */
    record Acl(String type, String name, long owner, Long grantee, String privilege, boolean grantable) {}

    /** The server-wide catalogs: version, roles, memberships, database privileges. */
    record Cluster(int version, List<Role> roles, List<Membership> memberships, List<Acl> databases) {}

    static final String USER_SCHEMA =
            "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'";

    static int version(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT current_setting('server_version_num')::int");
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static Cluster cluster(Connection c, int version) throws SQLException {
        return new Cluster(version, roles(c), memberships(c, version), databases(c));
    }

    private static List<Role> roles(Connection c) throws SQLException {
        String sql = "SELECT r.oid, r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin,"
                + " r.rolreplication, r.rolbypassrls, r.rolconnlimit,"
                + " CASE WHEN isfinite(r.rolvaliduntil) THEN (extract(epoch FROM r.rolvaliduntil) * 1000)::bigint END,"
                + " CASE WHEN r.rolvaliduntil IS NULL THEN NULL WHEN isfinite(r.rolvaliduntil) THEN 'finite'"
                + " WHEN r.rolvaliduntil > 'epoch'::timestamptz THEN 'infinity' ELSE '-infinity' END,"
                + " shobj_description(r.oid, 'pg_authid')"
                + " FROM pg_roles r ORDER BY r.rolname";
        List<Role> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql);
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                long validMs = rs.getLong(11);
                Long valid = rs.wasNull() ? null : validMs;
                out.add(new Role(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getBoolean(3),
                        rs.getBoolean(4),
                        rs.getBoolean(5),
                        rs.getBoolean(6),
                        rs.getBoolean(7),
                        rs.getBoolean(8),
                        rs.getBoolean(9),
                        rs.getInt(10),
                        valid,
                        rs.getString(12),
                        rs.getString(13)));
            }
        }
        return out;
    }

    private static List<Membership> memberships(Connection c, int version) throws SQLException {
        // Before 16 a membership's inheritance is the member's rolinherit and SET ROLE is always allowed.
        String sql = version >= 160000
                ? "SELECT m.roleid, m.member, m.admin_option, m.inherit_option, m.set_option FROM pg_auth_members m"
                : "SELECT m.roleid, m.member, m.admin_option, r.rolinherit, true FROM pg_auth_members m"
                        + " JOIN pg_roles r ON r.oid = m.member";
        List<Membership> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql + " ORDER BY 1, 2");
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new Membership(
                        rs.getLong(1), rs.getLong(2), rs.getBoolean(3), rs.getBoolean(4), rs.getBoolean(5)));
            }
        }
        return out;
    }

    /** Database privileges (PUBLIC's CONNECT and TEMPORARY by default); templates left out. */
    private static List<Acl> databases(Connection c) throws SQLException {
        return acls(
                c,
                "SELECT 'database', quote_ident(d.datname), d.datdba, a.grantee, a.privilege_type, a.is_grantable"
                        + " FROM pg_database d"
                        + " LEFT JOIN LATERAL aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a ON true"
                        + " WHERE NOT d.datistemplate");
    }

    /**
     * Privileges on the objects of the connected database: schemas (with their defaults), tables,
     * views, sequences, columns, functions and procedures (explicit grants only: the owner holds
     * every privilege, and PUBLIC's default EXECUTE on functions is left out).
     */
    static List<Acl> objects(Connection c, int version) throws SQLException {
        String db = "quote_ident(current_database()) || '.' || ";
        String notExtension = " AND NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = %s::regclass"
                + " AND dep.objid = %s AND dep.deptype = 'e')";
        String schemas = "SELECT 'schema', " + db + "quote_ident(n.nspname), n.nspowner, a.grantee, a.privilege_type,"
                + " a.is_grantable FROM pg_namespace n"
                + " LEFT JOIN LATERAL aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a ON true"
                + " WHERE " + USER_SCHEMA + String.format(notExtension, "'pg_namespace'", "n.oid");
        String relations = "SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view'"
                + " WHEN 'm' THEN 'materialized_view' WHEN 'f' THEN 'foreign_table' ELSE 'table' END, "
                + db + "quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.relowner, a.grantee,"
                + " a.privilege_type, a.is_grantable FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " LEFT JOIN LATERAL aclexplode(c.relacl) a ON true"
                + " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND " + USER_SCHEMA
                + String.format(notExtension, "'pg_class'", "c.oid");
        String columns = "SELECT 'column', " + db
                + "quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.' || quote_ident(att.attname),"
                + " c.relowner, a.grantee, a.privilege_type, a.is_grantable FROM pg_attribute att"
                + " JOIN pg_class c ON c.oid = att.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " CROSS JOIN LATERAL aclexplode(att.attacl) a"
                + " WHERE att.attacl IS NOT NULL AND att.attnum > 0 AND NOT att.attisdropped AND " + USER_SCHEMA;
        String kind = version >= 110000 ? "CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END" : "'function'";
        String functions = "SELECT " + kind + ", " + db + "quote_ident(n.nspname) || '.' || quote_ident(p.proname)"
                + " || '(' || pg_get_function_identity_arguments(p.oid) || ')', p.proowner, a.grantee,"
                + " a.privilege_type, a.is_grantable FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                + " LEFT JOIN LATERAL aclexplode(p.proacl) a ON true WHERE " + USER_SCHEMA
                + String.format(notExtension, "'pg_proc'", "p.oid");
        return acls(c, schemas + " UNION ALL " + relations + " UNION ALL " + columns + " UNION ALL " + functions);
    }

    private static List<Acl> acls(Connection c, String sql) throws SQLException {
        List<Acl> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql + " ORDER BY 1, 2, 4, 5");
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                long grantee = rs.getLong(4);
                Long g = rs.wasNull() ? null : grantee;
                out.add(new Acl(rs.getString(1), rs.getString(2), rs.getLong(3), g, rs.getString(5), rs.getBoolean(6)));
            }
        }
        return out;
    }
}
