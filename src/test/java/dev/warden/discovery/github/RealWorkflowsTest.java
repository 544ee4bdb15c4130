package dev.warden.discovery.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.discovery.Discovery;
import dev.warden.discovery.ImportOptions;
import dev.warden.input.Input;
import dev.warden.inventory.Credential;
import dev.warden.inventory.IdentityRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every real-shaped workflow variant of {@code src/test/resources/discovery/github/real/} (see its
 * README for where each comes from), imported as one plain folder of workflow files: which files
 * are identities, how each job authenticates, which targets they reach and which secrets reach which
 * target.
 */
class RealWorkflowsTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    /** file, auth, jobAuth, targets, credentials as {@code NAME=targets} ("vars." for variables). */
    record Variant(String file, String auth, String jobAuth, String targets, String credentials) {}

    static final List<Variant> VARIANTS = List.of(
            new Variant(
                    "aws-mixed.yml",
                    "mixed",
                    "deploy=mixed",
                    "aws",
                    "LEGACY_AWS_ACCESS_KEY_ID=aws;LEGACY_AWS_SECRET_ACCESS_KEY=aws"),
            new Variant(
                    "alibaba.yml",
                    "mixed",
                    "build=static-secret,oidc=oidc",
                    "alibaba,cluster:alibaba-ack,registry:(expression)",
                    "ACCESS_KEY_ID=cluster:alibaba-ack,registry:(expression);ACCESS_KEY_SECRET=cluster:alibaba-ack,registry:(expression)"),
            new Variant(
                    "tencent-ibm.yml",
                    "static-secret",
                    "cos=static-secret,ibm=static-secret",
                    "ibm,tencent",
                    "IBMCLOUD_API_KEY=ibm;TENCENT_CLOUD_SECRET_ID=tencent;TENCENT_CLOUD_SECRET_KEY=tencent"),
            new Variant(
                    "openshift.yml",
                    "static-secret",
                    "(workflow)=static-secret",
                    "openshift",
                    "OPENSHIFT_TOKEN=openshift"),
            new Variant(
                    "azure.yml",
                    "mixed",
                    "infra=static-secret,oidc=oidc,webapp=static-secret",
                    "azure",
                    "AZURE_CREDENTIALS=azure;AZURE_WEBAPP_PUBLISH_PROFILE=azure"),
            new Variant(
                    "docker.yml",
                    "static-secret",
                    "docker=static-secret",
                    "registry:docker.io,registry:quay.io",
                    "DOCKERHUB_TOKEN=registry:docker.io;QUAY_ROBOT_TOKEN=registry:quay.io"),
            new Variant(
                    "pypi.yml",
                    "mixed",
                    "pypi-publish=oidc,testpypi=static-secret",
                    "pypi,testpypi",
                    "TEST_PYPI_API_TOKEN=testpypi"),
            new Variant("npm.yml", "mixed", "token=static-secret,trusted=oidc", "npm", "NPM_TOKEN=npm"),
            new Variant("vault.yml", "mixed", "approle=static-secret,jwt=oidc", "vault", "VAULT_SECRET_ID=vault"),
            new Variant(
                    "cli-logins.yml",
                    "static-secret",
                    "deploy=static-secret",
                    "azure,ibm,openshift,service",
                    "IBM_CLOUD_API_KEY=ibm;OC_TOKEN=openshift;SLACK_BOT_TOKEN=service;SP_PASSWORD=azure"),
            new Variant(
                    "caller.yml",
                    "static-secret",
                    "call-remote=static-secret",
                    "workflow:octo-org/shared-workflows/.github/workflows/deploy.yml@v1",
                    "DEPLOY_TOKEN=workflow:octo-org/shared-workflows/.github/workflows/deploy.yml@v1"),
            new Variant(
                    "reusable-deploy.yml",
                    "static-secret",
                    "deploy=static-secret",
                    "aws",
                    "AWS_ACCESS_KEY_ID=aws;AWS_SECRET_ACCESS_KEY=aws"));

    private static Discovery folder() throws Exception {
        Path dir = Path.of(
                RealWorkflowsTest.class.getResource("/discovery/github/real").toURI());
        return new GithubConnector(Clock.fixed(NOW, ZoneOffset.UTC))
                .discover(List.of(Input.path(dir)), ImportOptions.NONE);
    }

    @Test
    void every_real_workflow_variant_gives_its_identity_classification_targets_and_secrets() throws Exception {
        Discovery d = folder();
        Map<String, IdentityRecord> byFile = new TreeMap<>();
        d.records().forEach(r -> byFile.put(r.identity().attributes().get("path"), r));
        assertThat(byFile.keySet())
                .as("identities, one per credential-holding workflow; lint.yml and kustomization.yaml are none")
                .containsExactlyInAnyOrderElementsOf(
                        VARIANTS.stream().map(Variant::file).toList());
        for (Variant v : VARIANTS) {
            IdentityRecord r = byFile.get(v.file());
            Map<String, String> a = r.identity().attributes();
            assertThat(a.get("auth")).as(v.file() + " auth").isEqualTo(v.auth());
            assertThat(a.get("jobAuth")).as(v.file() + " jobAuth").isEqualTo(v.jobAuth());
            assertThat(a.get("targets")).as(v.file() + " targets").isEqualTo(v.targets());
            String creds = r.credentials().stream()
                    .map(RealWorkflowsTest::credential)
                    .sorted()
                    .collect(Collectors.joining(";"));
            assertThat(creds).as(v.file() + " credentials").isEqualTo(v.credentials());
        }
    }

    private static String credential(Credential c) {
        String id = c.externalId();
        String name = id.substring(0, id.indexOf('@'));
        return (name.startsWith("secrets.") ? name.substring("secrets.".length()) : name) + "="
                + c.attributes().get("targets");
    }

    @Test
    void a_plain_folder_skips_yaml_that_is_no_workflow_and_declares_no_coverage() throws Exception {
        Discovery d = folder();
        assertThat(d.coverage()).isEmpty();
        assertThat(d.notes())
                .anyMatch(n -> n.contains("kustomization.yaml") && n.contains("not a workflow"))
                .anyMatch(n -> n.contains("lint.yml") && n.contains("holds no credentials"));
        assertThat(d.records()).allMatch(r -> r.identity().externalId().startsWith("github:real:"));
    }

    @Test
    void pull_request_target_that_checks_out_the_fork_head_is_kept_as_fork_exposure() throws Exception {
        Discovery d = folder();
        IdentityRecord r = d.records().stream()
                .filter(x -> "cli-logins.yml".equals(x.identity().attributes().get("path")))
                .findFirst()
                .orElseThrow();
        assertThat(r.identity().attributes())
                .containsEntry("pullRequestTarget", "true")
                .containsEntry("forkCheckout", "deploy");
        assertThat(d.notes()).anyMatch(n -> n.contains("cli-logins.yml") && n.contains("fork exposure"));
    }

    @Test
    void reusable_workflows_are_linked_to_their_callers_not_copied() throws Exception {
        Discovery d = folder();
        IdentityRecord caller = d.records().stream()
                .filter(x -> "caller.yml".equals(x.identity().attributes().get("path")))
                .findFirst()
                .orElseThrow();
        assertThat(caller.identity().attributes().get("calls"))
                .contains("call-local:./.github/workflows/reusable-deploy.yml (secrets: inherit)")
                .contains("DEPLOY_TOKEN->deploy-token");
        assertThat(caller.credentials())
                .as("the callee's AWS keys stay with the callee")
                .noneMatch(c -> c.externalId().contains("AWS"));
    }

    @Test
    void a_key_named_configuration_variable_is_a_plain_text_credential_and_a_user_name_is_not() throws Exception {
        IdentityRecord r = new GithubConnector(Clock.fixed(NOW, ZoneOffset.UTC))
                .discover(
                        List.of(Input.content("deploy.yml", """
                                on: push
                                jobs:
                                  push:
                                    runs-on: ubuntu-latest
                                    steps:
                                      - uses: docker/login-action@v3
                                        with:
                                          registry: registry.example.com
                                          username: ${{ vars.REGISTRY_USERNAME }}
                                          password: ${{ vars.REGISTRY_TOKEN }}
                                """.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                        ImportOptions.NONE)
                .records()
                .get(0);
        assertThat(r.credentials()).singleElement().satisfies(c -> {
            assertThat(c.externalId()).isEqualTo("vars.REGISTRY_TOKEN@local");
            assertThat(c.attributes())
                    .containsEntry("plainText", "true")
                    .containsEntry("targets", "registry:registry.example.com");
        });
    }
}
