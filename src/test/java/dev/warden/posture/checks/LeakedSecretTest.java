package dev.warden.posture.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.posture.Build;
import dev.warden.posture.Check;
import dev.warden.posture.CheckContract;
import dev.warden.posture.Finding;
import dev.warden.posture.LeakSighting;
import dev.warden.posture.PostureHarness;
import dev.warden.posture.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * NHI2 is fed by a LeakSource. These tests fill the harness's list-backed source with sightings
 * shaped as the scanner's linked hits; ScanApiTest drives the real scanner's ledger end to end.
 */
class LeakedSecretTest extends CheckContract {
    private static final String LEAKY = "arn:aws:iam::111122223333:user/leaky";

    @Override
    protected Check check() {
        return new LeakedSecret();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(Sample.of(Build.awsUser("leaky").accessKey("AKIALEAKY00000000001", 10, 1)));
    }

    @Override
    protected List<Sample> silent() {
        return List.of(Sample.of(Build.awsUser("clean").accessKey("AKIACLEAN00000000001", 10, 1)));
    }

    @Override
    protected void afterLoad(PostureHarness h) {
        h.warden
                .inventory()
                .show(LEAKY, null)
                .ifPresent(r -> h.leaks.add(new LeakSighting(
                        r.identity().id(),
                        r.credentials().get(0).id(),
                        "a".repeat(64),
                        "aws-access-key",
                        "deploy/config.env:3",
                        Days.ago(2),
                        true)));
    }

    @Test
    void a_live_credential_or_a_secret_still_in_the_tree_is_critical_otherwise_high() {
        Credential inactive = new Credential(
                null,
                null,
                CredentialKind.ACCESS_KEY,
                "AKIAINACTIVE00000001",
                null,
                Days.ago(100),
                null,
                null,
                null,
                CredentialStatus.INACTIVE,
                Map.of());
        try (PostureHarness h =
                harness(List.of(Sample.of(Build.awsUser("rotated").credential(inactive))))) {
            var r = h.warden
                    .inventory()
                    .show("arn:aws:iam::111122223333:user/rotated", null)
                    .orElseThrow();
            h.leaks.add(new LeakSighting(
                    r.identity().id(),
                    r.credentials().get(0).id(),
                    "b".repeat(64),
                    "aws",
                    "old.txt:1",
                    Days.ago(30),
                    false));
            h.leaks.add(new LeakSighting(
                    r.identity().id(), null, "c".repeat(64), "generic", "README.md:9", Days.ago(30), true));
            List<Finding> f = findings(h, "arn:aws:iam::111122223333:user/rotated");
            assertThat(f).hasSize(2);
            assertThat(f.get(0).severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.get(0).evidence()).containsEntry("location", "README.md:9");
            assertThat(f.get(1).severity()).isEqualTo(Severity.HIGH);
            assertThat(f.get(1).credential().externalId()).isEqualTo("AKIAINACTIVE00000001");
        }
    }

    @Test
    void a_leak_found_after_the_as_of_instant_is_not_known_then() {
        try (PostureHarness h = harness(firing())) {
            String id = h.id(LEAKY);
            assertThat(PostureHarness.of(h.viewAsOf(Days.ago(1)), check().id(), id))
                    .hasSize(1);
            assertThat(PostureHarness.of(h.viewAsOf(Days.ago(3)), check().id(), id))
                    .isEmpty();
        }
    }

    @Test
    void a_leak_of_a_deleted_credential_resolves_unless_the_secret_is_still_in_the_tree() {
        try (PostureHarness h = harness(firing())) {
            var r = h.warden.inventory().show(LEAKY, null).orElseThrow();
            String gone = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
            h.leaks.add(
                    new LeakSighting(r.identity().id(), gone, "d".repeat(64), "aws", "old.env:1", Days.ago(5), false));
            h.leaks.add(
                    new LeakSighting(r.identity().id(), gone, "e".repeat(64), "aws", "app.env:2", Days.ago(5), true));
            List<Finding> f = findings(h, LEAKY).stream()
                    .filter(x -> x.checkId().equals(check().id()))
                    .filter(x -> !x.evidence().get("location").equals("deploy/config.env:3"))
                    .toList();
            assertThat(f).hasSize(1);
            assertThat(f.get(0).severity()).isEqualTo(Severity.LOW);
            assertThat(f.get(0).evidence())
                    .containsEntry("location", "app.env:2")
                    .containsEntry("credentialDeleted", true);
        }
    }

    @Test
    void warden_reports_no_leaks_before_a_scan_is_recorded() {
        try (PostureHarness h = harness(firing())) {
            h.warden.posture().evaluate("test");
            assertThat(h.warden
                            .posture()
                            .list(dev.warden.posture.FindingFilter.CURRENT, null, 1000)
                            .items())
                    .noneMatch(f -> f.checkId().equals(check().id()));
        }
    }
}
