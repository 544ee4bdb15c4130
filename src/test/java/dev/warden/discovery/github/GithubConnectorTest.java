package dev.warden.discovery.github;

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
import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.Effect;
import dev.warden.inventory.Entitlement;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.Inventory;
import dev.warden.store.Database;
import dev.warden.store.Dialect;
import dev.warden.testing.TestStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GithubConnectorTest extends ConnectorContract {
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final String WF = "github:acme/payments:.github/workflows/";

    @TempDir
    Path tmp;

    private Path checkout;

    @Override
    protected Connector connector() {
        return new GithubConnector(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Override
    protected List<Input> sample() {
        return List.of(Input.path(checkout()));
    }

    /** The fixture repository copied to a temporary directory, with the .git/config git clone writes. */
    private Path checkout() {
        if (checkout == null) {
            checkout = tmp.resolve("payments");
            copy(fixture("payments"), checkout);
            try {
                Files.createDirectories(checkout.resolve(".git"));
                Files.copy(fixture("payments.gitconfig"), checkout.resolve(".git/config"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return checkout;
    }

    static Path fixture(String name) {
        try {
            return Path.of(GithubConnectorTest.class
                    .getResource("/discovery/github/" + name)
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static void copy(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Discovery sampleDiscovery() {
        return connector().discover(sample(), ImportOptions.NONE);
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

    private static Credential credential(IdentityRecord r, String externalId) {
        return r.credentials().stream()
                .filter(c -> c.externalId().equals(externalId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no credential " + externalId + " in " + r.credentials()));
    }

    private Discovery workflow(String name, String yaml) {
        return connector()
                .discover(List.of(Input.content(name, yaml.getBytes(StandardCharsets.UTF_8))), ImportOptions.NONE);
    }

    @Test
    void a_workflow_with_static_aws_keys_is_a_ci_identity_holding_them_as_access_keys() {
        IdentityRecord r = record(sampleDiscovery(), WF + "deploy-static.yml");
        Identity i = r.identity();
        assertThat(i.kind()).isEqualTo(IdentityKind.CI_INTEGRATION);
        assertThat(i.source().type()).isEqualTo("github");
        assertThat(i.source().scope()).isEqualTo("acme");
        assertThat(i.name()).isEqualTo("acme/payments:.github/workflows/deploy-static.yml");
        assertThat(i.purpose()).isEqualTo("Deploy (static keys)");
        assertThat(i.workload()).isEqualTo("acme/payments");
        assertThat(i.attributes())
                .containsEntry("auth", "static-secret")
                .containsEntry("clouds", "aws")
                .containsEntry("secrets", "AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY,SLACK_WEBHOOK_URL")
                .containsEntry("triggers", "push,workflow_dispatch")
                .doesNotContainKey("idToken");
        Credential secretKey = credential(r, "secrets.AWS_SECRET_ACCESS_KEY@acme/payments");
        assertThat(secretKey.kind()).isEqualTo(CredentialKind.ACCESS_KEY);
        assertThat(secretKey.fingerprint()).isNull();
        assertThat(secretKey.attributes())
                .containsEntry("usedAs", "aws-secret-access-key")
                .containsEntry("cloudCredential", "true")
                .containsEntry("jobs", "deploy");
        assertThat(credential(r, "secrets.AWS_ACCESS_KEY_ID@acme/payments").kind())
                .isEqualTo(CredentialKind.ACCESS_KEY);
        Credential webhook = credential(r, "secrets.SLACK_WEBHOOK_URL@acme/payments");
        assertThat(webhook.kind()).isEqualTo(CredentialKind.TOKEN);
        assertThat(webhook.attributes())
                .containsEntry("usedAs", "condition,run")
                .doesNotContainKey("cloudCredential");
        assertThat(r.entitlements()).isEmpty();
    }

    @Test
    void an_oidc_workflow_assumes_its_role_with_web_identity_and_holds_no_secret() {
        IdentityRecord r = record(sampleDiscovery(), WF + "deploy-oidc.yml");
        assertThat(r.identity().attributes())
                .containsEntry("auth", "oidc")
                .containsEntry("idToken", "workflow")
                .containsEntry("roles", "arn:aws:iam::111122223333:role/github-payments-deploy")
                .containsEntry("environments", "production")
                .doesNotContainKey("secrets");
        assertThat(r.identity().environment()).isEqualTo("production");
        assertThat(r.credentials()).isEmpty();
        assertThat(r.entitlements())
                .containsExactly(new Entitlement(
                        Effect.ALLOW,
                        "sts:AssumeRoleWithWebIdentity",
                        "arn:aws:iam::111122223333:role/github-payments-deploy",
                        "job deploy step 'Configure AWS credentials' (aws-actions/configure-aws-credentials@v4)",
                        null));
    }

    @Test
    void a_workflow_federating_to_one_cloud_and_keeping_a_secret_for_another_is_mixed() {
        IdentityRecord r = record(sampleDiscovery(), WF + "terraform-plan.yml");
        assertThat(r.identity().attributes())
                .containsEntry("auth", "mixed")
                .containsEntry("clouds", "azure,gcp")
                .containsEntry("idToken", "jobs:plan-gcp")
                .containsEntry("pullRequestTarget", "true")
                .containsEntry("selfHostedRunner", "true");
        assertThat(r.entitlements())
                .containsExactly(new Entitlement(
                        Effect.ALLOW,
                        "iam.serviceAccounts.getAccessToken",
                        "serviceAccount:terraform@acme-payments.iam.gserviceaccount.com",
                        "job plan-gcp step 'auth' (google-github-actions/auth@v2)",
                        null));
        assertThat(credential(r, "secrets.ARM_CLIENT_SECRET@acme/payments").kind())
                .isEqualTo(CredentialKind.CLIENT_SECRET);
        assertThat(r.credentials())
                .extracting(Credential::externalId)
                .as("identifiers kept secret are not credentials")
                .containsExactly("secrets.ARM_CLIENT_SECRET@acme/payments");
        assertThat(r.identity().attributes().get("secrets")).contains("ARM_TENANT_ID");
    }

    @Test
    void job_level_id_token_permission_makes_azure_login_oidc() {
        IdentityRecord r = record(sampleDiscovery(), WF + "azure-login.yaml");
        assertThat(r.identity().attributes())
                .containsEntry("auth", "oidc")
                .containsEntry("idToken", "jobs:smoke")
                .containsEntry("jobs", "smoke")
                .doesNotContainKey("oidcWithoutIdToken");
        assertThat(r.entitlements())
                .extracting(Entitlement::action, Entitlement::resource)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        "azure:federatedToken", "azure:app/${{ secrets.AZURE_CLIENT_ID }}"));
    }

    @Test
    void a_workflow_holding_any_service_token_is_an_identity_reaching_that_service() {
        Discovery d = sampleDiscovery();
        IdentityRecord ci = record(d, WF + "ci.yml");
        assertThat(ci.identity().attributes())
                .containsEntry("auth", "static-secret")
                .containsEntry("targets", "action:codecov/codecov-action")
                .doesNotContainKey("clouds");
        assertThat(credential(ci, "secrets.CODECOV_TOKEN@acme/payments").attributes())
                .containsEntry("targets", "action:codecov/codecov-action")
                .doesNotContainKey("cloudCredential");
        assertThat(d.records()).hasSize(5);
    }

    @Test
    void a_workflow_without_any_credential_is_no_identity_but_a_note() {
        Discovery d = workflow("lint.yml", "on: push\njobs:\n  lint:\n    steps:\n      - run: make lint\n");
        assertThat(d.records()).isEmpty();
        assertThat(d.notes()).anyMatch(n -> n.endsWith("lint.yml: holds no credentials; not an identity"));
    }

    @Test
    void the_repository_is_named_by_the_origin_remote_in_git_config() {
        assertThat(sampleDiscovery().records())
                .allSatisfy(r -> assertThat(r.identity().externalId()).startsWith(WF));
    }

    @Test
    void without_a_remote_the_directory_name_names_the_repository() throws IOException {
        Path repo = tmp.resolve("orphan");
        copy(fixture("payments"), repo);
        Discovery d = connector().discover(List.of(Input.path(repo)), ImportOptions.NONE);
        assertThat(d.records()).allSatisfy(r -> {
            assertThat(r.identity().externalId()).startsWith("github:orphan:.github/workflows/");
            assertThat(r.identity().source().scope()).isEmpty();
        });
        assertThat(d.coverage())
                .containsExactly(new Coverage("github", "", IdentityKind.CI_INTEGRATION, "github:orphan:"));
    }

    @Test
    void a_worktree_whose_git_is_a_file_finds_the_remote_in_the_common_directory() throws IOException {
        Path main = tmp.resolve("main-clone");
        Files.createDirectories(main.resolve(".git/worktrees/wt"));
        Files.writeString(
                main.resolve(".git/config"), "[remote \"origin\"]\n\turl = https://github.com/acme/ledger.git\n");
        Files.writeString(main.resolve(".git/worktrees/wt/commondir"), "../..\n");
        Path wt = tmp.resolve("wt");
        copy(fixture("payments"), wt);
        Files.writeString(wt.resolve(".git"), "gitdir: " + main.resolve(".git/worktrees/wt") + "\n");
        Discovery d = connector().discover(List.of(Input.path(wt)), ImportOptions.NONE);
        assertThat(d.records())
                .allSatisfy(r -> assertThat(r.identity().externalId()).startsWith("github:acme/ledger:"));
    }

    @Test
    void remote_urls_of_every_common_form_give_owner_and_repository_and_never_their_credentials() {
        assertThat(Repository.slugOf("git@github.com:acme/payments.git")).isEqualTo("acme/payments");
        assertThat(Repository.slugOf("https://github.com/acme/payments")).isEqualTo("acme/payments");
        assertThat(Repository.slugOf("https://x-access-token:ghs_abc123@github.com/acme/payments.git/"))
                .isEqualTo("acme/payments");
        assertThat(Repository.slugOf("ssh://git@ghe.example.com:2222/acme/payments.git"))
                .isEqualTo("acme/payments");
        assertThat(Repository.slugOf("/srv/git/payments.git")).isNull();
        assertThat(Repository.slugOf("https://github.com/")).isNull();
    }

    @Test
    void the_workflows_directory_itself_is_an_input_too() {
        Discovery d =
                connector().discover(List.of(Input.path(checkout().resolve(".github/workflows"))), ImportOptions.NONE);
        assertThat(d.records()).hasSize(5);
        assertThat(d.coverage())
                .containsExactly(new Coverage("github", "acme", IdentityKind.CI_INTEGRATION, "github:acme/payments:"));
    }

    @Test
    void a_single_workflow_file_declares_no_coverage() {
        Discovery d = connector()
                .discover(
                        List.of(Input.path(checkout().resolve(".github/workflows/deploy-oidc.yml"))),
                        ImportOptions.NONE);
        assertThat(d.records()).extracting(r -> r.identity().externalId()).containsExactly(WF + "deploy-oidc.yml");
        assertThat(d.coverage()).isEmpty();
    }

    @Test
    void codeowners_name_the_technical_owner_with_the_line_that_says_so() {
        Discovery d = sampleDiscovery();
        Identity oidc = record(d, WF + "deploy-oidc.yml").identity();
        assertThat(oidc.technicalOwner()).isEqualTo("@acme/platform-team");
        assertThat(oidc.ownershipProvenance()).isEqualTo("codeowners:.github/CODEOWNERS:5");
        Identity terraform = record(d, WF + "terraform-plan.yml").identity();
        assertThat(terraform.technicalOwner()).isEqualTo("@acme/infra @alice");
        assertThat(terraform.ownershipProvenance()).isEqualTo("codeowners:.github/CODEOWNERS:6");
    }

    @Test
    void pull_request_target_with_cloud_credentials_is_called_out() {
        assertThat(sampleDiscovery().notes())
                .anyMatch(n -> n.contains("terraform-plan.yml: runs on pull_request_target"));
    }

    @Test
    void federation_without_the_id_token_permission_is_called_out() {
        Discovery d = workflow("acme/api/.github/workflows/deploy.yml", """
                on: push
                jobs:
                  deploy:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: aws-actions/configure-aws-credentials@v4
                        with:
                          role-to-assume: ${{ vars.DEPLOY_ROLE }}
                          aws-region: us-east-1
                """);
        IdentityRecord r = record(d, "github:acme/api:.github/workflows/deploy.yml");
        assertThat(r.identity().attributes())
                .containsEntry("auth", "oidc")
                .containsEntry("oidcWithoutIdToken", "deploy");
        assertThat(d.notes()).anyMatch(n -> n.contains("without permissions id-token: write"));
        assertThat(d.coverage()).as("content is part of a repository at most").isEmpty();
    }

    @Test
    void cloud_keys_in_environment_variables_count_as_static_secrets_and_inline_values_are_flagged_not_kept() {
        Discovery d = workflow("deploy.yml", """
                name: Upload
                on: [push]
                env:
                  AWS_ACCESS_KEY_ID: ${{ secrets.CI_AWS_KEY_ID }}
                  AWS_SECRET_ACCESS_KEY: ${{ secrets.CI_AWS_SECRET }}
                jobs:
                  upload:
                    runs-on: ubuntu-latest
                    steps:
                      - run: aws s3 cp build.zip s3://bucket/
                      - run: gcloud storage cp build.zip gs://bucket/
                        env:
                          GOOGLE_CREDENTIALS: '{"type": "service_account", "private_key": "inline-not-a-real-key"}'
                """);
        IdentityRecord r = record(d, "github:local:.github/workflows/deploy.yml");
        assertThat(r.identity().attributes())
                .containsEntry("auth", "static-secret")
                .containsEntry("clouds", "aws,gcp")
                .containsEntry("inlineCredentials", "GOOGLE_CREDENTIALS in job upload step 2");
        assertThat(credential(r, "secrets.CI_AWS_SECRET@local").attributes())
                .containsEntry("usedAs", "AWS_SECRET_ACCESS_KEY");
        assertThat(d.toString()).doesNotContain("inline-not-a-real-key");
        assertThat(d.notes()).anyMatch(n -> n.contains("written into the workflow"));
    }

    @Test
    void yaml_anchors_in_workflows_are_expanded_as_github_does() {
        Discovery d = workflow("acme/site/.github/workflows/sync.yml", """
                on: push
                jobs:
                  staging:
                    runs-on: ubuntu-latest
                    env: &aws
                      AWS_ACCESS_KEY_ID: ${{ secrets.SYNC_KEY_ID }}
                      AWS_SECRET_ACCESS_KEY: ${{ secrets.SYNC_SECRET }}
                    steps:
                      - run: aws s3 sync . s3://staging
                  production:
                    runs-on: &runner ubuntu-latest
                    env: *aws
                    steps:
                      - run: aws s3 sync . s3://production
                  report:
                    runs-on: *runner
                    steps:
                      - run: echo done
                """);
        IdentityRecord r = record(d, "github:acme/site:.github/workflows/sync.yml");
        assertThat(r.identity().attributes()).containsEntry("jobs", "production,staging");
        assertThat(credential(r, "secrets.SYNC_SECRET@acme/site").attributes())
                .containsEntry("jobs", "production,staging");
    }

    @Test
    void malformed_workflow_yaml_names_the_file_and_line() {
        assertThatThrownBy(() -> workflow("broken.yml", "on: push\njobs:\n  build:\n    steps: [\n      - run: x\n"))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("broken.yml:5:")
                .hasMessageContaining("malformed YAML");
    }

    @Test
    void a_workflow_that_is_not_a_mapping_with_jobs_is_refused_with_its_line() {
        assertThatThrownBy(() -> workflow("list.yml", "# a comment\n- a\n- b\n"))
                .hasMessage("list.yml:2: not a workflow: expected a mapping with 'on' and 'jobs'");
        assertThatThrownBy(() -> workflow("nojobs.yml", "on: push\n"))
                .hasMessageContaining("nojobs.yml:1: not a workflow: 'jobs'");
        assertThatThrownBy(() -> workflow("two.yml", "on: push\njobs: {}\n---\non: push\n"))
                .hasMessageContaining("two.yml:4: a second YAML document");
    }

    @Test
    void a_yaml_bomb_in_a_workflow_is_refused() {
        StringBuilder bomb = new StringBuilder("on: push\nx0: &x0 [a, a, a, a, a, a, a, a, a, a]\n");
        for (int i = 1; i < 8; i++) {
            bomb.append("x").append(i).append(": &x").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                bomb.append(j == 0 ? "" : ",").append("*x").append(i - 1);
            }
            bomb.append("]\n");
        }
        bomb.append("jobs: {}\n");
        assertThatThrownBy(() -> workflow("bomb.yml", bomb.toString())).hasMessageContaining("YAML bomb");
    }

    @Test
    void a_directory_that_is_no_repository_is_refused() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("nothing-here"));
        assertThatThrownBy(() -> connector().discover(List.of(Input.path(empty)), ImportOptions.NONE))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("neither a repository checkout");
    }

    @Test
    void secret_kinds_are_guessed_from_their_names() {
        assertThat(WorkflowRecords.kind("AWS_SECRET_ACCESS_KEY")).isEqualTo(CredentialKind.ACCESS_KEY);
        assertThat(WorkflowRecords.kind("GCP_SA_KEY")).isEqualTo(CredentialKind.ACCESS_KEY);
        assertThat(WorkflowRecords.kind("AZURE_CLIENT_SECRET")).isEqualTo(CredentialKind.CLIENT_SECRET);
        assertThat(WorkflowRecords.kind("NPM_TOKEN")).isEqualTo(CredentialKind.TOKEN);
        assertThat(WorkflowRecords.kind("DOCKERHUB_PASSWORD")).isEqualTo(CredentialKind.PASSWORD);
        assertThat(WorkflowRecords.kind("DATADOG_API_KEY")).isEqualTo(CredentialKind.API_KEY);
        assertThat(WorkflowRecords.identifier("AWS_ACCESS_KEY_ID")).isFalse();
        assertThat(WorkflowRecords.identifier("AWS_ROLE_ARN")).isTrue();
    }

    @Test
    void codeowners_patterns_follow_gitignore_rules() {
        CodeOwners o = CodeOwners.parse(
                List.of("*.yml @yaml", "/docs/* @docs", "build/ @build", "**/logs @logs"), "CODEOWNERS");
        assertThat(o.ownersOf("a/b/c.yml").owners()).isEqualTo("@yaml");
        assertThat(o.ownersOf("docs/x.md").owners()).isEqualTo("@docs");
        assertThat(o.ownersOf("docs/sub/x.md")).isNull();
        assertThat(o.ownersOf("src/build/out.txt").owners()).isEqualTo("@build");
        assertThat(o.ownersOf("a/logs/today.txt").owners()).isEqualTo("@logs");
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
            IdentityRecord stored = inv.show(WF + "terraform-plan.yml", null).orElseThrow();
            IdentityRecord found = record(d, WF + "terraform-plan.yml");
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
