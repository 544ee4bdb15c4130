package dev.warden.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Two clusters as manifests a team applies: per service a namespace-scoped ServiceAccount, Role,
 * RoleBinding and Deployment; some legacy token Secrets, a cluster-admin binding, and service
 * accounts that no workload uses.
 */
final class DemoKubernetes {
    static final String[] CLUSTERS = {"prod-eu-1", "staging-eu-1"};
    private static final String[] VERBS = {"get", "list", "watch", "create", "update", "patch", "delete"};
    private static final String[] RESOURCES = {"pods", "configmaps", "secrets", "services", "jobs"};

    private final DemoWorld w;

    DemoKubernetes(DemoWorld w) {
        this.w = w;
    }

    void write(Path dir) throws IOException {
        for (String cluster : CLUSTERS) {
            Path out = Files.createDirectories(dir.resolve(cluster));
            for (String svc : DemoWorld.SERVICES) {
                Files.writeString(
                        out.resolve(svc + ".yaml"), service(svc, cluster.startsWith("prod") ? "prod" : "staging"));
            }
            Files.writeString(out.resolve("cluster-admin.yaml"), """
                    apiVersion: rbac.authorization.k8s.io/v1
                    kind: ClusterRoleBinding
                    metadata:
                      name: backup-cluster-admin
                    roleRef:
                      apiGroup: rbac.authorization.k8s.io
                      kind: ClusterRole
                      name: cluster-admin
                    subjects:
                    - kind: ServiceAccount
                      name: backup
                      namespace: backup
                    """);
        }
    }

    private String service(String svc, String env) {
        String ns = svc.split("-")[0];
        String team = w.maybeTeam(0.2);
        StringBuilder y = new StringBuilder();
        y.append("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ")
                .append(svc)
                .append("\n  namespace: ")
                .append(ns)
                .append("\n  creationTimestamp: \"")
                .append(ts(w.daysAgo(30, 900)))
                .append("\"\n  labels:\n")
                .append("    app.kubernetes.io/name: ")
                .append(svc)
                .append("\n    environment: ")
                .append(env)
                .append('\n');
        if (team != null) {
            y.append("    team: ").append(team).append('\n');
        }
        y.append("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: ")
                .append(svc)
                .append("\n  namespace: ")
                .append(ns)
                .append("\nrules:\n");
        for (int i = 0; i < 1 + w.random.nextInt(3); i++) {
            y.append("- apiGroups: [\"\"]\n  resources: [\"")
                    .append(w.pick(RESOURCES))
                    .append("\"]\n  verbs: [\"")
                    .append(w.pick(VERBS))
                    .append("\", \"")
                    .append(w.pick(VERBS))
                    .append("\"]\n");
        }
        if (w.random.nextInt(8) == 0) {
            y.append("- apiGroups: [\"*\"]\n  resources: [\"*\"]\n  verbs: [\"*\"]\n");
        }
        y.append("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: ")
                .append(svc)
                .append("\n  namespace: ")
                .append(ns)
                .append("\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: ")
                .append(svc)
                .append("\nsubjects:\n- kind: ServiceAccount\n  name: ")
                .append(svc)
                .append("\n  namespace: ")
                .append(ns)
                .append('\n');
        if (w.random.nextInt(5) > 0) {
            y.append("---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ")
                    .append(svc)
                    .append("\n  namespace: ")
                    .append(ns)
                    .append("\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: ")
                    .append(svc)
                    .append("\n  template:\n    metadata:\n      labels:\n        app: ")
                    .append(svc)
                    .append("\n    spec:\n      serviceAccountName: ")
                    .append(svc)
                    .append("\n      containers:\n      - name: app\n        image: ")
                    .append("registry.acme.example/")
                    .append(svc)
                    .append(":1.4.2\n");
        }
        if (w.random.nextInt(4) == 0) {
            y.append(
                            "---\napiVersion: v1\nkind: Secret\ntype: kubernetes.io/service-account-token\nmetadata:\n  name: ")
                    .append(svc)
                    .append("-token\n  namespace: ")
                    .append(ns)
                    .append("\n  creationTimestamp: \"")
                    .append(ts(w.daysAgo(200, 1200)))
                    .append("\"\n  annotations:\n    kubernetes.io/service-account.name: ")
                    .append(svc)
                    .append('\n');
        }
        return y.toString();
    }

    private static String ts(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
