package dev.warden.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.audit.AuditLog;
import dev.warden.discovery.Connector;
import dev.warden.discovery.ConnectorContract;
import dev.warden.discovery.Coverage;
import dev.warden.discovery.Discovery;
import dev.warden.discovery.ImportOptions;
import dev.warden.input.Input;
import dev.warden.input.InputException;
import dev.warden.input.TreeReader;
import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.inventory.Effect;
import dev.warden.inventory.Entitlement;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.Inventory;
import dev.warden.store.Database;
import dev.warden.store.Dialect;
import dev.warden.testing.TestStores;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesConnectorTest extends ConnectorContract {
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final ImportOptions CLUSTER = new ImportOptions(null, "prod-eu-1", null);

    @TempDir
    Path tmp;

    @Override
    protected Connector connector() {
        return new KubernetesConnector(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Override
    protected List<Input> sample() {
        return List.of(Input.path(fixture("manifests")), Input.path(fixture("monitoring-list.json")));
    }

    @Override
    protected ImportOptions options() {
        return CLUSTER;
    }

    static Path fixture(String name) {
        try {
            return Path.of(KubernetesConnectorTest.class
                    .getResource("/discovery/kubernetes/" + name)
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Discovery sampleDiscovery() {
        return connector().discover(sample(), CLUSTER);
    }

    static IdentityRecord record(Discovery d, String externalId) {
        return d.records().stream()
                .filter(r -> r.identity().externalId().equals(externalId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no identity " + externalId + " in "
                        + d.records().stream()
                                .map(r -> r.identity().externalId())
                                .toList()));
    }

    private Discovery yaml(String text) {
        return connector()
                .discover(List.of(Input.content("test.yaml", text.getBytes(StandardCharsets.UTF_8))), CLUSTER);
    }

    private InputException failure(String name, String text) {
        Input in = Input.content(name, text.getBytes(StandardCharsets.UTF_8));
        return (InputException)
                org.assertj.core.api.Assertions.catchThrowable(() -> connector().discover(List.of(in), STRICT));
    }

    static final ImportOptions STRICT = new ImportOptions(null, "prod-eu-1", null, true);

    @Test
    void service_accounts_in_multi_document_yaml_become_identities_of_the_cluster() {
        Discovery d = sampleDiscovery();
        Identity checkout = record(d, "system:serviceaccount:shop:checkout").identity();
        assertThat(checkout.kind()).isEqualTo(IdentityKind.KUBERNETES_SERVICE_ACCOUNT);
        assertThat(checkout.name()).isEqualTo("shop/checkout");
        assertThat(checkout.source().type()).isEqualTo("kubernetes");
        assertThat(checkout.source().scope()).isEqualTo("prod-eu-1");
        assertThat(checkout.firstSeen()).isEqualTo(NOW);
        assertThat(checkout.attributes()).containsEntry("declared", "true").containsEntry("namespace", "shop");
        assertThat(checkout.tags()).containsEntry("app.kubernetes.io/name", "checkout");
        assertThat(d.records())
                .extracting(r -> r.identity().externalId())
                .contains(
                        "system:serviceaccount:shop:idle",
                        "system:serviceaccount:shop:reporter",
                        "system:serviceaccount:ci:deployer");
    }

    @Test
    void kubectl_list_json_items_are_read_one_by_one() {
        Discovery d = connector().discover(List.of(Input.path(fixture("monitoring-list.json"))), CLUSTER);
        IdentityRecord prometheus = record(d, "system:serviceaccount:monitoring:prometheus-server");
        assertThat(prometheus.identity().createdAt()).isEqualTo(Instant.parse("2023-09-12T08:15:30Z"));
        assertThat(prometheus.identity().attributes()).containsEntry("uid", "6f1c2b9e-0a51-4c8e-9a43-0d5b2f7e8c11");
        assertThat(prometheus.entitlements())
                .contains(
                        new Entitlement(
                                Effect.ALLOW,
                                "list pods",
                                "cluster",
                                "clusterrolebinding/prometheus-server -> clusterrole/prometheus-server",
                                null),
                        new Entitlement(
                                Effect.ALLOW,
                                "watch networking.k8s.io/ingresses",
                                "cluster",
                                "clusterrolebinding/prometheus-server -> clusterrole/prometheus-server",
                                null),
                        new Entitlement(
                                Effect.ALLOW,
                                "get /metrics",
                                "cluster",
                                "clusterrolebinding/prometheus-server -> clusterrole/prometheus-server",
                                null));
        assertThat(record(d, "system:serviceaccount:monitoring:default").entitlements())
                .isEmpty();
    }

    @Test
    void a_typed_list_from_the_raw_api_gives_its_items_the_list_kind() {
        Discovery d = connector().discover(List.of(Input.path(fixture("serviceaccount-list.json"))), CLUSTER);
        assertThat(d.records())
                .extracting(r -> r.identity().externalId())
                .containsExactly("system:serviceaccount:batch:default", "system:serviceaccount:batch:etl");
        assertThat(record(d, "system:serviceaccount:batch:etl").identity().businessOwner())
                .isEqualTo("data-team");
    }

    @Test
    void role_bindings_become_entitlements_with_qualified_actions_and_the_binding_they_come_from() {
        List<Entitlement> e =
                record(sampleDiscovery(), "system:serviceaccount:shop:checkout").entitlements();
        String via = "rolebinding/shop/checkout -> role/checkout";
        assertThat(e)
                .contains(
                        new Entitlement(Effect.ALLOW, "get configmaps", "namespace/shop", via, null),
                        new Entitlement(Effect.ALLOW, "list configmaps", "namespace/shop", via, null),
                        new Entitlement(Effect.ALLOW, "get apps/deployments", "namespace/shop", via, null),
                        new Entitlement(Effect.ALLOW, "patch apps/deployments/scale", "namespace/shop", via, null),
                        new Entitlement(
                                Effect.ALLOW,
                                "get secrets",
                                "namespace/shop",
                                via,
                                "{\"resourceNames\":[\"checkout-api-key\",\"checkout-db\"]}"));
        assertThat(e).noneMatch(x -> x.action().equals("get secrets") && x.condition() == null);
    }

    @Test
    void a_cluster_admin_binding_is_visible_as_such() {
        Discovery d = sampleDiscovery();
        IdentityRecord deployer = record(d, "system:serviceaccount:ci:deployer");
        String via = "clusterrolebinding/ci-deployer-admin -> clusterrole/cluster-admin";
        assertThat(deployer.entitlements())
                .contains(
                        new Entitlement(Effect.ALLOW, "* */*", "cluster", via, null),
                        new Entitlement(Effect.ALLOW, "* *", "cluster", via, null));
        assertThat(deployer.identity().attributes())
                .containsEntry("clusterAdmin", "clusterrolebinding/ci-deployer-admin");
        assertThat(d.notes()).anyMatch(n -> n.contains("clusterrole/cluster-admin is not in the input"));
        assertThat(record(d, "system:serviceaccount:shop:checkout").identity().attributes())
                .doesNotContainKey("clusterAdmin");
    }

    @Test
    void a_namespace_group_subject_grants_to_every_service_account_of_that_namespace_only() {
        Discovery d = sampleDiscovery();
        String via = "rolebinding/shop/pod-readers (group system:serviceaccounts:shop) -> clusterrole/pod-reader";
        Entitlement readLogs = new Entitlement(Effect.ALLOW, "get pods/log", "namespace/shop", via, null);
        for (String sa : List.of("checkout", "idle", "reporter", "default")) {
            assertThat(record(d, "system:serviceaccount:shop:" + sa).entitlements())
                    .as(sa)
                    .contains(readLogs);
        }
        assertThat(record(d, "system:serviceaccount:ci:deployer").entitlements())
                .noneMatch(e -> e.grantedVia().contains("pod-readers"));
    }

    @Test
    void an_aggregated_cluster_role_takes_the_rules_of_the_roles_its_selector_matches_and_user_subjects_are_followed() {
        IdentityRecord deployer = record(sampleDiscovery(), "system:serviceaccount:ci:deployer");
        assertThat(deployer.entitlements())
                .contains(new Entitlement(
                        Effect.ALLOW,
                        "watch pods",
                        "cluster",
                        "clusterrolebinding/ci-monitoring (user system:serviceaccount:ci:deployer) -> clusterrole/monitoring",
                        null));
    }

    @Test
    void a_legacy_token_secret_becomes_a_long_lived_token_credential_without_its_data() {
        Discovery d = sampleDiscovery();
        Credential token = record(d, "system:serviceaccount:monitoring:prometheus-server")
                .credentials()
                .get(0);
        assertThat(token.kind()).isEqualTo(CredentialKind.TOKEN);
        assertThat(token.externalId()).isEqualTo("secret/monitoring/prometheus-server-token-x7k2p");
        assertThat(token.fingerprint()).isNull();
        assertThat(token.createdAt()).isEqualTo(Instant.parse("2023-09-12T08:15:31Z"));
        assertThat(token.attributes())
                .containsEntry("legacyToken", "true")
                .containsEntry("longLived", "true")
                .containsEntry("created", "2023-09-12T08:15:31Z");
        Credential reporter =
                record(d, "system:serviceaccount:shop:reporter").credentials().get(0);
        assertThat(reporter.lastUsedAt()).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
        assertThat(reporter.status()).isEqualTo(CredentialStatus.ACTIVE);
        assertThat(d.toString()).doesNotContain("FAKE-TOKEN", "RkFLRS1UT0tFTi", "never reads it", "ZmFrZS1wYXNzd29yZA");
    }

    @Test
    void workloads_are_mapped_to_the_service_account_they_run_as_through_their_controllers() {
        Discovery d = sampleDiscovery();
        Identity prometheus =
                record(d, "system:serviceaccount:monitoring:prometheus-server").identity();
        assertThat(prometheus.attributes())
                .containsEntry("workloads", "deployment/monitoring/prometheus-server")
                .containsEntry("usedByWorkloads", "1")
                .containsEntry("tokenMountedByWorkloads", "1");
        assertThat(prometheus.workload()).isEqualTo("deployment/monitoring/prometheus-server");
        Identity reporter = record(d, "system:serviceaccount:shop:reporter").identity();
        assertThat(reporter.attributes())
                .containsEntry("workloads", "cronjob/shop/nightly-report")
                .containsEntry("automountServiceAccountToken", "false")
                .containsEntry("tokenMountedByWorkloads", "0");
        Identity implicitDefault =
                record(d, "system:serviceaccount:shop:default").identity();
        assertThat(implicitDefault.attributes())
                .containsEntry("declared", "false")
                .containsEntry("workloads", "pod/shop/debug")
                .containsEntry("tokenMountedByWorkloads", "1");
    }

    @Test
    void a_service_account_no_workload_runs_as_is_recognisable() {
        Discovery d = sampleDiscovery();
        assertThat(record(d, "system:serviceaccount:shop:idle").identity().attributes())
                .containsEntry("usedByWorkloads", "0")
                .doesNotContainKey("workloads");
        assertThat(record(d, "system:serviceaccount:ci:deployer").identity().attributes())
                .as("no workloads of namespace ci in the input: unknown, not zero")
                .doesNotContainKey("usedByWorkloads");
    }

    @Test
    void owners_come_from_labels_and_annotations_with_their_provenance() {
        Discovery d = sampleDiscovery();
        Identity checkout = record(d, "system:serviceaccount:shop:checkout").identity();
        assertThat(checkout.technicalOwner()).isEqualTo("checkout-team");
        assertThat(checkout.businessOwner()).isEqualTo("alice@example.com");
        assertThat(checkout.ownershipProvenance()).isEqualTo("label:team, annotation:owner");
        assertThat(checkout.attributes())
                .containsEntry("managedBy", "Helm")
                .containsEntry("partOf", "shop")
                .containsEntry("app", "checkout");
        Identity deployer = record(d, "system:serviceaccount:ci:deployer").identity();
        assertThat(deployer.technicalOwner()).isEqualTo("platform");
        assertThat(deployer.ownershipProvenance()).isEqualTo("annotation:example.com/team");
        Identity idle = record(d, "system:serviceaccount:shop:idle").identity();
        assertThat(idle.technicalOwner()).isEqualTo("payments");
        assertThat(idle.ownershipProvenance()).isEqualTo("namespace/shop label:team");
        Identity implicitDefault =
                record(d, "system:serviceaccount:shop:default").identity();
        assertThat(implicitDefault.businessOwner()).isEqualTo("bob");
        assertThat(implicitDefault.technicalOwner()).isEqualTo("payments");
        assertThat(implicitDefault.ownershipProvenance())
                .isEqualTo("namespace/shop label:team, pod/shop/debug label:owner");
    }

    @Test
    void environment_comes_from_labels_before_the_import_option() {
        Discovery d = connector().discover(sample(), new ImportOptions("staging", "prod-eu-1", null));
        Identity checkout = record(d, "system:serviceaccount:shop:checkout").identity();
        assertThat(checkout.environment()).isEqualTo("prod");
        assertThat(checkout.attributes()).containsEntry("environmentFrom", "namespace/shop label:environment");
        Identity deployer = record(d, "system:serviceaccount:ci:deployer").identity();
        assertThat(deployer.environment()).isEqualTo("staging");
        assertThat(deployer.attributes()).containsEntry("environmentFrom", "import option");
    }

    @Test
    void cloud_workload_identity_annotations_become_assume_role_entitlements() {
        IdentityRecord checkout = record(sampleDiscovery(), "system:serviceaccount:shop:checkout");
        assertThat(checkout.entitlements())
                .contains(new Entitlement(
                        Effect.ALLOW,
                        "sts:AssumeRoleWithWebIdentity",
                        "arn:aws:iam::111122223333:role/shop-checkout",
                        "serviceaccount/shop/checkout annotation eks.amazonaws.com/role-arn",
                        null));
    }

    @Test
    void coverage_names_only_the_namespaces_whose_service_accounts_the_input_lists() {
        Discovery d = sampleDiscovery();
        assertThat(d.coverage())
                .extracting(Coverage::externalIdPrefix)
                .containsExactly(
                        "system:serviceaccount:ci:",
                        "system:serviceaccount:monitoring:",
                        "system:serviceaccount:shop:");
        assertThat(d.coverage()).allSatisfy(c -> {
            assertThat(c.sourceType()).isEqualTo("kubernetes");
            assertThat(c.scope()).isEqualTo("prod-eu-1");
            assertThat(c.kind()).isEqualTo(IdentityKind.KUBERNETES_SERVICE_ACCOUNT);
        });
    }

    @Test
    void records_say_which_parts_the_input_knew_in_full() {
        Discovery d = sampleDiscovery();
        assertThat(record(d, "system:serviceaccount:shop:checkout").complete())
                .containsExactlyInAnyOrder(
                        IdentityRecord.Part.IDENTITY,
                        IdentityRecord.Part.CREDENTIALS,
                        IdentityRecord.Part.ENTITLEMENTS,
                        IdentityRecord.Part.TRUSTS);
        assertThat(record(d, "system:serviceaccount:shop:default").complete())
                .doesNotContain(IdentityRecord.Part.IDENTITY);
        assertThat(record(d, "system:serviceaccount:ci:deployer").complete())
                .doesNotContain(IdentityRecord.Part.CREDENTIALS);
    }

    @Test
    void a_missing_cluster_name_is_a_clear_error() {
        assertThatThrownBy(() -> connector().discover(sample(), ImportOptions.NONE))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("--cluster");
    }

    @Test
    void anchors_aliases_and_merge_keys_work_in_moderation_on_mappings_and_scalars() {
        Discovery d = yaml("""
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: a
                  namespace: ns
                ---
                apiVersion: v1
                kind: List
                common: &common
                  team: blue
                  env: prod
                items:
                - apiVersion: v1
                  kind: ServiceAccount
                  metadata:
                    name: b
                    namespace: &namespace ns
                    labels:
                      <<: *common
                      env: dev
                - apiVersion: v1
                  kind: ServiceAccount
                  metadata:
                    name: c
                    namespace: *namespace
                    labels: *common
                """);
        assertThat(d.records()).hasSize(3);
        Identity b = record(d, "system:serviceaccount:ns:b").identity();
        assertThat(b.technicalOwner()).isEqualTo("blue");
        assertThat(b.environment()).isEqualTo("dev");
        assertThat(record(d, "system:serviceaccount:ns:c").identity().environment())
                .isEqualTo("prod");
    }

    @Test
    void a_billion_laughs_yaml_bomb_is_refused() {
        StringBuilder bomb =
                new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\nlol0: &l0 [\"lol\"]\n");
        for (int i = 1; i <= 9; i++) {
            bomb.append("lol").append(i).append(": &l").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                bomb.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
            }
            bomb.append("]\n");
        }
        InputException e = failure("bomb.yaml", bomb.toString());
        assertThat(e).hasMessageStartingWith("bomb.yaml:").hasMessageContaining("YAML bomb");
    }

    @Test
    void many_aliases_to_one_small_collection_are_refused_too() {
        StringBuilder many = new StringBuilder("a: &a [1]\nb: [");
        for (int i = 0; i < TreeReader.MAX_ALIASES + 1; i++) {
            many.append(i == 0 ? "" : ",").append("*a");
        }
        many.append("]\n");
        assertThat(failure("aliases.yaml", many.toString())).hasMessageContaining("aliases");
    }

    @Test
    void anchors_do_not_reach_across_documents() {
        assertThat(failure("two.yaml", "kind: ConfigMap\na: &x {k: v}\n---\nkind: ConfigMap\nb: *x\n"))
                .hasMessageContaining("*x refers to no earlier anchor");
    }

    @Test
    void an_alias_to_an_unknown_anchor_is_refused() {
        assertThat(failure("alias.yaml", "apiVersion: v1\nkind: ServiceAccount\nmetadata: *nothing\n"))
                .hasMessageStartingWith("alias.yaml:3:")
                .hasMessageContaining("*nothing");
    }

    @Test
    void deeply_nested_yaml_is_refused() {
        String deep = "apiVersion: v1\nkind: ConfigMap\nx: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
        assertThat(failure("deep.yaml", deep))
                .hasMessageStartingWith("deep.yaml:3:")
                .hasMessageContaining("nested deeper");
    }

    @Test
    void deeply_nested_json_is_refused() {
        String deep = "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{\"kind\":\"ConfigMap\",\"x\":"
                + "[".repeat(10_000) + "]".repeat(10_000) + "}]}";
        assertThat(failure("deep.json", deep))
                .hasMessageStartingWith("deep.json:1:")
                .hasMessageContaining("nest");
    }

    @Test
    void truncated_json_names_the_file_line_and_pointer() throws Exception {
        String whole = Files.readString(fixture("monitoring-list.json"));
        String cut = whole.substring(0, whole.indexOf("\"kind\": \"ClusterRole\""));
        long line = cut.lines().count();
        InputException e = failure("monitoring-list.json", cut);
        assertThat(e)
                .hasMessageStartingWith("monitoring-list.json:" + line + ":")
                .hasMessageContaining("/items/4");
    }

    @Test
    void truncated_yaml_names_the_file_and_line() {
        InputException e = failure(
                "cut.yaml", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  labels: {team: [x,\n");
        assertThat(e.getMessage()).matches("cut\\.yaml:6: at /metadata/labels/team/0: malformed YAML: .*");
    }

    @Test
    void a_semantic_error_names_the_file_and_line_of_the_object() {
        InputException e = failure("bad.yaml", """
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: fine
                  namespace: ns
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata:
                  name: broken
                  namespace: ns
                roleRef:
                  kind: Secret
                  name: x
                """);
        assertThat(e).hasMessageStartingWith("bad.yaml: line 7:").hasMessageContaining("roleRef");
    }

    @Test
    void a_manifest_object_that_cannot_be_understood_is_skipped_and_the_rest_imports() {
        Input in = Input.content(
                "mixed.yaml",
                ("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: Not_Valid\n  namespace: ns\n---\n"
                                + "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: fine\n  namespace: ns\n")
                        .getBytes(StandardCharsets.UTF_8));
        Discovery d = connector().discover(List.of(in), CLUSTER);
        assertThat(d.records())
                .singleElement()
                .satisfies(r -> assertThat(r.identity().name()).contains("fine"));
        assertThat(d.skipped()).isEqualTo(1);
        assertThat(d.skips()).singleElement().satisfies(s -> {
            assertThat(s.file()).isEqualTo("mixed.yaml");
            assertThat(s.pointer()).isEqualTo("line 1");
            assertThat(s.reason()).contains("not a valid Kubernetes name");
        });
    }

    @Test
    void an_invalid_service_account_name_is_refused_with_its_place() {
        assertThat(failure(
                        "bad.yaml",
                        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: Not_Valid\n  namespace: ns\n"))
                .hasMessageStartingWith("bad.yaml: line 1:")
                .hasMessageContaining("not a valid Kubernetes name");
    }

    @Test
    void a_wrong_top_level_shape_is_refused() {
        assertThat(failure("array.json", "[{\"kind\": \"ServiceAccount\"}]"))
                .hasMessageContaining("array.json:1: expected a Kubernetes object");
        assertThat(failure("scalar.yaml", "just some text\n"))
                .hasMessageContaining("scalar.yaml:1: document 1 is a string");
        assertThat(failure("nokind.yaml", "apiVersion: v1\nmetadata: {name: x}\n"))
                .hasMessageContaining("no kind");
        assertThat(failure("list.json", "{\"kind\": \"Deployment\", \"items\": []}"))
                .hasMessageContaining("is not a List");
        assertThat(failure("items.json", "{\"kind\": \"List\", \"items\": [1]}"))
                .hasMessageContaining("items/0 is a number");
    }

    @Test
    void binary_garbage_and_empty_files_are_refused() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
        assertThatThrownBy(() -> connector().discover(List.of(Input.content("logo.png", png)), CLUSTER))
                .hasMessage("logo.png: binary content, not YAML or JSON");
        assertThat(failure("blank.yaml", "\n# only a comment\n---\n")).hasMessageContaining("blank.yaml: empty");
    }

    @Test
    void utf16_files_as_powershell_redirection_writes_them_are_read() throws Exception {
        byte[] json =
                ("\uFEFF" + Files.readString(fixture("serviceaccount-list.json"))).getBytes(StandardCharsets.UTF_16LE);
        byte[] yaml = "\uFEFFapiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ps, namespace: win}\n"
                .getBytes(StandardCharsets.UTF_16LE);
        Discovery d =
                connector().discover(List.of(Input.content("sa.json", json), Input.content("sa.yaml", yaml)), CLUSTER);
        assertThat(d.records())
                .extracting(r -> r.identity().externalId())
                .containsExactly(
                        "system:serviceaccount:batch:default",
                        "system:serviceaccount:batch:etl",
                        "system:serviceaccount:win:ps");
    }

    @Test
    void duplicate_keys_are_refused() {
        assertThat(failure("dup.yaml", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  name: b\n"))
                .hasMessageStartingWith("dup.yaml:5:")
                .hasMessageContaining("duplicate field 'name'");
    }

    @Test
    void files_in_a_directory_that_are_not_kubernetes_objects_are_skipped_with_a_note() throws Exception {
        Files.writeString(tmp.resolve("values.yaml"), "replicaCount: 2\nimage: {tag: latest}\n");
        Files.writeString(
                tmp.resolve("sa.yaml"), "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a, namespace: x}\n");
        Discovery d = connector().discover(List.of(Input.path(tmp)), CLUSTER);
        assertThat(d.records()).hasSize(1);
        assertThat(d.notes()).anyMatch(n -> n.contains("values.yaml:1") && n.contains("skipped"));
    }

    @Test
    void objects_of_other_kinds_are_counted_in_one_note() {
        Discovery d = yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: a, namespace: x}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: a, namespace: x}
                ---
                apiVersion: example.com/v1
                kind: Role
                metadata: {name: not-rbac, namespace: x}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: a, namespace: x}
                """);
        assertThat(d.notes())
                .contains(
                        "skipped 3 objects of kinds that hold no service-account facts: ConfigMap 1, Role (example.com) 1, Service 1");
    }

    @Test
    void the_sample_loads_into_the_real_store_and_loads_again_unchanged() {
        Discovery d = sampleDiscovery();
        try (Database db = Database.open(TestStores.fresh(Dialect.SQLITE, tmp))) {
            Inventory inv = new Inventory(
                    db, new AuditLog(db, Clock.fixed(NOW, ZoneOffset.UTC)), Clock.fixed(NOW, ZoneOffset.UTC));
            assertThat(inv.load(d.records(), "test", "import", Map.of()).added())
                    .isEqualTo(d.records().size());
            assertThat(inv.load(sampleDiscovery().records(), "test", "import", Map.of())
                            .unchanged())
                    .isEqualTo(d.records().size());
            IdentityRecord stored =
                    inv.show("system:serviceaccount:shop:checkout", null).orElseThrow();
            IdentityRecord found = record(d, "system:serviceaccount:shop:checkout");
            assertThat(stored.entitlements()).containsExactlyInAnyOrderElementsOf(found.entitlements());
            assertThat(stored.identity().attributes())
                    .isEqualTo(found.identity().attributes());
            assertThat(stored.identity().nature()).isEqualTo(found.identity().nature());
            assertThat(stored.credentials())
                    .extracting(Credential::externalId)
                    .containsExactlyInAnyOrderElementsOf(found.credentials().stream()
                            .map(Credential::externalId)
                            .toList());
            assertThat(stored.identity().ownershipProvenance())
                    .isEqualTo(found.identity().ownershipProvenance());
        }
    }
}
