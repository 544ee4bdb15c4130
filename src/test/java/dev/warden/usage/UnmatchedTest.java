package dev.warden.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.discovery.Fixture;
import dev.warden.store.Dialect;
import dev.warden.testing.Fixtures;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Principals the logs show in use that no import holds, on real SQLite and PostgreSQL. */
class UnmatchedTest {
    private static final String ACCOUNT = "arn:aws:iam::111122223333:";

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Fixtures.T0);
    private Warden warden;

    @AfterEach
    void stop() {
        if (warden != null) {
            warden.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void principals_in_the_logs_but_in_no_import_are_listed_until_imported(Dialect dialect) {
        warden = Warden.open(new StoreLocation(dir, TestStores.fresh(dialect, dir)), clock);
        Ingester ingester =
                new Ingester(warden.db(), UsageParsers.builtIn(clock), warden.audit(), clock, Duration.ofDays(30));
        ingester.run("cloudtrail", List.of(Fixture.input("usage/cloudtrail/federation.json")), "test");
        ingester.run("cloudtrail", List.of(Fixture.input("usage/cloudtrail/console-signin.json")), "test");

        List<Unmatched> before = ingester.store().unmatched(Fixtures.T0, 100);
        assertThat(before)
                .extracting(Unmatched::principal)
                .as("ARN principals only: a SAML subject id and a partner's principal id are not inventory ids")
                .contains(ACCOUNT + "user/legacy-reporting", ACCOUNT + "role/github-deploy")
                .doesNotContain("SampleUkh1i4+ExamplexL/jEvs=:SamlExample", "AROAEXAMPLEPARTNER001:etl-2026-05-31");
        Unmatched legacy = before.stream()
                .filter(u -> u.principal().equals(ACCOUNT + "user/legacy-reporting"))
                .findFirst()
                .orElseThrow();
        assertThat(legacy.sourceType()).isEqualTo("aws");
        assertThat(legacy.scope()).isEqualTo("111122223333");
        assertThat(legacy.events()).isEqualTo(3);
        assertThat(legacy.sampleActions()).contains("signin:ConsoleLogin");
        assertThat(legacy.firstSeen()).isBeforeOrEqualTo(legacy.lastSeen());
        assertThat(before.get(0).events())
                .as("most events first")
                .isGreaterThanOrEqualTo(before.get(before.size() - 1).events());

        warden.inventory()
                .load(List.of(Fixtures.awsUser("legacy-reporting", "team-data", "prod")), "test", "load", Map.of());
        assertThat(ingester.store().unmatched(Fixtures.T0, 100))
                .extracting(Unmatched::principal)
                .doesNotContain(ACCOUNT + "user/legacy-reporting")
                .hasSize(before.size() - 1);
        assertThat(ingester.store().unmatched(Instant.parse("2020-01-01T00:00:00Z"), 100))
                .as("nothing was seen by then")
                .isEmpty();
    }
}
