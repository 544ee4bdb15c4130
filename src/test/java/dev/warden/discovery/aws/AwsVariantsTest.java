package dev.warden.discovery.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.discovery.Discovery;
import dev.warden.discovery.Fixture;
import dev.warden.discovery.ImportOptions;
import dev.warden.input.Input;
import dev.warden.input.InputException;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.Nature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every real-world AWS export variant of research §1 (sources in variants/README.md), with its counts. */
class AwsVariantsTest {
    private static final String V = "discovery/aws-variants/";
    private final AwsConnector aws =
            new AwsConnector(Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC));

    static Stream<Arguments> variants() {
        return Stream.of(
                // variant, inputs, identities, humans, skipped, covered accounts
                Arguments.of(
                        "boto3 str() dates, AWS-managed/service-linked/SSO ARNs",
                        List.of("boto3-authorization-details.json"),
                        4,
                        1,
                        0,
                        1),
                Arguments.of("every timestamp form", List.of("timestamps.json"), 14, 0, 0, 1),
                Arguments.of("one bad record among good ones", List.of("one-bad-record.json"), 2, 0, 1, 1),
                Arguments.of("pages concatenated in one file", List.of("pages-concatenated.json"), 4, 0, 0, 1),
                Arguments.of("pages in a top-level array (jq -s)", List.of("pages-array.json"), 4, 0, 0, 1),
                Arguments.of("pages as separate files", List.of("pages"), 4, 0, 0, 1),
                Arguments.of("first page only (IsTruncated)", List.of("pages/authz-1.json"), 2, 0, 0, 0),
                Arguments.of("--max-items (NextToken)", List.of("max-items.json"), 2, 0, 0, 0),
                Arguments.of(
                        "credential report, raw CSV Content",
                        List.of("credential-report-raw-content.json"),
                        2,
                        1,
                        0,
                        1),
                Arguments.of(
                        "credential report, boto3 b'...' Content",
                        List.of("credential-report-boto3-bytes.json"),
                        2,
                        1,
                        0,
                        1),
                Arguments.of(
                        "credential report, 76-column base64",
                        List.of("credential-report-wrapped-base64.json"),
                        2,
                        1,
                        0,
                        1),
                Arguments.of(
                        "credential report, 16 columns, CRLF, TRUE",
                        List.of("credential-report-16-columns.csv"),
                        2,
                        1,
                        0,
                        1),
                Arguments.of("Organizations: one export set per account", List.of("org"), 6, 2, 0, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void each_real_variant_imports_with_its_counts(
            String variant, List<String> files, int identities, int humans, int skipped, int accounts) {
        Discovery d = aws.discover(inputs(files), ImportOptions.NONE);
        assertThat(d.records()).as(variant).hasSize(identities);
        assertThat(d.records().stream().filter(r -> r.identity().nature() == Nature.HUMAN))
                .as(variant)
                .hasSize(humans);
        assertThat(d.skipped()).as(variant).isEqualTo(skipped);
        assertThat(d.coverage().stream().map(c -> c.scope()).distinct())
                .as(variant)
                .hasSize(accounts);
    }

    private static List<Input> inputs(List<String> files) {
        return files.stream().map(f -> Input.path(Fixture.path(V + f))).toList();
    }

    @Test
    void every_timestamp_form_reads_as_the_same_instant() {
        Discovery d = aws.discover(inputs(List.of("timestamps.json")), ImportOptions.NONE);
        assertThat(d.records())
                .extracting(r -> r.identity().createdAt().getEpochSecond())
                .containsOnly(Instant.parse("2023-03-09T10:41:45Z").getEpochSecond());
        for (String bad :
                List.of("March 09, 2023, 11:41:45 (UTC+01:00)", "2023-13-09T10:41:45Z", "1970-01-01T00:00:00Z")) {
            assertThatThrownBy(() -> AwsTimestamps.parse(bad, "CreateDate"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("CreateDate");
        }
    }

    @Test
    void aws_managed_service_linked_and_sso_roles_are_told_apart() {
        List<IdentityRecord> records = aws.discover(
                        inputs(List.of("boto3-authorization-details.json")), ImportOptions.NONE)
                .records();
        assertThat(nature(records, "AWSReservedSSO_AdministratorAccess_1bd3c8f2a0e4b5d6"))
                .isEqualTo(Nature.HUMAN);
        assertThat(nature(records, "AWSServiceRoleForAccessAnalyzer")).isEqualTo(Nature.MACHINE);
        assertThat(reason(records, "AWSServiceRoleForAccessAnalyzer")).contains("service-linked");
        assertThat(nature(records, "MyRole")).isEqualTo(Nature.MACHINE);
    }

    @Test
    void a_bad_record_is_skipped_with_file_pointer_and_reason_and_strict_refuses_the_file() {
        Discovery d = aws.discover(inputs(List.of("one-bad-record.json")), ImportOptions.NONE);
        assertThat(d.skips()).singleElement().satisfies(s -> {
            assertThat(s.file()).endsWith("one-bad-record.json");
            assertThat(s.pointer()).isEqualTo("/UserDetailList/1");
            assertThat(s.reason()).contains("not an IAM ARN");
        });
        assertThatThrownBy(() ->
                        aws.discover(inputs(List.of("one-bad-record.json")), new ImportOptions(null, null, null, true)))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("/UserDetailList/1")
                .hasMessageContaining("--strict");
    }

    @Test
    void a_machine_user_with_a_console_password_and_browser_use_stays_a_machine() {
        // The case of issue 13: keys in use, a console password, sign-ins from a browser.
        AwsEstate.ReportRow row = new AwsEstate.ReportRow();
        row.passwordEnabled = true;
        row.passwordLastUsed = Instant.parse("2026-11-20T09:00:00Z");
        row.mfaActive = false;
        row.keys[0].active = true;
        row.keys[0].lastUsed = Instant.parse("2026-11-21T23:00:00Z");
        var verdict = UserClassifier.classify("ci-deployer", "/", java.util.Map.of(), row, true);
        assertThat(verdict.nature()).isEqualTo(Nature.MACHINE);
        assertThat(verdict.reason()).contains("console password").contains("NHI10");
        // A person with an unused key and a person's name stays a person.
        AwsEstate.ReportRow person = new AwsEstate.ReportRow();
        person.passwordEnabled = true;
        person.mfaActive = true;
        person.passwordLastUsed = Instant.parse("2026-11-21T09:00:00Z");
        person.keys[0].active = true;
        assertThat(UserClassifier.classify("alice.smith", "/", java.util.Map.of(), person, true)
                        .nature())
                .isEqualTo(Nature.HUMAN);
    }

    private static Nature nature(List<IdentityRecord> records, String name) {
        return find(records, name).identity().nature();
    }

    private static String reason(List<IdentityRecord> records, String name) {
        return find(records, name).identity().natureReason();
    }

    private static IdentityRecord find(List<IdentityRecord> records, String name) {
        return records.stream()
                .filter(r -> r.identity().name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + Arrays.toString(records.toArray())));
    }
}
