package dev.warden.discovery.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.discovery.Connector;
import dev.warden.discovery.ConnectorContract;
import dev.warden.discovery.Coverage;
import dev.warden.discovery.Discovery;
import dev.warden.discovery.Fixture;
import dev.warden.discovery.ImportOptions;
import dev.warden.input.Input;
import dev.warden.input.InputException;
import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.inventory.Effect;
import dev.warden.inventory.Entitlement;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.IdentityRecord.Part;
import dev.warden.inventory.Nature;
import dev.warden.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AwsConnectorTest extends ConnectorContract {
    private static final String ACCOUNT = "arn:aws:iam::111122223333:";
    private final AwsConnector aws = new AwsConnector(new TestClock(Instant.parse("2026-11-22T12:00:00Z")));

    @TempDir
    Path dir;

    @Override
    protected Connector connector() {
        return aws;
    }

    @Override
    protected List<Input> sample() {
        return List.of(
                Fixture.input("discovery/aws/authorization-details.json"),
                Fixture.input("discovery/aws/credential-report.csv"),
                Fixture.input("discovery/aws/list-access-keys.json"));
    }

    private Discovery all() {
        return aws.discover(sample(), ImportOptions.NONE);
    }

    private static IdentityRecord record(Discovery d, String arn) {
        return d.records().stream()
                .filter(r -> r.identity().externalId().equals(arn))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void users_and_roles_become_identities_keyed_by_arn_in_their_account() {
        Discovery d = all();
        assertThat(d.records())
                .extracting(r -> r.identity().externalId())
                .containsExactlyInAnyOrder(
                        ACCOUNT + "user/automation/ci-deployer",
                        ACCOUNT + "user/alice.smith",
                        ACCOUNT + "user/legacy-reporting",
                        ACCOUNT + "root",
                        ACCOUNT + "role/app-orders",
                        ACCOUNT + "role/github-deploy",
                        ACCOUNT + "role/datadog-integration",
                        ACCOUNT
                                + "role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef");
        assertThat(d.records())
                .allSatisfy(r -> assertThat(r.identity().source().scope()).isEqualTo("111122223333"));
        assertThat(d.coverage())
                .containsExactlyInAnyOrder(
                        new Coverage("aws", "111122223333", IdentityKind.CLOUD_USER, ACCOUNT + "user/"),
                        new Coverage("aws", "111122223333", IdentityKind.CLOUD_ROLE, ACCOUNT + "role/"));
    }

    @Test
    void effective_entitlements_come_from_inline_managed_and_group_policies_with_their_origin() {
        IdentityRecord deployer = record(all(), ACCOUNT + "user/automation/ci-deployer");
        assertThat(deployer.entitlements())
                .contains(
                        new Entitlement(
                                Effect.ALLOW,
                                "s3:PutObject",
                                "arn:aws:s3:::artifacts/*",
                                "inline:deploy-artifacts",
                                null),
                        new Entitlement(
                                Effect.ALLOW, "*", "*", "managed:arn:aws:iam::aws:policy/AdministratorAccess", null),
                        new Entitlement(Effect.ALLOW, "logs:Get*", "*", "group:devops/inline:read-logs", null),
                        new Entitlement(
                                Effect.ALLOW,
                                "s3:GetObject",
                                "arn:aws:s3:::reports/*",
                                "group:devops/managed:arn:aws:iam::111122223333:policy/reporting-read",
                                null));
        assertThat(deployer.entitlements())
                .as("only the default policy version counts")
                .noneMatch(e -> e.action().equals("s3:*"));
        IdentityRecord orders = record(all(), ACCOUNT + "role/app-orders");
        assertThat(orders.entitlements()).anySatisfy(e -> {
            assertThat(e.effect()).isEqualTo(Effect.DENY);
            assertThat(e.action()).isEqualTo("NotAction:dynamodb:*");
            assertThat(e.condition()).contains("aws:RequestedRegion");
        });
        assertThat(record(all(), ACCOUNT + "role/datadog-integration").entitlements())
                .singleElement()
                .satisfies(e -> assertThat(e.action()).isEqualTo("policy:arn:aws:iam::aws:policy/ReadOnlyAccess"));
    }

    @Test
    void trust_policies_are_kept_with_principals_and_conditions() {
        Discovery d = all();
        assertThat(record(d, ACCOUNT + "role/app-orders").trusts())
                .singleElement()
                .satisfies(t -> {
                    assertThat(t.principalType()).isEqualTo("service");
                    assertThat(t.principal()).isEqualTo("ec2.amazonaws.com");
                });
        assertThat(record(d, ACCOUNT + "role/github-deploy").trusts())
                .singleElement()
                .satisfies(t -> {
                    assertThat(t.principalType()).isEqualTo("federated");
                    assertThat(t.principal()).endsWith("oidc-provider/token.actions.githubusercontent.com");
                    assertThat(t.action()).isEqualTo("sts:AssumeRoleWithWebIdentity");
                    assertThat(t.condition())
                            .contains("token.actions.githubusercontent.com:aud")
                            .doesNotContain(":sub");
                });
        assertThat(record(d, ACCOUNT + "role/datadog-integration").trusts())
                .singleElement()
                .satisfies(t -> {
                    assertThat(t.principal()).isEqualTo("arn:aws:iam::464622532012:root");
                    assertThat(t.condition()).contains("sts:ExternalId");
                });
        assertThat(record(d, ACCOUNT + "role/datadog-integration").identity().thirdPartyVendor())
                .isEqualTo("Datadog");
    }

    @Test
    void access_keys_join_the_report_and_list_access_keys_by_creation_time() {
        IdentityRecord deployer = record(all(), ACCOUNT + "user/automation/ci-deployer");
        assertThat(deployer.credentials())
                .extracting(Credential::externalId)
                .containsExactly("AKIAEXAMPLEKEY000001", "AKIAEXAMPLEKEY000002");
        Credential first = deployer.credentials().get(0);
        assertThat(first.lastUsedAt()).isEqualTo(Instant.parse("2026-11-21T22:10:00Z"));
        assertThat(first.attributes())
                .containsEntry("lastUsedRegion", "eu-west-1")
                .containsEntry("lastUsedService", "s3");
        assertThat(first.createdAt()).isEqualTo(Instant.parse("2021-03-04T10:15:00Z"));
        assertThat(deployer.credentials().get(1).lastUsedAt())
                .as("no_information")
                .isNull();
        assertThat(deployer.complete()).containsExactlyInAnyOrder(Part.values());

        IdentityRecord legacy = record(all(), ACCOUNT + "user/legacy-reporting");
        assertThat(legacy.credentials())
                .extracting(Credential::kind)
                .containsExactly(CredentialKind.ACCESS_KEY, CredentialKind.CERTIFICATE);
        assertThat(legacy.credentials().get(0).externalId())
                .as("no key id without list-access-keys")
                .isNull();
        assertThat(legacy.credentials().get(0).fingerprint())
                .isEqualTo("aws-credential-report:" + ACCOUNT + "user/legacy-reporting:access_key_1");
        assertThat(legacy.identity().attributes())
                .containsEntry("permissionsBoundary", "arn:aws:iam::111122223333:policy/boundary");
    }

    @Test
    void users_are_classified_human_or_machine_with_the_reason() {
        Discovery d = all();
        assertThat(record(d, ACCOUNT + "user/automation/ci-deployer").identity())
                .satisfies(i -> {
                    assertThat(i.nature()).isEqualTo(Nature.MACHINE);
                    assertThat(i.natureReason())
                            .contains("access keys without a console password")
                            .contains("path /automation/");
                });
        assertThat(record(d, ACCOUNT + "user/alice.smith").identity()).satisfies(i -> {
            assertThat(i.nature()).isEqualTo(Nature.HUMAN);
            assertThat(i.natureReason()).contains("console password").contains("MFA");
        });
        assertThat(record(d, ACCOUNT + "user/legacy-reporting").identity().natureReason())
                .isEqualTo("tag type=service");
        assertThat(record(d, ACCOUNT + "root").identity()).satisfies(i -> {
            assertThat(i.nature()).isEqualTo(Nature.HUMAN);
            assertThat(i.attributes()).containsEntry("root", "true");
        });
        assertThat(record(
                                d,
                                ACCOUNT
                                        + "role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef")
                        .identity()
                        .nature())
                .isEqualTo(Nature.HUMAN);
        assertThat(record(d, ACCOUNT + "role/app-orders").identity().nature()).isEqualTo(Nature.MACHINE);
    }

    @Test
    void tags_give_owners_environment_and_workload_with_provenance() {
        var deployer = record(all(), ACCOUNT + "user/automation/ci-deployer").identity();
        assertThat(deployer.businessOwner()).isEqualTo("platform");
        assertThat(deployer.technicalOwner()).isEqualTo("platform-oncall@example.com");
        assertThat(deployer.environment()).isEqualTo("prod");
        assertThat(deployer.ownershipProvenance()).contains("aws-tag:team").contains("aws-tag:technical-owner");
        var orders = record(all(), ACCOUNT + "role/app-orders").identity();
        assertThat(orders.businessOwner()).isEqualTo("team-orders");
        assertThat(orders.workload()).isEqualTo("orders");
        assertThat(orders.attributes())
                .containsEntry("lastUsedAt", "2026-11-20T09:30:00Z")
                .containsEntry("lastUsedRegion", "eu-west-1");
        var alice = aws.discover(sample(), new ImportOptions("staging", null, null)).records().stream()
                .filter(r -> r.identity().name().equals("alice.smith"))
                .findFirst()
                .orElseThrow()
                .identity();
        assertThat(alice.environment())
                .as("--environment fills what tags do not say")
                .isEqualTo("staging");
    }

    @Test
    void the_report_alone_gives_partial_records_that_do_not_claim_entitlements() {
        Discovery d = aws.discover(List.of(Fixture.input("discovery/aws/credential-report.json")), ImportOptions.NONE);
        IdentityRecord deployer = record(d, ACCOUNT + "user/automation/ci-deployer");
        assertThat(deployer.complete()).containsExactly(Part.CREDENTIALS);
        assertThat(deployer.credentials())
                .hasSize(2)
                .allSatisfy(c -> assertThat(c.status()).isEqualTo(CredentialStatus.ACTIVE));
        assertThat(d.coverage())
                .containsExactly(new Coverage("aws", "111122223333", IdentityKind.CLOUD_USER, ACCOUNT + "user/"));
    }

    @Test
    void list_access_keys_alone_is_noted_not_guessed() {
        Discovery d = aws.discover(List.of(Fixture.input("discovery/aws/list-access-keys.json")), ImportOptions.NONE);
        assertThat(d.records()).isEmpty();
        assertThat(d.notes()).singleElement().asString().contains("ci-deployer").contains("list-access-keys");
    }

    @Test
    void a_truncated_listing_claims_no_coverage() throws Exception {
        Path file = dir.resolve("page1.json");
        Files.writeString(
                file,
                Fixture.text("discovery/aws/authorization-details.json")
                        .replace("\"IsTruncated\": false", "\"IsTruncated\": true, \"Marker\": \"abc\""));
        Discovery d = aws.discover(List.of(Input.path(file)), ImportOptions.NONE);
        assertThat(d.coverage()).isEmpty();
        assertThat(d.notes()).anySatisfy(n -> assertThat(n).contains("IsTruncated"));
    }

    @Test
    void a_directory_is_read_whole_in_name_order() {
        Discovery fromDir = aws.discover(List.of(Input.path(Fixture.path("discovery/aws"))), ImportOptions.NONE);
        assertThat(fromDir.records()).hasSize(8);
    }

    private static final ImportOptions STRICT = new ImportOptions(null, null, null, true);

    private void assertRefused(String name, String content, String... fragments) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        var thrown = assertThatThrownBy(() -> aws.discover(List.of(Input.path(f)), STRICT))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(f.toString());
        for (String fragment : fragments) {
            thrown.hasMessageContaining(fragment);
        }
    }

    @Test
    void malformed_files_are_refused_with_file_and_line() throws Exception {
        String details = Fixture.text("discovery/aws/authorization-details.json");
        assertRefused("truncated.json", details.substring(0, details.length() / 2), "malformed JSON at line");
        assertRefused("array.json", "[1,2,3]", "expected a page object");
        assertRefused("other.json", "{\"Buckets\": []}", "none of UserDetailList");
        assertRefused("wrongtype.json", "{\"UserDetailList\": {\"a\": 1}}", "UserDetailList must be an array");
        assertRefused(
                "badarn.json",
                "{\"UserDetailList\": [{\"UserName\": \"x\", \"Arn\": \"not-an-arn\"}]}",
                "line 1",
                "not an IAM ARN");
        assertRefused(
                "baddate.json",
                "{\"RoleDetailList\": [\n{\"RoleName\": \"r\", \"Arn\": \"arn:aws:iam::111122223333:role/r\","
                        + " \"CreateDate\": \"1970-01-01T00:00:00Z\"}]}",
                "line 2",
                "not a plausible AWS date");
        assertRefused(
                "badpolicy.json",
                "{\"RoleDetailList\": [{\"RoleName\": \"r\", \"Arn\": \"arn:aws:iam::111122223333:role/r\","
                        + " \"AssumeRolePolicyDocument\": \"%7Bnot json\"}]}",
                "neither JSON nor URL-encoded JSON");
        assertRefused(
                "effect.json",
                "{\"RoleDetailList\": [{\"RoleName\": \"r\", \"Arn\": \"arn:aws:iam::111122223333:role/r\","
                        + " \"RolePolicyList\": [{\"PolicyName\": \"p\", \"PolicyDocument\": {\"Statement\": [{\"Effect\": \"Maybe\"}]}}]}]}",
                "Effect");
        String deep = "{\"UserDetailList\": [" + "[".repeat(1000) + "]".repeat(1000) + "]}";
        assertRefused("deep.json", deep, "");
    }

    @Test
    void credential_reports_with_missing_or_reordered_columns() throws Exception {
        String csv = Fixture.text("discovery/aws/credential-report.csv");
        String[] lines = csv.split("\n");
        Path missing = dir.resolve("missing.csv");
        Files.writeString(
                missing,
                lines[0].replace(",mfa_active", "") + "\n" + lines[2].replaceFirst(",false,true,2021", ",true,2021"));
        assertThat(aws.discover(List.of(Input.path(missing)), ImportOptions.NONE)
                        .notes())
                .anyMatch(n -> n.contains("no column(s) mfa_active"));
        assertRefused("noarn.csv", "user,user_creation_time\nx,N/A\n", "not an AWS CLI output");
        // Reordered: swap the first two columns in every line; the report still reads by header name.
        StringBuilder reordered = new StringBuilder();
        for (String line : lines) {
            String[] cells = line.split(",", -1);
            String t = cells[0];
            cells[0] = cells[1];
            cells[1] = t;
            reordered.append(String.join(",", cells)).append('\n');
        }
        Path f = dir.resolve("reordered.csv");
        Files.writeString(f, reordered);
        assertThat(aws.discover(List.of(Input.path(f)), ImportOptions.NONE).records())
                .hasSize(4);
        assertRefused(
                "badbool.csv",
                lines[0] + "\n" + lines[2].replace(",false,N/A,N/A,N/A,false,true,", ",maybe,N/A,N/A,N/A,false,true,"),
                "line 2",
                "password_enabled must be true, false or N/A");
        assertRefused("headeronly.csv", lines[0] + "\n", "no rows");
    }

    @Test
    void binary_garbage_is_not_mistaken_for_a_report() throws Exception {
        Path f = dir.resolve("blob.json");
        Files.write(f, new byte[] {0, 1, 2, 3, (byte) 0xff, 'u', 's'});
        assertThatThrownBy(() -> aws.discover(List.of(Input.path(f)), ImportOptions.NONE))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("not an AWS CLI output");
        assertThatThrownBy(() -> aws.discover(
                        List.of(Input.content("x.csv", "user,arn\n\u0000\u0001".getBytes(StandardCharsets.UTF_8))),
                        STRICT))
                .isInstanceOf(InputException.class);
    }
}
