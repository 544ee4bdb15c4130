package dev.warden.discovery.kubernetes;

import dev.warden.discovery.Coverage;
import dev.warden.discovery.Discovery;
import dev.warden.discovery.kubernetes.ClusterObjects.Account;
import dev.warden.discovery.kubernetes.ClusterObjects.Token;
import dev.warden.discovery.kubernetes.ClusterObjects.Uses;
import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.inventory.Effect;
import dev.warden.inventory.Entitlement;
import dev.warden.inventory.ExternalIds;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.IdentityRecord.Part;
import dev.warden.inventory.InventoryText;
import dev.warden.inventory.Nature;
import dev.warden.inventory.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns what was read into identity records: one per service account the input declares, runs a
 * workload as, or holds a legacy token for; with its legacy tokens as credentials, its RBAC and
 * workload-identity grants as entitlements, the workloads that run as it, and its owners.
 */
final class ClusterRecords {
    /** How many workloads an identity lists by name (all are counted). */
    static final int LISTED_WORKLOADS = 20;

    private final ClusterObjects objects;
    private final Source source;
    private final String environment;
    private final Instant now;
    private final Notes notes;

    ClusterRecords(ClusterObjects objects, String cluster, String environment, Instant now, Notes notes) {
        this.objects = objects;
        this.source = Source.of("kubernetes", cluster);
        this.environment = environment;
        this.now = now;
        this.notes = notes;
    }

    Discovery discovery() {
        Set<String> keys = new TreeSet<>(objects.accounts.keySet());
        keys.addAll(objects.uses.keySet());
        keys.addAll(objects.tokens.keySet());
        Rbac rbac = new Rbac(objects, notes);
        rbac.resolve(keys);
        List<IdentityRecord> records = new ArrayList<>(keys.size());
        for (String key : keys) {
            records.add(record(key, rbac));
        }
        Set<String> covered = new TreeSet<>();
        objects.accounts.values().forEach(a -> covered.add(a.namespace()));
        List<Coverage> coverage = covered.stream()
                .map(ns -> new Coverage(
                        "kubernetes",
                        source.scope(),
                        IdentityKind.KUBERNETES_SERVICE_ACCOUNT,
                        "system:serviceaccount:" + ns + ":"))
                .toList();
        if (!objects.skipped.isEmpty()) {
            notes.add("skipped "
                    + objects.skipped.values().stream()
                            .mapToLong(Long::longValue)
                            .sum()
                    + " objects of kinds that hold no service-account facts: "
                    + objects.skipped.entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue())
                            .collect(Collectors.joining(", ")));
        }
        return new Discovery(records, coverage, notes.list());
    }

    private IdentityRecord record(String key, Rbac rbac) {
        String ns = key.substring(0, key.indexOf('/'));
        String name = key.substring(key.indexOf('/') + 1);
        Account a = objects.accounts.get(key);
        Uses uses = objects.uses.get(key);
        Map<String, String> attributes = new TreeMap<>();
        attributes.put("namespace", ns);
        attributes.put("declared", String.valueOf(a != null));
        Boolean automount = a == null ? null : a.automount();
        attributes.put("automountServiceAccountToken", automount == null ? "unset" : automount.toString());
        Ownership own = a == null ? Ownership.NONE : a.ownership();
        if (uses != null && uses.ownership != null) {
            own = own.orInherited(uses.ownership, uses.ownerKey);
        }
        own = own.orInherited(objects.namespaces.get(ns), "namespace/" + ns);
        List<String> workloads = workloads(uses, automount, attributes, ns);
        List<Credential> credentials = credentials(objects.tokens.getOrDefault(key, List.of()));
        attributes.put("legacyTokens", String.valueOf(credentials.size()));
        List<Entitlement> entitlements = new ArrayList<>(rbac.entitlements(key));
        Set<String> admin = rbac.clusterAdmin.get(key);
        if (admin != null) {
            attributes.put("clusterAdmin", String.join(",", admin));
        }
        if (a != null) {
            cloud(a, attributes, entitlements);
            put(attributes, "uid", a.uid());
        }
        put(attributes, "managedBy", own.managedBy());
        put(attributes, "partOf", own.partOf());
        put(attributes, "app", own.app());
        String env = own.environment() != null ? own.environment().value() : environment;
        put(
                attributes,
                "environmentFrom",
                own.environment() != null ? own.environment().from() : environment != null ? "import option" : null);
        String workload = workloads.isEmpty() ? (own.partOf() != null ? own.partOf() : own.app()) : listed(workloads);
        Identity identity = Identity.builder(
                        IdentityKind.KUBERNETES_SERVICE_ACCOUNT,
                        key,
                        ExternalIds.kubernetesServiceAccount(ns, name),
                        source)
                .environment(env)
                .owners(
                        own.business() == null ? null : own.business().value(),
                        own.technical() == null ? null : own.technical().value(),
                        own.provenance())
                .workload(workload)
                .purpose(own.description())
                .tags(a == null ? Map.of() : tags(a.labels()))
                .createdAt(a == null ? null : a.created())
                .seen(now)
                .nature(Nature.MACHINE, "kubernetes service account")
                .attributes(attributes)
                .build();
        EnumSet<Part> complete = EnumSet.of(Part.TRUSTS);
        if (a != null) {
            complete.add(Part.IDENTITY);
        }
        if (objects.secretNamespaces.contains(ns)) {
            complete.add(Part.CREDENTIALS);
        }
        if (!objects.bindings.isEmpty()) {
            complete.add(Part.ENTITLEMENTS);
        }
        return new IdentityRecord(identity, credentials, Rbac.sorted(entitlements), List.of(), complete);
    }

    /** The workloads that run as the account, resolved to their top controller, and the attributes about them. */
    private List<String> workloads(Uses uses, Boolean accountAutomount, Map<String, String> attributes, String ns) {
        Map<String, Boolean> mounts = new TreeMap<>();
        if (uses != null) {
            uses.workloads.forEach((raw, podAutomount) -> {
                boolean mounted = podAutomount != null ? podAutomount : accountAutomount == null || accountAutomount;
                mounts.merge(top(raw), mounted, Boolean::logicalOr);
            });
        }
        if (objects.workloadNamespaces.contains(ns)) {
            attributes.put("usedByWorkloads", String.valueOf(mounts.size()));
            attributes.put(
                    "tokenMountedByWorkloads",
                    String.valueOf(mounts.values().stream().filter(b -> b).count()));
        }
        List<String> names = new ArrayList<>(mounts.keySet());
        if (!names.isEmpty()) {
            attributes.put("workloads", listed(names));
        }
        return names;
    }

    private String top(String key) {
        String k = key;
        for (int hops = 0; hops < 8; hops++) {
            String parent = objects.parentOf.get(k);
            if (parent == null) {
                break;
            }
            k = parent;
        }
        return k;
    }

    private static String listed(List<String> names) {
        StringBuilder b = new StringBuilder();
        int shown = 0;
        for (String n : names) {
            if (shown == LISTED_WORKLOADS || b.length() + n.length() + 1 > InventoryText.MAX_TEXT - 40) {
                break;
            }
            b.append(shown == 0 ? "" : ",").append(n);
            shown++;
        }
        if (shown < names.size()) {
            b.append(",... (").append(names.size() - shown).append(" more)");
        }
        return b.toString();
    }

    private List<Credential> credentials(List<Token> tokens) {
        List<Credential> out = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (Token t :
                tokens.stream().sorted(Comparator.comparing(Token::secret)).toList()) {
            if (!seen.add(t.secret())) {
                continue;
            }
            Map<String, String> attrs = new TreeMap<>();
            attrs.put("type", "kubernetes.io/service-account-token");
            attrs.put("legacyToken", "true");
            attrs.put("longLived", "true");
            attrs.put("expires", "never");
            attrs.put("secret", t.namespace() + "/" + t.secret());
            if (t.created() != null) {
                attrs.put("created", t.created().toString());
            }
            if (t.invalidSince() != null) {
                attrs.put("invalidSince", t.invalidSince().toString());
            }
            out.add(new Credential(
                    null,
                    null,
                    CredentialKind.TOKEN,
                    "secret/" + t.namespace() + "/" + t.secret(),
                    null,
                    t.created(),
                    null,
                    null,
                    t.lastUsed(),
                    t.invalidSince() != null ? CredentialStatus.INACTIVE : CredentialStatus.ACTIVE,
                    attrs));
        }
        return out;
    }

    /** Workload identity federation annotations: the cloud identity pods of this account may become. */
    private static void cloud(Account a, Map<String, String> attributes, List<Entitlement> out) {
        String via = "serviceaccount/" + a.namespace() + "/" + a.name() + " annotation ";
        String aws = a.cloud().get("eks.amazonaws.com/role-arn");
        if (aws != null) {
            attributes.put("awsRoleArn", aws);
            out.add(new Entitlement(
                    Effect.ALLOW, "sts:AssumeRoleWithWebIdentity", aws, via + "eks.amazonaws.com/role-arn", null));
        }
        String gcp = a.cloud().get("iam.gke.io/gcp-service-account");
        if (gcp != null) {
            attributes.put("gcpServiceAccount", gcp);
            out.add(new Entitlement(
                    Effect.ALLOW,
                    "iam.serviceAccounts.getAccessToken",
                    "serviceAccount:" + gcp,
                    via + "iam.gke.io/gcp-service-account",
                    null));
        }
        String azure = a.cloud().get("azure.workload.identity/client-id");
        if (azure != null) {
            attributes.put("azureClientId", azure);
            out.add(new Entitlement(
                    Effect.ALLOW,
                    "azure:federatedToken",
                    "azure:app/" + azure,
                    via + "azure.workload.identity/client-id",
                    null));
        }
    }

    private static Map<String, String> tags(Map<String, String> labels) {
        if (labels.size() <= InventoryText.MAX_TAGS) {
            return labels;
        }
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (out.size() == InventoryText.MAX_TAGS) {
                break;
            }
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
