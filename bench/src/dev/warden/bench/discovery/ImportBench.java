package dev.warden.bench.discovery;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.bench.Machine;
import dev.warden.bench.Row;
import dev.warden.discovery.ImportOptions;
import dev.warden.discovery.ImportRun;
import dev.warden.input.Input;
import dev.warden.store.DbUrl;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Issue 3's import benchmark: writes an authorization-details file with ROLES roles and USERS
 * users and a kubectl List of K8S objects (streamed to disk, never held whole), imports each into a
 * fresh SQLite store through the real Importer, and prints seconds, identities/s and peak heap.
 *
 * <p>Usage: ImportBench [--roles 50000] [--users 20000] [--k8s-objects 200000] [--dir DIR]
 */
public final class ImportBench {
    private static final JsonFactory JSON = new JsonFactory();
    private static final List<String> HEADER =
            List.of("import", "identities", "seconds", "identities/s", "peak heap MB");

    public static void main(String[] args) throws IOException {
        int roles = 50_000;
        int users = 20_000;
        int objects = 200_000;
        Path dir = Path.of("target/bench-import");
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--roles" -> roles = Integer.parseInt(args[i + 1]);
                case "--users" -> users = Integer.parseInt(args[i + 1]);
                case "--k8s-objects" -> objects = Integer.parseInt(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(dir);
        Path aws = dir.resolve("authorization-details.json");
        Path k8s = dir.resolve("cluster-list.json");
        long t0 = System.nanoTime();
        writeAws(aws, roles, users);
        int serviceAccounts = writeKubernetes(k8s, objects);
        System.out.printf(
                Locale.ROOT,
                "== generated %s (%d MB) and %s (%d MB) in %.1f s%n",
                aws.getFileName(),
                Files.size(aws) >> 20,
                k8s.getFileName(),
                Files.size(k8s) >> 20,
                (System.nanoTime() - t0) / 1e9);
        Path store = dir.resolve("store");
        deleteTree(store);
        System.out.println("== " + Machine.describe());
        List<Row> rows = new ArrayList<>();
        try (Warden w =
                Warden.open(new StoreLocation(store, DbUrl.sqlite(store.resolve("warden.db"))), Clock.systemUTC())) {
            rows.add(run(w, "aws", aws, ImportOptions.NONE, roles + users));
            rows.add(run(w, "kubernetes", k8s, new ImportOptions("prod", "bench", null), serviceAccounts));
            rows.add(run(w, "aws (again: all unchanged)", aws, ImportOptions.NONE, roles + users));
        }
        System.out.println();
        System.out.print(Row.table(HEADER, rows));
    }

    private static Row run(Warden w, String label, Path file, ImportOptions options, int expected) {
        Machine.resetHeapPeaks();
        System.gc();
        long start = System.nanoTime();
        String source = label.startsWith("aws") ? "aws" : "kubernetes";
        ImportRun r = w.importer().run(source, List.of(Input.path(file)), options, "bench");
        double seconds = (System.nanoTime() - start) / 1e9;
        int identities = r.added() + r.updated() + r.unchanged();
        if (identities < expected) {
            throw new IllegalStateException(label + ": imported " + identities + " identities, expected " + expected);
        }
        Row row = Row.of(
                label,
                Integer.toString(identities),
                String.format(Locale.ROOT, "%.1f", seconds),
                String.format(Locale.ROOT, "%.0f", identities / seconds),
                Long.toString(Machine.peakHeapBytes() >> 20));
        System.out.println(String.join(" | ", row.cells()));
        return row;
    }

    private static void writeAws(Path file, int roles, int users) throws IOException {
        Random random = new Random(7);
        String[] actions = {
            "s3:GetObject", "s3:PutObject", "sqs:SendMessage", "dynamodb:GetItem", "kms:Decrypt", "logs:PutLogEvents"
        };
        try (JsonGenerator g = JSON.createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeArrayFieldStart("UserDetailList");
            for (int i = 0; i < users; i++) {
                String name = "svc-" + i;
                g.writeStartObject();
                g.writeStringField("Path", "/automation/");
                g.writeStringField("UserName", name);
                g.writeStringField("UserId", "AIDA" + i);
                g.writeStringField("Arn", "arn:aws:iam::111122223333:user/automation/" + name);
                g.writeStringField("CreateDate", "2023-01-0" + (1 + i % 9) + "T00:00:00Z");
                g.writeArrayFieldStart("UserPolicyList");
                g.writeStartObject();
                g.writeStringField("PolicyName", "inline");
                g.writeStringField(
                        "PolicyDocument",
                        URLEncoder.encode(
                                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\"," + "\"Action\":[\""
                                        + actions[random.nextInt(actions.length)]
                                        + "\"],\"Resource\":\"arn:aws:s3:::bucket-" + i + "/*\"}]}",
                                StandardCharsets.UTF_8));
                g.writeEndObject();
                g.writeEndArray();
                g.writeArrayFieldStart("GroupList");
                g.writeString("group-" + i % 20);
                g.writeEndArray();
                g.writeArrayFieldStart("AttachedManagedPolicies");
                g.writeEndArray();
                g.writeArrayFieldStart("Tags");
                if (i % 5 != 0) {
                    g.writeStartObject();
                    g.writeStringField("Key", "team");
                    g.writeStringField("Value", "team-" + i % 40);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("GroupDetailList");
            for (int i = 0; i < 20; i++) {
                g.writeStartObject();
                g.writeStringField("GroupName", "group-" + i);
                g.writeStringField("Arn", "arn:aws:iam::111122223333:group/group-" + i);
                g.writeArrayFieldStart("GroupPolicyList");
                g.writeEndArray();
                g.writeArrayFieldStart("AttachedManagedPolicies");
                g.writeStartObject();
                g.writeStringField("PolicyName", "shared-" + i % 5);
                g.writeStringField("PolicyArn", "arn:aws:iam::111122223333:policy/shared-" + i % 5);
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("RoleDetailList");
            for (int i = 0; i < roles; i++) {
                g.writeStartObject();
                g.writeStringField("Path", "/");
                g.writeStringField("RoleName", "role-" + i);
                g.writeStringField("RoleId", "AROA" + i);
                g.writeStringField("Arn", "arn:aws:iam::111122223333:role/role-" + i);
                g.writeStringField("CreateDate", "2022-06-0" + (1 + i % 9) + "T00:00:00Z");
                g.writeObjectFieldStart("AssumeRolePolicyDocument");
                g.writeStringField("Version", "2012-10-17");
                g.writeArrayFieldStart("Statement");
                g.writeStartObject();
                g.writeStringField("Effect", "Allow");
                g.writeObjectFieldStart("Principal");
                g.writeStringField("Service", i % 3 == 0 ? "lambda.amazonaws.com" : "ecs-tasks.amazonaws.com");
                g.writeEndObject();
                g.writeStringField("Action", "sts:AssumeRole");
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
                g.writeArrayFieldStart("RolePolicyList");
                g.writeStartObject();
                g.writeStringField("PolicyName", "access");
                g.writeObjectFieldStart("PolicyDocument");
                g.writeStringField("Version", "2012-10-17");
                g.writeArrayFieldStart("Statement");
                g.writeStartObject();
                g.writeStringField("Effect", "Allow");
                g.writeArrayFieldStart("Action");
                g.writeString(actions[random.nextInt(actions.length)]);
                g.writeString(actions[random.nextInt(actions.length)]);
                g.writeEndArray();
                g.writeStringField("Resource", "arn:aws:s3:::data-" + i + "/*");
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
                g.writeEndObject();
                g.writeEndArray();
                g.writeArrayFieldStart("AttachedManagedPolicies");
                g.writeStartObject();
                g.writeStringField("PolicyName", "shared-" + i % 5);
                g.writeStringField("PolicyArn", "arn:aws:iam::111122223333:policy/shared-" + i % 5);
                g.writeEndObject();
                g.writeEndArray();
                g.writeArrayFieldStart("Tags");
                g.writeStartObject();
                g.writeStringField("Key", "application");
                g.writeStringField("Value", "app-" + i % 500);
                g.writeEndObject();
                g.writeEndArray();
                g.writeObjectFieldStart("RoleLastUsed");
                g.writeStringField("LastUsedDate", "2026-11-0" + (1 + i % 9) + "T00:00:00Z");
                g.writeStringField("Region", "eu-west-1");
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("Policies");
            for (int i = 0; i < 5; i++) {
                g.writeStartObject();
                g.writeStringField("PolicyName", "shared-" + i);
                g.writeStringField("Arn", "arn:aws:iam::111122223333:policy/shared-" + i);
                g.writeStringField("DefaultVersionId", "v1");
                g.writeArrayFieldStart("PolicyVersionList");
                g.writeStartObject();
                g.writeStringField("VersionId", "v1");
                g.writeBooleanField("IsDefaultVersion", true);
                g.writeObjectFieldStart("Document");
                g.writeArrayFieldStart("Statement");
                g.writeStartObject();
                g.writeStringField("Effect", "Allow");
                g.writeStringField("Action", "logs:*");
                g.writeStringField("Resource", "*");
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeBooleanField("IsTruncated", false);
            g.writeEndObject();
        }
    }

    /** A kubectl List: per namespace 40 each of ServiceAccount, Role, RoleBinding, Deployment, Secret. Returns the SA count. */
    private static int writeKubernetes(Path file, int objects) throws IOException {
        int perNamespace = 200;
        int namespaces = Math.max(1, objects / perNamespace);
        int serviceAccounts = 0;
        try (JsonGenerator g = JSON.createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("apiVersion", "v1");
            g.writeStringField("kind", "List");
            g.writeArrayFieldStart("items");
            for (int n = 0; n < namespaces; n++) {
                String ns = "ns-" + n;
                for (int i = 0; i < perNamespace / 5; i++) {
                    String name = "app-" + i;
                    meta(g, "v1", "ServiceAccount", ns, name);
                    g.writeObjectFieldStart("labels");
                    g.writeStringField("team", "team-" + (n % 40));
                    g.writeEndObject();
                    g.writeEndObject();
                    g.writeEndObject();
                    serviceAccounts++;
                    meta(g, "rbac.authorization.k8s.io/v1", "Role", ns, name);
                    g.writeEndObject();
                    g.writeArrayFieldStart("rules");
                    g.writeStartObject();
                    g.writeArrayFieldStart("apiGroups");
                    g.writeString("");
                    g.writeEndArray();
                    g.writeArrayFieldStart("resources");
                    g.writeString("configmaps");
                    g.writeEndArray();
                    g.writeArrayFieldStart("verbs");
                    g.writeString("get");
                    g.writeString("list");
                    g.writeEndArray();
                    g.writeEndObject();
                    g.writeEndArray();
                    g.writeEndObject();
                    meta(g, "rbac.authorization.k8s.io/v1", "RoleBinding", ns, name);
                    g.writeEndObject();
                    g.writeObjectFieldStart("roleRef");
                    g.writeStringField("apiGroup", "rbac.authorization.k8s.io");
                    g.writeStringField("kind", "Role");
                    g.writeStringField("name", name);
                    g.writeEndObject();
                    g.writeArrayFieldStart("subjects");
                    g.writeStartObject();
                    g.writeStringField("kind", "ServiceAccount");
                    g.writeStringField("name", name);
                    g.writeStringField("namespace", ns);
                    g.writeEndObject();
                    g.writeEndArray();
                    g.writeEndObject();
                    meta(g, "apps/v1", "Deployment", ns, name);
                    g.writeEndObject();
                    g.writeObjectFieldStart("spec");
                    g.writeObjectFieldStart("template");
                    g.writeObjectFieldStart("spec");
                    g.writeStringField("serviceAccountName", name);
                    g.writeEndObject();
                    g.writeEndObject();
                    g.writeEndObject();
                    g.writeEndObject();
                    meta(g, "v1", "Secret", ns, name + "-token");
                    g.writeStringField("creationTimestamp", "2024-01-01T00:00:00Z");
                    g.writeObjectFieldStart("annotations");
                    g.writeStringField("kubernetes.io/service-account.name", name);
                    g.writeEndObject();
                    g.writeEndObject();
                    g.writeStringField("type", "kubernetes.io/service-account-token");
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return serviceAccounts;
    }

    /** Starts an object and its metadata (left open for labels/annotations). */
    private static void meta(JsonGenerator g, String apiVersion, String kind, String ns, String name)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("apiVersion", apiVersion);
        g.writeStringField("kind", kind);
        g.writeObjectFieldStart("metadata");
        g.writeStringField("name", name);
        g.writeStringField("namespace", ns);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
