package dev.warden.discovery.kubernetes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.discovery.kubernetes.ClusterObjects.Binding;
import dev.warden.discovery.kubernetes.ClusterObjects.Requirement;
import dev.warden.discovery.kubernetes.ClusterObjects.Role;
import dev.warden.discovery.kubernetes.ClusterObjects.Rule;
import dev.warden.discovery.kubernetes.ClusterObjects.Selector;
import dev.warden.discovery.kubernetes.ClusterObjects.Subject;
import dev.warden.inventory.Effect;
import dev.warden.inventory.Entitlement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Resolves RoleBindings and ClusterRoleBindings into entitlements per service account, as the
 * Kubernetes RBAC authorizer grants them.
 *
 * <p>Subjects: {@code ServiceAccount} (namespace defaulting to the RoleBinding's), {@code User
 * system:serviceaccount:NS:NAME}, and the groups that contain service accounts:
 * {@code system:serviceaccounts} and {@code system:authenticated} (all of them) and
 * {@code system:serviceaccounts:NS} (those of one namespace). Other users and groups are people
 * and are not followed. Each rule becomes one entitlement per verb and resource: action
 * {@code "VERB RESOURCE"}, the resource qualified by its API group unless it is the core group
 * ({@code get pods}, {@code get apps/deployments}, {@code get pods/log}) or a non-resource URL
 * ({@code get /healthz}, ClusterRoleBindings only, as RBAC ignores them in RoleBindings); resource
 * {@code namespace/NS} or {@code cluster}; {@code resourceNames} kept as the condition
 * {@code {"resourceNames":[...]}}; granted via {@code rolebinding/NS/NAME -> role/NAME}.
 * An aggregated ClusterRole whose rules the input leaves empty gets the rules of the ClusterRoles
 * its selectors match; {@code cluster-admin}, when the input does not define it, has its built-in
 * rules (everything); any other missing role gives one entitlement {@code unresolved clusterrole/NAME}.
 */
final class Rbac {
    static final String CLUSTER_ADMIN = "cluster-admin";
    private static final Role BUILT_IN_CLUSTER_ADMIN = new Role(
            null,
            CLUSTER_ADMIN,
            List.of(
                    new Rule(List.of("*"), List.of("*"), List.of("*"), List.of(), List.of()),
                    new Rule(List.of(), List.of(), List.of("*"), List.of(), List.of("*"))),
            Map.of(),
            List.of());

    private final ClusterObjects objects;
    private final Notes notes;
    private final Map<String, List<Rule>> aggregated = new HashMap<>();

    /** Entitlement lists per service account key ({@code ns/name}); lists are shared, not copied. */
    final Map<String, List<List<Entitlement>>> grants = new HashMap<>();
    /** Bindings that grant cluster-admin, per service account key. */
    final Map<String, Set<String>> clusterAdmin = new HashMap<>();

    Rbac(ClusterObjects objects, Notes notes) {
        this.objects = objects;
        this.notes = notes;
    }

    /** Resolves every binding for the service accounts {@code accounts} (keys {@code ns/name}). */
    void resolve(Set<String> accounts) {
        Map<String, List<String>> byNamespace = new TreeMap<>();
        for (String a : accounts) {
            byNamespace
                    .computeIfAbsent(a.substring(0, a.indexOf('/')), k -> new ArrayList<>())
                    .add(a);
        }
        boolean builtInNoted = false;
        for (Binding b : objects.bindings.values()) {
            Role role = role(b);
            if (role == null
                    && "ClusterRole".equals(b.roleKind())
                    && b.roleName().equals(CLUSTER_ADMIN)) {
                role = BUILT_IN_CLUSTER_ADMIN;
                if (!builtInNoted) {
                    notes.add("clusterrole/cluster-admin is not in the input; its built-in rules (all verbs on all"
                            + " resources and non-resource URLs) are used");
                    builtInNoted = true;
                }
            }
            String roleRef = ("Role".equals(b.roleKind()) ? "role/" : "clusterrole/") + b.roleName();
            List<Perm> perms;
            if (role == null) {
                notes.add(b.where() + ": " + b.ref() + " refers to " + roleRef + ", which the input does not contain");
                perms = List.of(new Perm("unresolved " + roleRef, null));
            } else {
                perms = perms(rules(role), b.namespace() != null);
            }
            String resource = b.namespace() == null ? "cluster" : "namespace/" + b.namespace();
            boolean admin = "ClusterRole".equals(b.roleKind()) && b.roleName().equals(CLUSTER_ADMIN);
            for (Subject s : b.subjects()) {
                Target t = targets(b, s, accounts, byNamespace);
                if (t == null || t.accounts().isEmpty()) {
                    continue;
                }
                String via = b.ref() + (t.label() == null ? "" : " (" + t.label() + ")") + " -> " + roleRef;
                List<Entitlement> ents = new ArrayList<>(perms.size());
                for (Perm p : perms) {
                    ents.add(new Entitlement(Effect.ALLOW, p.action(), resource, via, p.condition()));
                }
                List<Entitlement> shared = List.copyOf(ents);
                for (String a : t.accounts()) {
                    grants.computeIfAbsent(a, k -> new ArrayList<>()).add(shared);
                    if (admin) {
                        clusterAdmin.computeIfAbsent(a, k -> new TreeSet<>()).add(b.ref());
                    }
                }
            }
        }
    }

    /** The entitlements of one service account, without duplicates, in a stable order. */
    List<Entitlement> entitlements(String account) {
        List<List<Entitlement>> lists = grants.get(account);
        if (lists == null) {
            return List.of();
        }
        Set<Entitlement> all = new LinkedHashSet<>();
        lists.forEach(all::addAll);
        return sorted(all);
    }

    static List<Entitlement> sorted(Collection<Entitlement> all) {
        List<Entitlement> out = new ArrayList<>(all);
        out.sort((x, y) -> {
            int c = x.resource().compareTo(y.resource());
            c = c != 0 ? c : x.action().compareTo(y.action());
            c = c != 0 ? c : String.valueOf(x.grantedVia()).compareTo(String.valueOf(y.grantedVia()));
            return c != 0 ? c : String.valueOf(x.condition()).compareTo(String.valueOf(y.condition()));
        });
        return out;
    }

    private record Perm(String action, String condition) {}

    private record Target(Collection<String> accounts, String label) {}

    private Target targets(Binding b, Subject s, Set<String> accounts, Map<String, List<String>> byNamespace) {
        switch (s.kind()) {
            case "ServiceAccount" -> {
                String ns = s.namespace() != null ? s.namespace() : b.namespace();
                if (ns == null) {
                    notes.add(b.where() + ": " + b.ref() + " names service account " + Text.bounded(s.name())
                            + " without a namespace; ignored");
                    return null;
                }
                return one(b, ns + "/" + s.name(), accounts, null);
            }
            case "User" -> {
                String prefix = "system:serviceaccount:";
                String[] parts = s.name().startsWith(prefix)
                        ? s.name().substring(prefix.length()).split(":", -1)
                        : null;
                return parts != null && parts.length == 2
                        ? one(b, parts[0] + "/" + parts[1], accounts, "user " + Text.bounded(s.name()))
                        : null;
            }
            case "Group" -> {
                String g = s.name();
                String label = "group " + Text.bounded(g);
                if (g.equals("system:serviceaccounts") || g.equals("system:authenticated")) {
                    return new Target(accounts, label);
                }
                if (g.startsWith("system:serviceaccounts:")) {
                    return new Target(
                            byNamespace.getOrDefault(g.substring("system:serviceaccounts:".length()), List.of()),
                            label);
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    private Target one(Binding b, String account, Set<String> accounts, String label) {
        if (!accounts.contains(account)) {
            notes.add(b.where() + ": " + b.ref() + " grants to service account " + Text.bounded(account)
                    + ", which the input does not contain");
            return null;
        }
        return new Target(List.of(account), label);
    }

    private Role role(Binding b) {
        if ("Role".equals(b.roleKind())) {
            return objects.roles.get(b.namespace() + "/" + b.roleName());
        }
        return objects.clusterRoles.get(b.roleName());
    }

    private List<Rule> rules(Role role) {
        if (role.namespace() != null
                || role.aggregation().isEmpty()
                || !role.rules().isEmpty()) {
            return role.rules();
        }
        return aggregate(role, new HashSet<>());
    }

    /** The rules of an aggregated ClusterRole: those of every ClusterRole its selectors match. */
    private List<Rule> aggregate(Role role, Set<String> visiting) {
        List<Rule> done = aggregated.get(role.name());
        if (done != null) {
            return done;
        }
        if (!visiting.add(role.name())) {
            return List.of();
        }
        List<Rule> out = new ArrayList<>();
        for (Role other : objects.clusterRoles.values()) {
            if (other.name().equals(role.name())
                    || role.aggregation().stream().noneMatch(s -> matches(s, other.labels()))) {
                continue;
            }
            out.addAll(
                    other.aggregation().isEmpty() || !other.rules().isEmpty()
                            ? other.rules()
                            : aggregate(other, visiting));
        }
        List<Rule> result = List.copyOf(out);
        aggregated.put(role.name(), result);
        return result;
    }

    static boolean matches(Selector s, Map<String, String> labels) {
        for (Map.Entry<String, String> e : s.matchLabels().entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (Requirement r : s.expressions()) {
            String v = r.key() == null ? null : labels.get(r.key());
            boolean ok = switch (String.valueOf(r.operator())) {
                case "In" -> v != null && r.values().contains(v);
                case "NotIn" -> v == null || !r.values().contains(v);
                case "Exists" -> v != null;
                case "DoesNotExist" -> v == null;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static List<Perm> perms(List<Rule> rules, boolean namespaced) {
        Set<Perm> out = new LinkedHashSet<>();
        for (Rule r : rules) {
            String condition = r.resourceNames().isEmpty() ? null : resourceNames(r.resourceNames());
            List<String> groups = r.apiGroups().isEmpty() ? List.of("") : r.apiGroups();
            for (String verb : r.verbs()) {
                for (String group : groups) {
                    for (String resource : r.resources()) {
                        out.add(new Perm(
                                verb + " " + (group.isEmpty() ? resource : group + "/" + resource), condition));
                    }
                }
                if (!namespaced) {
                    for (String url : r.nonResourceUrls()) {
                        out.add(new Perm(verb + " " + url, null));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    private static String resourceNames(List<String> names) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode a = o.putArray("resourceNames");
        for (String n : new TreeSet<>(names)) {
            a.add(n);
        }
        return o.toString();
    }
}
