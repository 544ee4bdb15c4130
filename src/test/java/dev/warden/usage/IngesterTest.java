package dev.warden.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.discovery.Fixture;
import dev.warden.input.Input;
import dev.warden.inventory.Identity;
import dev.warden.store.Dialect;
import dev.warden.testing.Fixtures;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Ingestion through the real parsers into real SQLite and PostgreSQL. */
class IngesterTest {
    private static final String ACCOUNT = "arn:aws:iam::111122223333:";
    private static final String CI_DEPLOYER = ACCOUNT + "user/automation/ci-deployer";
    private static final Path AWS_LOGS = Fixture.path("usage/cloudtrail/AWSLogs");

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Fixtures.T0);
    private Warden warden;
    private Ingester ingester;

    private void start(Dialect dialect) {
        warden = Warden.open(new StoreLocation(dir, TestStores.fresh(dialect, dir)), clock);
        ingester = new Ingester(warden.db(), UsageParsers.builtIn(clock), warden.audit(), clock, Duration.ofDays(30));
    }

    @AfterEach
    void stop() {
        if (warden != null) {
            warden.close();
        }
    }

    private static Input fixture(String name) {
        return Fixture.input("usage/" + name);
    }

    private long rows(String table) {
        return warden.db()
                .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table)
                        .mapTo(Long.class)
                        .one());
    }

    private UsageSummary summary(String sourceType, String scope, String principal) {
        return ingester.store()
                .summary(sourceType, scope, principal, Fixtures.T0)
                .orElseThrow();
    }

    private static Map<String, Long> counts(List<UsageSummary.Counted> counted) {
        return counted.stream()
                .collect(java.util.stream.Collectors.toMap(UsageSummary.Counted::value, UsageSummary.Counted::count));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aggregates_keep_first_and_last_use_sources_and_actions_with_counts(Dialect dialect) {
        start(dialect);
        IngestRun run =
                ingester.run("cloudtrail", List.of(fixture("cloudtrail/api-calls.json"), Input.path(AWS_LOGS)), "test");
        assertThat(run.status()).isEqualTo(IngestRun.SUCCEEDED);
        assertThat(run.files())
                .as("api-calls.json and the four files under AWSLogs/")
                .isEqualTo(5);
        assertThat(run.events()).isEqualTo(15);
        assertThat(run.skipped()).isZero();

        UsageSummary ci = summary("aws", "111122223333", CI_DEPLOYER);
        assertThat(ci.firstUsed()).isEqualTo(Instant.parse("2026-05-30T09:10:02Z"));
        assertThat(ci.lastUsed()).isEqualTo(Instant.parse("2026-05-31T17:40:03Z"));
        assertThat(ci.events()).isEqualTo(7);
        assertThat(ci.errors()).isEqualTo(2);
        assertThat(counts(ci.actions()))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "ecr:GetAuthorizationToken", 2L,
                        "ecs:UpdateService", 1L,
                        "s3:GetObject", 1L,
                        "s3:PutObject", 1L,
                        "iam:GetUser", 1L,
                        "iam:ListAttachedUserPolicies", 1L));
        assertThat(ci.actions().get(0).value()).as("most used first").isEqualTo("ecr:GetAuthorizationToken");
        assertThat(counts(ci.sourceIps()))
                .containsExactlyInAnyOrderEntriesOf(Map.of("203.0.113.10", 6L, "198.51.100.77", 1L));
        assertThat(ci.sourceIps().get(1).last()).isEqualTo(Instant.parse("2026-05-31T17:40:03Z"));
        assertThat(counts(ci.credentials())).containsExactlyEntriesOf(Map.of("AKIAIOSFODNN7EXAMPLE", 7L));
        assertThat(ci.userAgents()).hasSize(2);

        UsageSummary orders = summary("aws", "111122223333", ACCOUNT + "role/app-orders");
        assertThat(orders.events()).isEqualTo(3);
        assertThat(counts(orders.credentials())).containsExactlyEntriesOf(Map.of("ASIAIOSFODNN7EXAMPLE", 3L));
        assertThat(rows("usage_events"))
                .as("raw events within retention are kept")
                .isEqualTo(15);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void usage_of_an_identity_not_yet_imported_is_kept_and_shows_up_once_it_exists(Dialect dialect) {
        start(dialect);
        String legacy = ACCOUNT + "user/legacy-reporting";
        IngestRun first = ingester.run("cloudtrail", List.of(fixture("cloudtrail/console-signin.json")), "test");
        assertThat(first.unmatched()).as("nothing is in the inventory yet").isEqualTo(4);

        warden.inventory()
                .load(List.of(Fixtures.awsUser("legacy-reporting", "team-data", "prod")), "test", "load", Map.of());
        Identity id = warden.inventory().show(legacy, null).orElseThrow().identity();
        UsageSummary s = summary(id.source().type(), id.source().scope(), id.externalId());
        assertThat(s.events()).isEqualTo(2);
        assertThat(counts(s.eventTypes())).containsExactlyEntriesOf(Map.of(UsageEvent.CONSOLE_LOGIN, 2L));
        assertThat(s.errors()).isEqualTo(1);

        IngestRun second = ingester.run("cloudtrail", List.of(fixture("cloudtrail/federation.json")), "test");
        assertThat(second.events())
                .as("each web identity and SAML call counts for its subject and for the role it assumed")
                .isEqualTo(6);
        assertThat(second.unmatched())
                .as("the federated user's issuer, legacy-reporting, is now known")
                .isEqualTo(5);
        assertThat(summary("aws", "111122223333", legacy).events()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_refused_file_leaves_the_store_as_it_was(Dialect dialect) throws IOException {
        start(dialect);
        ingester.run("cloudtrail", List.of(fixture("cloudtrail/console-signin.json")), "test");
        long daily = rows("usage_daily");
        long raw = rows("usage_events");
        UsageSummary before = summary("aws", "111122223333", ACCOUNT + "user/legacy-reporting");

        byte[] all = Files.readAllBytes(Fixture.path("usage/cloudtrail/console-signin.json"));
        Path cut = dir.resolve("cut.json");
        Files.write(cut, Arrays.copyOf(all, all.length * 9 / 10));
        IngestRun run = ingester.run("cloudtrail", List.of(Input.path(cut)), "test");

        assertThat(run.status()).isEqualTo(IngestRun.FAILED);
        assertThat(run.events()).isZero();
        assertThat(run.problems()).singleElement().asString().startsWith(cut + ": byte ");
        assertThat(rows("usage_daily")).isEqualTo(daily);
        assertThat(rows("usage_events")).isEqualTo(raw);
        assertThat(summary("aws", "111122223333", ACCOUNT + "user/legacy-reporting"))
                .isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_refused_file_among_good_ones_makes_a_partial_run_and_the_good_ones_apply(Dialect dialect)
            throws IOException {
        start(dialect);
        Path corrupt = dir.resolve("corrupt.json.gz");
        byte[] gz = Files.readAllBytes(
                AWS_LOGS.resolve(
                        "111122223333/CloudTrail/eu-west-1/2026/05/30/111122223333_CloudTrail_eu-west-1_20260530T0915Z_k3Xy9Qw2Rt7UvB1n.json.gz"));
        Files.write(corrupt, Arrays.copyOf(gz, gz.length - 20));
        IngestRun run =
                ingester.run("cloudtrail", List.of(Input.path(corrupt), fixture("cloudtrail/api-calls.json")), "test");
        assertThat(run.status()).isEqualTo(IngestRun.PARTIAL);
        assertThat(run.events()).isEqualTo(10);
        assertThat(run.problems()).singleElement().asString().startsWith(corrupt + ": corrupt gzip");
        assertThat(summary("aws", "111122223333", CI_DEPLOYER).events()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void the_ingest_run_records_skipped_records_with_file_and_position(Dialect dialect) {
        start(dialect);
        Input bad = fixture("cloudtrail/malformed-records.json");
        IngestRun run = ingester.run("cloudtrail", List.of(bad), "test");
        assertThat(run.status())
                .as("the file was read; its records were not usable")
                .isEqualTo(IngestRun.SUCCEEDED);
        assertThat(run.events()).isZero();
        assertThat(run.skipped()).isEqualTo(11);
        IngestRun stored = ingester.runs(1).get(0);
        assertThat(stored.id()).isEqualTo(run.id());
        assertThat(stored.skipped()).isEqualTo(11);
        assertThat(stored.problems())
                .hasSize(11)
                .contains(bad.name() + " Records[0]: missing eventTime")
                .contains(bad.name() + " Records[5]: not a JSON object");
        assertThat(rows("usage_daily")).isZero();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_kubernetes_audit_log_is_usage_of_service_accounts_in_the_named_cluster(Dialect dialect) {
        start(dialect);
        warden.inventory()
                .load(
                        List.of(Fixtures.serviceAccount("prod-eu-1", "shop", "orders-api", "team-shop")),
                        "test",
                        "load",
                        Map.of());
        IngestRun run = ingester.run(
                "k8s-audit", List.of(fixture("k8s-audit/audit.log")), new UsageOptions("prod-eu-1"), "test");
        assertThat(run.status()).isEqualTo(IngestRun.SUCCEEDED);
        assertThat(run.events()).isEqualTo(8);
        assertThat(run.unmatched()).as("all but orders-api's two requests").isEqualTo(6);
        UsageSummary orders = summary("kubernetes", "prod-eu-1", "system:serviceaccount:shop:orders-api");
        assertThat(orders.events()).isEqualTo(2);
        assertThat(orders.errors()).isEqualTo(1);
        assertThat(counts(orders.actions()))
                .containsExactlyInAnyOrderEntriesOf(Map.of("get pods", 1L, "get secrets", 1L));
        assertThat(ingester.store()
                        .summary("kubernetes", "other-cluster", "system:serviceaccount:shop:orders-api", Fixtures.T0))
                .isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_kubernetes_audit_log_without_a_cluster_is_a_usage_error_and_nothing_is_written(Dialect dialect) {
        start(dialect);
        assertThatThrownBy(() -> ingester.run("k8s-audit", List.of(fixture("k8s-audit/audit.log")), "test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--cluster");
        assertThat(rows("usage_daily")).isZero();
        assertThat(rows("usage_events")).isZero();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void retention_of_zero_days_keeps_the_aggregates_and_no_raw_events(Dialect dialect) {
        start(dialect);
        ingester.run("cloudtrail", List.of(fixture("cloudtrail/console-signin.json")), "test");
        assertThat(rows("usage_events")).as("kept under the 30-day default").isPositive();
        Ingester aggregatesOnly = new Ingester(
                warden.db(), UsageParsers.builtIn(clock), warden.audit(), clock, new RawRetention(0).duration());

        IngestRun run = aggregatesOnly.run(
                "cloudtrail", List.of(fixture("cloudtrail/api-calls.json"), Input.path(AWS_LOGS)), "test");

        assertThat(run.status()).isEqualTo(IngestRun.SUCCEEDED);
        assertThat(run.events()).isEqualTo(15);
        assertThat(rows("usage_events"))
                .as("none written, and those of earlier ingestions pruned")
                .isZero();
        UsageSummary ci = summary("aws", "111122223333", CI_DEPLOYER);
        assertThat(ci.events()).isEqualTo(7);
        assertThat(counts(ci.credentials())).containsExactlyEntriesOf(Map.of("AKIAIOSFODNN7EXAMPLE", 7L));
        assertThat(summary("aws", "111122223333", ACCOUNT + "user/legacy-reporting")
                        .events())
                .as("aggregates of earlier ingestions stay")
                .isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void raw_events_past_retention_are_pruned_and_aggregates_stay(Dialect dialect) {
        start(dialect);
        clock.advance(Duration.ofDays(40));
        ingester.run("cloudtrail", List.of(fixture("cloudtrail/api-calls.json")), "test");
        assertThat(rows("usage_events")).isZero();
        assertThat(ingester.store()
                        .summary("aws", "111122223333", CI_DEPLOYER, clock.instant())
                        .orElseThrow()
                        .events())
                .isEqualTo(2);
    }

    private static String record(int i) {
        return "{\"eventTime\":\"2026-05-31T10:" + String.format("%02d:%02d", i / 60 % 60, i % 60) + "Z\","
                + "\"eventSource\":\"sqs.amazonaws.com\",\"eventName\":\"SendMessage\",\"sourceIPAddress\":\"10.0.0."
                + i % 200 + "\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"" + ACCOUNT + "user/worker-" + i % 7
                + "\",\"accountId\":\"111122223333\",\"accessKeyId\":\"AKIAIOSFODNN7EXAMPLE\"}}";
    }

    private static String log(int from, int count) {
        StringBuilder b = new StringBuilder("{\"Records\":[");
        for (int i = from; i < from + count; i++) {
            b.append(i == from ? "" : ",").append(record(i));
        }
        return b.append("]}").toString();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_file_refused_after_its_first_events_were_written_leaves_nothing_and_its_neighbours_apply(Dialect dialect)
            throws IOException {
        start(dialect);
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("a.json"), log(0, 10));
        String big = log(10, 12_000);
        Files.writeString(logs.resolve("b.json"), big.substring(0, big.length() - 500));
        Files.writeString(logs.resolve("c.json"), log(20_000, 10));
        IngestRun run = ingester.run("cloudtrail", List.of(Input.path(logs)), "test");
        assertThat(run.status()).isEqualTo(IngestRun.PARTIAL);
        assertThat(run.events()).isEqualTo(20);
        assertThat(run.problems()).singleElement().asString().startsWith(logs.resolve("b.json") + ": byte ");
        assertThat(rows("usage_events"))
                .as("b.json's first batches were written, then rolled back")
                .isEqualTo(20);
        long counted = warden.db()
                .withHandle(h -> h.createQuery("SELECT SUM(events) FROM usage_daily")
                        .mapTo(Long.class)
                        .one());
        assertThat(counted).isEqualTo(20);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void more_files_than_one_commit_takes_all_apply(Dialect dialect) throws IOException {
        start(dialect);
        Path logs = Files.createDirectories(dir.resolve("many"));
        int files = FileGroup.MAX_FILES * 2 + 5;
        for (int i = 0; i < files; i++) {
            Files.writeString(logs.resolve(String.format("%03d.json", i)), log(i * 3, 3));
        }
        IngestRun run = ingester.run("cloudtrail", List.of(Input.path(logs)), "test");
        assertThat(run.status()).isEqualTo(IngestRun.SUCCEEDED);
        assertThat(run.files()).isEqualTo(files);
        assertThat(run.events()).isEqualTo(files * 3L);
        assertThat(rows("usage_events")).isEqualTo(files * 3L);
        long workers = 0;
        for (int w = 0; w < 7; w++) {
            workers +=
                    summary("aws", "111122223333", ACCOUNT + "user/worker-" + w).events();
        }
        assertThat(workers).isEqualTo(files * 3L);
    }
}
