package dev.warden.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.input.Input;
import dev.warden.input.InputException;
import dev.warden.inventory.Credential;
import dev.warden.inventory.IdentityFilter;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.IdentityStatus;
import dev.warden.inventory.Nature;
import dev.warden.store.Dialect;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Imports end to end through the real connectors into real SQLite and PostgreSQL. */
class ImporterTest {
    private static final String DETAILS = "discovery/aws/authorization-details.json";
    private static final String REPORT = "discovery/aws/credential-report.csv";
    private static final String KEYS = "discovery/aws/list-access-keys.json";
    private static final String DEPLOYER = "arn:aws:iam::111122223333:user/automation/ci-deployer";

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2026-11-22T12:00:00Z"));
    private Warden warden;

    private Importer open(Dialect dialect) {
        warden = Warden.open(new StoreLocation(dir, TestStores.fresh(dialect, dir)), clock);
        return warden.importer();
    }

    @AfterEach
    void close() {
        if (warden != null) {
            warden.close();
        }
    }

    private ImportRun aws(Importer importer, String... resources) {
        return importer.run(
                "aws", java.util.Arrays.stream(resources).map(Fixture::input).toList(), ImportOptions.NONE, "test");
    }

    private IdentityRecord show(String externalId) {
        return warden.inventory().show(externalId, null).orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void reimporting_the_same_files_changes_nothing_and_says_so(Dialect dialect) {
        Importer importer = open(dialect);
        ImportRun first = aws(importer, DETAILS, REPORT, KEYS);
        assertThat(first.status()).isEqualTo(ImportRun.SUCCEEDED);
        assertThat(first.added()).isEqualTo(8);
        IdentityRecord before = show(DEPLOYER);

        clock.advance(Duration.ofHours(1));
        ImportRun second = aws(importer, DETAILS, REPORT, KEYS);
        assertThat(second.added()).isZero();
        assertThat(second.updated()).isZero();
        assertThat(second.unchanged()).isEqualTo(8);
        assertThat(second.removed()).isZero();
        IdentityRecord after = show(DEPLOYER);
        assertThat(after.identity().id()).isEqualTo(before.identity().id());
        assertThat(after.credentials())
                .extracting(Credential::id)
                .containsExactlyElementsOf(
                        before.credentials().stream().map(Credential::id).toList());
        assertThat(after.identity().lastSeen()).isAfter(before.identity().lastSeen());
        assertThat(importer.runs(10)).extracting(ImportRun::id).containsExactly(second.id(), first.id());
        assertThat(warden.audit().verify().intact()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void identities_missing_from_a_covered_source_are_marked_removed_and_come_back(Dialect dialect) throws Exception {
        Importer importer = open(dialect);
        aws(importer, DETAILS, REPORT, KEYS);
        String withoutOrders = Fixture.text(DETAILS)
                .replace("\"RoleName\": \"app-orders\"", "\"RoleName\": \"app-orders-v2\"")
                .replace("role/app-orders\"", "role/app-orders-v2\"");
        Path smaller = Files.writeString(dir.resolve("details.json"), withoutOrders);

        clock.advance(Duration.ofDays(1));
        ImportRun run = importer.run("aws", List.of(Input.path(smaller)), ImportOptions.NONE, "test");
        assertThat(run.removed()).isEqualTo(1);
        assertThat(run.added()).isEqualTo(1);
        IdentityRecord gone = show("arn:aws:iam::111122223333:role/app-orders");
        assertThat(gone.identity().status()).isEqualTo(IdentityStatus.REMOVED);
        assertThat(gone.identity().removedAt()).isEqualTo(clock.instant());
        assertThat(gone.entitlements()).as("kept as evidence").isNotEmpty();
        assertThat(show("arn:aws:iam::111122223333:root").identity().status())
                .as("the root user is not an authorization-details principal, the report still covers it")
                .isEqualTo(IdentityStatus.ACTIVE);

        clock.advance(Duration.ofDays(1));
        ImportRun back = aws(importer, DETAILS);
        assertThat(show("arn:aws:iam::111122223333:role/app-orders").identity().status())
                .isEqualTo(IdentityStatus.ACTIVE);
        assertThat(show("arn:aws:iam::111122223333:role/app-orders").identity().removedAt())
                .isNull();
        assertThat(back.removed()).isEqualTo(1); // app-orders-v2 is gone now
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_credential_report_imported_alone_updates_keys_and_keeps_policies_and_tags(Dialect dialect) throws Exception {
        Importer importer = open(dialect);
        aws(importer, DETAILS, KEYS, REPORT);
        IdentityRecord full = show(DEPLOYER);

        clock.advance(Duration.ofDays(1));
        String report = Fixture.text(REPORT)
                .replace("2026-11-21T22:10:00+00:00,eu-west-1", "2026-11-22T11:00:00+00:00,eu-central-1");
        Path newer = Files.writeString(dir.resolve("report.csv"), report);
        importer.run("aws", List.of(Input.path(newer)), ImportOptions.NONE, "test");

        IdentityRecord merged = show(DEPLOYER);
        assertThat(merged.entitlements()).containsExactlyInAnyOrderElementsOf(full.entitlements());
        assertThat(merged.identity().businessOwner()).isEqualTo("platform");
        assertThat(merged.identity().tags()).containsEntry("team", "platform");
        assertThat(merged.credentials()).anySatisfy(c -> {
            assertThat(c.attributes()).containsEntry("lastUsedRegion", "eu-central-1");
            assertThat(c.lastUsedAt()).isEqualTo(Instant.parse("2026-11-22T11:00:00Z"));
        });
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_file_that_fails_to_parse_changes_nothing_but_is_recorded(Dialect dialect) throws Exception {
        Importer importer = open(dialect);
        aws(importer, DETAILS, REPORT);
        long identities = warden.inventory().count();
        long audit = warden.audit().verify().checked();
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"UserDetailList\": [ {\"UserName\": ");

        assertThatThrownBy(() ->
                        importer.run("aws", List.of(Fixture.input(KEYS), Input.path(bad)), ImportOptions.NONE, "test"))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(bad.toString());
        assertThat(warden.inventory().count()).isEqualTo(identities);
        assertThat(show(DEPLOYER).credentials())
                .allSatisfy(c -> assertThat(c.externalId()).isNull());
        ImportRun failed = importer.runs(1).get(0);
        assertThat(failed.status()).isEqualTo(ImportRun.FAILED);
        assertThat(failed.error()).contains("bad.json");
        assertThat(warden.audit().verify().checked()).isEqualTo(audit + 1);
        assertThatThrownBy(() -> importer.run("nosuch", List.of(Fixture.input(KEYS)), ImportOptions.NONE, "test"))
                .hasMessageContaining("unknown source 'nosuch'");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_persons_classification_outlives_reimports_and_humans_stay_out_of_default_listings(Dialect dialect) {
        Importer importer = open(dialect);
        aws(importer, DETAILS, REPORT, KEYS);
        IdentityFilter machines = IdentityFilter.ALL.withNature(Nature.MACHINE);
        assertThat(warden.inventory().list(machines, null, 100).items())
                .extracting(i -> i.name())
                .doesNotContain("alice.smith", "root")
                .contains("ci-deployer");

        warden.inventory().classify(DEPLOYER, Nature.HUMAN, "shared by the release managers", "test");
        clock.advance(Duration.ofDays(1));
        aws(importer, DETAILS, REPORT, KEYS);
        assertThat(show(DEPLOYER).identity().nature()).isEqualTo(Nature.HUMAN);
        assertThat(show(DEPLOYER).identity().natureReason()).contains("shared by the release managers");

        warden.inventory().classify(DEPLOYER, null, null, "test");
        aws(importer, DETAILS, REPORT, KEYS);
        assertThat(show(DEPLOYER).identity().nature()).isEqualTo(Nature.MACHINE);
        assertThatThrownBy(() -> warden.inventory().classify(DEPLOYER, Nature.HUMAN, " ", "test"))
                .hasMessageContaining("reason");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_file_with_one_bad_record_imports_the_rest_and_the_run_keeps_the_skip(Dialect dialect) {
        Importer importer = open(dialect);
        ImportRun run = aws(importer, "discovery/aws-variants/one-bad-record.json");
        assertThat(run.added()).isEqualTo(2);
        assertThat(run.skipped()).isEqualTo(1);
        ImportRun stored = importer.run(run.id()).orElseThrow();
        assertThat(stored.skipped()).isEqualTo(1);
        assertThat(stored.skips()).singleElement().satisfies(s -> {
            assertThat(s.file()).endsWith("one-bad-record.json");
            assertThat(s.pointer()).isEqualTo("/UserDetailList/1");
            assertThat(s.reason()).contains("not an IAM ARN");
        });
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void strict_refuses_a_file_with_a_bad_record_and_leaves_the_store_unchanged(Dialect dialect) {
        Importer importer = open(dialect);
        aws(importer, DETAILS);
        long identities = warden.inventory().count();
        assertThatThrownBy(() -> importer.run(
                        "aws",
                        List.of(Fixture.input("discovery/aws-variants/one-bad-record.json")),
                        new ImportOptions(null, null, null, true),
                        "test"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("/UserDetailList/1");
        assertThat(warden.inventory().count()).isEqualTo(identities);
        ImportRun failed = importer.runs(1).get(0);
        assertThat(failed.status()).isEqualTo(ImportRun.FAILED);
        assertThat(failed.options()).containsEntry("strict", "true");
    }
}
