package dev.warden.discovery.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.discovery.Skips;
import dev.warden.input.Echo;
import dev.warden.input.InputException;
import dev.warden.inventory.ExternalIds;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the input says about a cluster, kept small: for each object only the facts discovery needs
 * (never a secret's data, never the whole object), so that a List of any length fits in memory
 * proportional to the service accounts, roles and distinct workloads it holds.
 */
final class ClusterObjects {
    /** Annotations that tie a service account to a cloud identity (workload identity federation). */
    static final List<String> CLOUD_ANNOTATIONS = List.of(
            "eks.amazonaws.com/role-arn", "iam.gke.io/gcp-service-account", "azure.workload.identity/client-id");

    record Account(
            String namespace,
            String name,
            String uid,
            Instant created,
            Map<String, String> labels,
            Ownership ownership,
            Boolean automount,
            Map<String, String> cloud,
            String where) {}

    record Token(
            String namespace,
            String secret,
            String account,
            Instant created,
            Instant lastUsed,
            Instant invalidSince,
            String where) {}

    record Rule(
            List<String> apiGroups,
            List<String> resources,
            List<String> verbs,
            List<String> resourceNames,
            List<String> nonResourceUrls) {}

    record Requirement(String key, String operator, List<String> values) {}

    record Selector(Map<String, String> matchLabels, List<Requirement> expressions) {}

    /** A Role ({@code namespace} set) or ClusterRole ({@code namespace} null). */
    record Role(
            String namespace, String name, List<Rule> rules, Map<String, String> labels, List<Selector> aggregation) {
        String ref() {
            return namespace == null ? "clusterrole/" + name : "role/" + name;
        }
    }

    record Subject(String kind, String name, String namespace) {}

    /** A RoleBinding ({@code namespace} set) or ClusterRoleBinding. */
    record Binding(
            String namespace, String name, String roleKind, String roleName, List<Subject> subjects, String where) {
        String ref() {
            return namespace == null ? "clusterrolebinding/" + name : "rolebinding/" + namespace + "/" + name;
        }
    }

    /** The workloads that run as one service account, and the first (by key) that says who owns it. */
    static final class Uses {
        final Map<String, Boolean> workloads = new HashMap<>();
        String ownerKey;
        Ownership ownership;
    }

    final Map<String, Account> accounts = new TreeMap<>();
    final Map<String, List<Token>> tokens = new TreeMap<>();
    final Map<String, Role> roles = new TreeMap<>();
    final Map<String, Role> clusterRoles = new TreeMap<>();
    final Map<String, Binding> bindings = new TreeMap<>();
    final Map<String, Uses> uses = new HashMap<>();
    final Map<String, String> parentOf = new HashMap<>();
    final Map<String, Ownership> namespaces = new TreeMap<>();
    final Set<String> secretNamespaces = new HashSet<>();
    final Set<String> workloadNamespaces = new HashSet<>();
    final Map<String, Long> skipped = new TreeMap<>();
    final Notes notes;

    private final Skips skips;

    ClusterObjects(Notes notes, Skips skips) {
        this.notes = notes;
        this.skips = skips;
    }

    /** Takes one object; {@code where} is {@code file:line}. */
    void add(JsonNode o, String where) {
        String kind = ManifestReader.text(o, "kind");
        String group = group(ManifestReader.text(o, "apiVersion"));
        try {
            switch (kind == null ? "" : kind) {
                case "ServiceAccount" -> when(group, "", o, kind, where, () -> account(o, where));
                case "Secret" -> when(group, "", o, kind, where, () -> secret(o, where));
                case "Namespace" -> when(group, "", o, kind, where, () -> namespace(o));
                case "Role", "ClusterRole" ->
                    when(group, "rbac.authorization.k8s.io", o, kind, where, () -> role(o, kind, where));
                case "RoleBinding", "ClusterRoleBinding" ->
                    when(group, "rbac.authorization.k8s.io", o, kind, where, () -> binding(o, kind, where));
                case "Pod", "ReplicationController" -> when(group, "", o, kind, where, () -> workload(o, kind, where));
                case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet" ->
                    when(
                            group,
                            group != null && group.equals("extensions") ? "extensions" : "apps",
                            o,
                            kind,
                            where,
                            () -> workload(o, kind, where));
                case "Job", "CronJob" -> when(group, "batch", o, kind, where, () -> workload(o, kind, where));
                default -> skip(kind == null ? "(no kind)" : kind);
            }
        } catch (IllegalArgumentException e) {
            // An object that cannot be understood: skipped with file, line and reason (refused under --strict).
            String message = e.getMessage() == null ? "cannot be read" : e.getMessage();
            if (message.startsWith(where + ": ")) {
                message = message.substring(where.length() + 2);
            }
            int colon = where.lastIndexOf(':');
            String file = colon < 0 ? where : where.substring(0, colon);
            String line = colon < 0 ? "" : "line " + where.substring(colon + 1);
            skips.skip(file, line, kind + " " + Echo.quoted(name(o)) + ": " + message);
        }
    }

    private void when(String group, String expected, JsonNode o, String kind, String where, Runnable action) {
        if (group == null || group.equals(expected)) {
            if (name(o) == null) {
                throw new InputException(where + ": " + kind + " without metadata.name");
            }
            action.run();
        } else {
            skip(kind + " (" + group + ")");
        }
    }

    private void skip(String kind) {
        String k = Text.bounded(kind);
        skipped.merge(skipped.size() < 100 || skipped.containsKey(k) ? k : "(other kinds)", 1L, Long::sum);
    }

    private void account(JsonNode o, String where) {
        String ns = namespace(o, "ServiceAccount", where);
        String name = name(o);
        ExternalIds.kubernetesServiceAccount(ns, name);
        JsonNode meta = o.path("metadata");
        Map<String, String> labels = strings(meta.path("labels"));
        Map<String, String> annotations = strings(meta.path("annotations"));
        Map<String, String> cloud = new TreeMap<>();
        for (String key : CLOUD_ANNOTATIONS) {
            String v = Ownership.clean(annotations.get(key));
            if (v != null) {
                cloud.put(key, v);
            }
        }
        Account a = new Account(
                ns,
                name,
                Ownership.clean(ManifestReader.text(meta, "uid")),
                time(ManifestReader.text(meta, "creationTimestamp")),
                labels,
                Ownership.of(labels, annotations),
                bool(o.get("automountServiceAccountToken")),
                cloud,
                where);
        Account before = accounts.put(ns + "/" + name, a);
        if (before != null) {
            notes.add(where + ": serviceaccount/" + ns + "/" + name + " also at " + before.where()
                    + "; the later one is used");
        }
    }

    private void secret(JsonNode o, String where) {
        String ns = namespace(o, "Secret", where);
        secretNamespaces.add(ns);
        if (!"kubernetes.io/service-account-token".equals(ManifestReader.text(o, "type"))) {
            return;
        }
        JsonNode meta = o.path("metadata");
        Map<String, String> annotations = strings(meta.path("annotations"));
        Map<String, String> labels = strings(meta.path("labels"));
        String account = annotations.get("kubernetes.io/service-account.name");
        if (account == null) {
            notes.add(where + ": secret/" + ns + "/" + name(o) + " is a service-account token without the"
                    + " kubernetes.io/service-account.name annotation; skipped");
            return;
        }
        ExternalIds.kubernetesServiceAccount(ns, account);
        tokens.computeIfAbsent(ns + "/" + account, k -> new ArrayList<>())
                .add(new Token(
                        ns,
                        name(o),
                        account,
                        time(ManifestReader.text(meta, "creationTimestamp")),
                        date(labels.get("kubernetes.io/legacy-token-last-used")),
                        date(labels.get("kubernetes.io/legacy-token-invalid-since")),
                        where));
    }

    private void namespace(JsonNode o) {
        JsonNode meta = o.path("metadata");
        namespaces.put(name(o), Ownership.of(strings(meta.path("labels")), strings(meta.path("annotations"))));
    }

    private void role(JsonNode o, String kind, String where) {
        boolean cluster = kind.equals("ClusterRole");
        String ns = cluster ? null : namespace(o, kind, where);
        List<Rule> rules = new ArrayList<>();
        for (JsonNode r : o.path("rules")) {
            List<String> verbs = list(r.get("verbs"));
            if (verbs.isEmpty()) {
                continue;
            }
            rules.add(new Rule(
                    list(r.get("apiGroups")),
                    list(r.get("resources")),
                    verbs,
                    list(r.get("resourceNames")),
                    list(r.get("nonResourceURLs"))));
        }
        List<Selector> aggregation = new ArrayList<>();
        for (JsonNode s : o.path("aggregationRule").path("clusterRoleSelectors")) {
            List<Requirement> expressions = new ArrayList<>();
            for (JsonNode e : s.path("matchExpressions")) {
                expressions.add(new Requirement(
                        ManifestReader.text(e, "key"), ManifestReader.text(e, "operator"), list(e.get("values"))));
            }
            aggregation.add(new Selector(strings(s.path("matchLabels")), expressions));
        }
        Role role = new Role(ns, name(o), rules, strings(o.path("metadata").path("labels")), aggregation);
        (cluster ? clusterRoles : roles).put(cluster ? name(o) : ns + "/" + name(o), role);
    }

    private void binding(JsonNode o, String kind, String where) {
        boolean cluster = kind.equals("ClusterRoleBinding");
        String ns = cluster ? null : namespace(o, kind, where);
        JsonNode ref = o.path("roleRef");
        String roleKind = ManifestReader.text(ref, "kind");
        String roleName = ManifestReader.text(ref, "name");
        if (roleName == null || !("ClusterRole".equals(roleKind) || (!cluster && "Role".equals(roleKind)))) {
            throw new InputException(where + ": " + kind + " " + Echo.quoted(name(o)) + ": roleRef must name a "
                    + (cluster ? "ClusterRole" : "Role or ClusterRole"));
        }
        List<Subject> subjects = new ArrayList<>();
        for (JsonNode s : o.path("subjects")) {
            String sk = ManifestReader.text(s, "kind");
            String sn = ManifestReader.text(s, "name");
            if (sk != null && sn != null) {
                subjects.add(new Subject(sk, sn, ManifestReader.text(s, "namespace")));
            }
        }
        Binding b = new Binding(ns, name(o), roleKind, roleName, subjects, where);
        bindings.put(b.ref(), b);
    }

    private void workload(JsonNode o, String kind, String where) {
        String ns = namespace(o, kind, where);
        workloadNamespaces.add(ns);
        String own = kind.toLowerCase(Locale.ROOT) + "/" + ns + "/" + name(o);
        JsonNode spec = switch (kind) {
            case "Pod" -> o.path("spec");
            case "CronJob" ->
                o.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
            default -> o.path("spec").path("template").path("spec");
        };
        String sa = ManifestReader.text(spec, "serviceAccountName");
        if (sa == null) {
            sa = ManifestReader.text(spec, "serviceAccount");
        }
        if (sa == null) {
            sa = "default";
        }
        ExternalIds.kubernetesServiceAccount(ns, sa);
        String key = own;
        for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
            String refKind = ManifestReader.text(ref, "kind");
            String refName = ManifestReader.text(ref, "name");
            if (ref.path("controller").asBoolean(false)
                    && refKind != null
                    && refName != null
                    && !refKind.equals("Node")) {
                key = refKind.toLowerCase(Locale.ROOT) + "/" + ns + "/" + refName;
                if (!kind.equals("Pod")) {
                    parentOf.put(own, key);
                }
                break;
            }
        }
        Uses u = uses.computeIfAbsent(ns + "/" + sa, k -> new Uses());
        u.workloads.putIfAbsent(Text.bounded(key), bool(spec.get("automountServiceAccountToken")));
        JsonNode meta = o.path("metadata");
        Ownership ownership = Ownership.of(strings(meta.path("labels")), strings(meta.path("annotations")));
        if (ownership.isEmpty() && !kind.equals("Pod") && !kind.equals("CronJob")) {
            JsonNode template = o.path("spec").path("template").path("metadata");
            ownership = Ownership.of(strings(template.path("labels")), strings(template.path("annotations")));
        }
        if (!ownership.isEmpty() && (u.ownerKey == null || own.compareTo(u.ownerKey) < 0)) {
            u.ownerKey = own;
            u.ownership = ownership;
        }
    }

    private String namespace(JsonNode o, String kind, String where) {
        String ns = ManifestReader.text(o.path("metadata"), "namespace");
        if (ns == null) {
            notes.add(where + ": " + kind + " " + Echo.quoted(name(o)) + " has no namespace; taken as 'default'");
            return "default";
        }
        return ns;
    }

    static String name(JsonNode o) {
        return ManifestReader.text(o.path("metadata"), "name");
    }

    private static String group(String apiVersion) {
        if (apiVersion == null) {
            return null;
        }
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** A mapping of strings; entries whose key or value is not short printable text are left out. */
    private static Map<String, String> strings(JsonNode node) {
        if (!node.isObject() || node.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new TreeMap<>();
        node.fields().forEachRemaining(e -> {
            String k = Ownership.clean(e.getKey());
            if (k != null && e.getValue().isValueNode() && !e.getValue().isNull()) {
                String v = e.getValue().asText();
                if (v.isEmpty() || Ownership.clean(v) != null) {
                    out.put(k, v.strip());
                }
            }
        });
        return Collections.unmodifiableMap(out);
    }

    private static List<String> list(JsonNode node) {
        if (node == null || !node.isArray()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : node) {
            if (v.isValueNode() && !v.isNull()) {
                out.add(Text.bounded(v.asText()));
            }
        }
        return List.copyOf(out);
    }

    private static Boolean bool(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        String t = node.asText().toLowerCase(Locale.ROOT);
        return t.equals("true") ? Boolean.TRUE : t.equals("false") ? Boolean.FALSE : null;
    }

    private static Instant time(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant date(String text) {
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            return time(text);
        }
    }
}
