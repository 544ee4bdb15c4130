package dev.warden.discovery.postgresql;

import dev.warden.discovery.postgresql.PostgresCatalog.Acl;
import dev.warden.discovery.postgresql.PostgresCatalog.Cluster;
import dev.warden.discovery.postgresql.PostgresCatalog.Role;
import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.inventory.Effect;
import dev.warden.inventory.Entitlement;
import dev.warden.inventory.ExternalIds;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.InventoryText;
import dev.warden.inventory.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns one server's catalogs into identity records: each login role an identity of kind
 * {@code database_role}, with a PASSWORD credential carrying {@code rolvaliduntil}, and as
 * entitlements its role attributes, its memberships (ADMIN OPTION too), what it owns and what was
 * granted to it, to PUBLIC, or to roles it is a member of. {@code grantedVia} says which: {@code
 * direct}, {@code PUBLIC}, {@code role attribute}, a role path such as {@code role:analyst >
 * role:reader} (inherited), or {@code SET ROLE role:ops} (held only after SET ROLE).
 */
final class RoleRecords {
    static final String SOURCE = "postgresql";

    private static final Comparator<Entitlement> ORDER = Comparator.comparing(Entitlement::action)
            .thenComparing(Entitlement::resource)
            .thenComparing(e -> e.grantedVia() == null ? "" : e.grantedVia())
            .thenComparing(e -> e.condition() == null ? "" : e.condition());
    private static final Pattern OWNER = Pattern.compile("(?i)\\b(owner|team)\\s*[:=]\\s*([A-Za-z0-9._@/-]{1,128})");
    private static final String GRANT_OPTION = "{\"grant_option\":true}";

    /** A privilege on a resource, before we know through which role an identity holds it. */
    private record Atom(String action, String resource, boolean grantable) {}

    private final String host;
    private final int port;
    private final Map<Long, Role> roles = new HashMap<>();
    private final Map<Long, Set<Atom>> held = new HashMap<>();
    private final Set<Atom> publicAtoms = new LinkedHashSet<>();
    private final RoleGraph graph;

    RoleRecords(String host, int port, Cluster cluster, List<Acl> acls) {
        this.host = host;
        this.port = port;
        for (Role r : cluster.roles()) {
            roles.put(r.oid(), r);
        }
        List<Acl> all = new ArrayList<>(cluster.databases());
        all.addAll(acls);
        for (Acl a : all) {
            String resource = a.type() + ":" + a.name();
            if (!a.type().equals("column")) {
                held.computeIfAbsent(a.owner(), k -> new LinkedHashSet<>()).add(new Atom("OWNER", resource, false));
            }
            if (a.grantee() == null || a.grantee() == a.owner()) {
                continue; // the owner holds every privilege anyway: OWNER says it
            }
            Atom atom = new Atom(a.privilege(), resource, a.grantable());
            if (a.grantee() == 0L) {
                publicAtoms.add(atom);
            } else {
                held.computeIfAbsent(a.grantee(), k -> new LinkedHashSet<>()).add(atom);
            }
        }
        this.graph = new RoleGraph(cluster.memberships(), Comparator.comparing(oid -> nameOf(oid)));
    }

    private String nameOf(long oid) {
        Role r = roles.get(oid);
        return r == null ? "oid:" + oid : r.name();
    }

    /** The record of login role {@code r}. */
    IdentityRecord record(Role r, String environment, Instant now) {
        String externalId = ExternalIds.postgresRole(host, port, r.name());
        String comment = RoleRecords.clean(r.comment());
        RoleNature.Verdict nature = RoleNature.of(r.name(), comment);
        String owner = null;
        if (comment != null) {
            Matcher m = OWNER.matcher(comment);
            if (m.find()) {
                owner = m.group(2);
            }
        }
        Map<String, String> attributes = new TreeMap<>();
        attributes.put("superuser", Boolean.toString(r.superuser()));
        attributes.put("createrole", Boolean.toString(r.createRole()));
        attributes.put("createdb", Boolean.toString(r.createDb()));
        attributes.put("bypassrls", Boolean.toString(r.bypassRls()));
        attributes.put("replication", Boolean.toString(r.replication()));
        attributes.put("inherit", Boolean.toString(r.inherit()));
        attributes.put(
                "connection_limit", r.connectionLimit() < 0 ? "unlimited" : Integer.toString(r.connectionLimit()));
        String validUntil = validUntil(r);
        if (validUntil != null) {
            attributes.put("valid_until", validUntil);
        }
        Map<Long, RoleGraph.Reach> reach = graph.reach(r.oid());
        List<String> direct = reach.entrySet().stream()
                .filter(e -> e.getValue().path().size() == 1)
                .map(e -> nameOf(e.getKey()))
                .toList();
        if (!direct.isEmpty()) {
            attributes.put("member_of", truncate(String.join(", ", direct)));
        }
        Identity identity = Identity.builder(
                        IdentityKind.DATABASE_ROLE, r.name(), externalId, Source.of(SOURCE, host + ":" + port))
                .environment(environment)
                .owners(null, owner, owner == null ? null : "postgresql role comment")
                .purpose(comment)
                .seen(now)
                .nature(nature.nature(), nature.reason())
                .attributes(attributes)
                .build();
        return IdentityRecord.whole(
                identity, List.of(password(r, externalId, validUntil, now)), entitlements(r, reach), List.of());
    }

    private static Credential password(Role r, String externalId, String validUntil, Instant now) {
        Instant expires = r.validUntilMillis() == null ? null : Instant.ofEpochMilli(r.validUntilMillis());
        boolean expired = "-infinity".equals(r.validUntil()) || (expires != null && !expires.isAfter(now));
        Map<String, String> attributes = new TreeMap<>();
        attributes.put("valid_until", validUntil == null ? "none" : validUntil);
        attributes.put("password_set", "unknown (pg_authid is not read)");
        return new Credential(
                null,
                null,
                CredentialKind.PASSWORD,
                externalId + "#password",
                null,
                null,
                null,
                expires,
                null,
                expired ? CredentialStatus.EXPIRED : CredentialStatus.ACTIVE,
                attributes);
    }

    private static String validUntil(Role r) {
        if (r.validUntil() == null) {
            return null;
        }
        return r.validUntilMillis() != null
                ? Instant.ofEpochMilli(r.validUntilMillis()).toString()
                : r.validUntil();
    }

    private List<Entitlement> entitlements(Role r, Map<Long, RoleGraph.Reach> reaches) {
        Set<Entitlement> out = new TreeSet<>(ORDER);
        attributes(r, "role attribute", out);
        atoms(held.getOrDefault(r.oid(), Set.of()), "direct", out);
        atoms(publicAtoms, "PUBLIC", out);
        reaches.forEach((oid, reach) -> {
            String resource = "role:" + nameOf(oid);
            List<Long> before = reach.path().subList(0, reach.path().size() - 1);
            String via = before.isEmpty() ? "direct" : "via " + path(before);
            String condition = "{\"inherit\":" + reach.inherits() + ",\"set\":" + reach.canSet() + "}";
            out.add(allow("MEMBER", resource, via, condition));
            if (reach.admin()) {
                out.add(allow("ADMIN", resource, reach.directAdmin() ? "direct" : via, null));
            }
            Role role = roles.get(oid);
            String path = path(reach.path());
            if (reach.inherits()) {
                atoms(held.getOrDefault(oid, Set.of()), path, out);
            } else if (reach.canSet()) {
                atoms(held.getOrDefault(oid, Set.of()), "SET ROLE " + path, out);
            }
            if (reach.canSet() && role != null) {
                attributes(role, "SET ROLE " + path, out); // attributes are never inherited
            }
        });
        return List.copyOf(out);
    }

    private String path(List<Long> oids) {
        return oids.stream().map(o -> "role:" + nameOf(o)).collect(Collectors.joining(" > "));
    }

    private static void attributes(Role r, String via, Set<Entitlement> out) {
        if (r.superuser()) {
            out.add(allow("SUPERUSER", "server", via, null));
        }
        if (r.bypassRls()) {
            out.add(allow("BYPASSRLS", "server", via, null));
        }
        if (r.createRole()) {
            out.add(allow("CREATEROLE", "server", via, null));
        }
        if (r.createDb()) {
            out.add(allow("CREATEDB", "server", via, null));
        }
        if (r.replication()) {
            out.add(allow("REPLICATION", "server", via, null));
        }
    }

    private static void atoms(Set<Atom> atoms, String via, Set<Entitlement> out) {
        for (Atom a : atoms) {
            out.add(allow(a.action(), a.resource(), via, a.grantable() ? GRANT_OPTION : null));
        }
    }

    /** An allow entitlement with its resource and path cut to the inventory's limit (deep role paths). */
    private static Entitlement allow(String action, String resource, String via, String condition) {
        return new Entitlement(Effect.ALLOW, action, truncate(resource), truncate(via), condition);
    }

    /** Text from the server made fit for the inventory: no control characters, bounded. */
    static String clean(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(Math.min(text.length(), InventoryText.MAX_TEXT));
        text.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        String s = b.toString().strip();
        return s.isEmpty() ? null : truncate(s);
    }

    private static String truncate(String s) {
        return s.length() <= InventoryText.MAX_TEXT ? s : s.substring(0, InventoryText.MAX_TEXT - 1) + "…";
    }
}
