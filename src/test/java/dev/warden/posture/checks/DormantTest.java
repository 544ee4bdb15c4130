package dev.warden.posture.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.inventory.IdentityStatus;
import dev.warden.posture.Build;
import dev.warden.posture.Check;
import dev.warden.posture.CheckContract;
import dev.warden.posture.Finding;
import dev.warden.posture.PostureHarness;
import dev.warden.posture.PosturePolicy;
import dev.warden.posture.Severity;
import dev.warden.usage.UsageEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class DormantTest extends CheckContract {
    private static final Build IDLE_SA = Build.serviceAccount("prod-1", "batch", "idle");
    private static final Build BUSY_SA = Build.serviceAccount("prod-1", "batch", "busy");

    @Override
    protected Check check() {
        return new Dormant();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(
                Sample.of(Build.awsRole("idle")
                        .age(400)
                        .attr("lastUsedAt", Days.ago(120).toString())),
                Sample.of(Build.awsRole("never").age(60)),
                Sample.of(Build.awsUser("old-key").age(500).accessKey("AKIAOLDKEY0000000001", 500, 200)),
                Sample.of(IDLE_SA.age(300), IDLE_SA.event(100, "get pods", "10.0.0.1", "app/1.0", UsageEvent.API)));
    }

    @Override
    protected List<Sample> silent() {
        Build other =
                Build.serviceAccount("other-cluster", "batch", "unobserved").age(400);
        return List.of(
                Sample.of(Build.awsRole("recent")
                        .age(400)
                        .attr("lastUsedAt", Days.ago(10).toString())),
                Sample.of(Build.awsRole("young").age(20)),
                Sample.of(Build.certificate("api.example.com", "/etc/ssl").age(400)),
                Sample.of(Build.awsUser("disabled")
                        .age(500)
                        .status(IdentityStatus.DISABLED)
                        .accessKey("AKIADISABLED00000001", 500, 300)),
                Sample.of(BUSY_SA.age(300), BUSY_SA.event(5, "get pods", "10.0.0.2", "app/1.0", UsageEvent.API)),
                Sample.of(other));
    }

    @Test
    void says_when_it_was_last_used_and_by_which_signal() {
        Finding f = only(Sample.of(
                Build.awsRole("idle").age(400).attr("lastUsedAt", Days.ago(120).toString())));
        assertThat(f.summary()).isEqualTo("not used since 2026-07-25 (policy: 90 days)");
        assertThat(f.evidence())
                .containsEntry("lastUseFrom", "source record (lastUsedAt)")
                .containsEntry("lastUsedAt", Days.ago(120).toString())
                .containsEntry("dormantDays", 90L);
        assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void a_live_static_key_makes_it_high_and_the_latest_signal_wins() {
        Finding f = only(Sample.of(Build.awsUser("u")
                .age(500)
                .accessKey("AKIAKEYONE0000000001", 500, 300)
                .accessKey("AKIAKEYTWO0000000002", 400, 150)));
        assertThat(f.severity()).isEqualTo(Severity.HIGH);
        assertThat(f.evidence().get("lastUseFrom").toString()).contains("AKIAKEYTWO0000000002");
        assertThat(f.evidence()).containsEntry("lastUsedAt", Days.ago(150).toString());
    }

    @Test
    void never_used_counts_from_creation_after_the_grace_period() {
        Finding f = only(Sample.of(Build.awsRole("n").age(45)));
        assertThat(f.summary()).isEqualTo("never used since 2026-10-08 (grace: 30 days)");
        assertThat(f.evidence()).containsEntry("lastUsedAt", "never").containsEntry("neverUsedGraceDays", 30L);
    }

    @Test
    void an_identity_in_a_scope_with_usage_logs_but_none_of_its_own_was_never_used() {
        Build logged = Build.serviceAccount("prod-1", "ns", "logged");
        Build silentSa = Build.serviceAccount("prod-1", "ns", "quiet").age(60);
        try (var h = harness(List.of(
                Sample.of(logged, logged.event(1, "get pods", "10.0.0.1", "app", UsageEvent.API)),
                Sample.of(silentSa)))) {
            assertThat(findings(h, silentSa.externalId()))
                    .singleElement()
                    .satisfies(f -> assertThat(f.evidence()).containsEntry("usageLogsIngested", true));
        }
    }

    @Test
    void as_of_judges_dormancy_then_and_never_claims_it_on_later_facts() {
        Build role =
                Build.awsRole("r").age(400).attr("lastUsedAt", Days.ago(120).toString());
        Build later = Build.awsRole("l").age(400).attr("lastUsedAt", Days.ago(5).toString());
        try (var h = harness(List.of(Sample.of(role), Sample.of(later)))) {
            assertThat(PostureHarness.of(h.viewAsOf(Days.ago(60)), check().id(), h.id(role.externalId())))
                    .isEmpty();
            assertThat(PostureHarness.of(h.viewAsOf(Days.ago(60)), check().id(), h.id(later.externalId())))
                    .isEmpty();
            assertThat(PostureHarness.of(h.viewAsOf(Days.ago(0)), check().id(), h.id(role.externalId())))
                    .hasSize(1);
        }
    }

    @Test
    void thresholds_come_from_the_policy() {
        try (var h = harness(List.of(Sample.of(
                Build.awsRole("idle").age(400).attr("lastUsedAt", Days.ago(120).toString()))))) {
            h.policy(PosturePolicy.parse("nhi1: {dormantDays: 200}", "p.yaml", null));
            assertThat(findings(h, "arn:aws:iam::111122223333:role/idle")).isEmpty();
        }
    }

    @Test
    void imported_aws_fixture_roles_and_users_are_judged_on_their_recorded_last_use() {
        try (var h = harness(List.of())) {
            h.importAws("authorization-details.json", "credential-report.csv", "list-access-keys.json");
            // legacy-reporting: key last used 2023-01-10; datadog-integration: role never used since 2021
            assertThat(findings(h, "arn:aws:iam::111122223333:user/legacy-reporting"))
                    .hasSize(1);
            assertThat(findings(h, "arn:aws:iam::111122223333:role/datadog-integration"))
                    .singleElement()
                    .satisfies(f -> assertThat(f.summary()).startsWith("never used"));
            // app-orders last used 2026-11-20, ci-deployer's key 2026-11-21
            assertThat(findings(h, "arn:aws:iam::111122223333:role/app-orders")).isEmpty();
            assertThat(findings(h, "arn:aws:iam::111122223333:user/automation/ci-deployer"))
                    .isEmpty();
        }
    }
}
