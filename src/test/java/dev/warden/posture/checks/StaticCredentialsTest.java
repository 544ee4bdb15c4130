package dev.warden.posture.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.posture.Build;
import dev.warden.posture.Check;
import dev.warden.posture.CheckContract;
import dev.warden.posture.Finding;
import dev.warden.posture.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaticCredentialsTest extends CheckContract {
    @Override
    protected Check check() {
        return new StaticCredentials();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(Sample.of(Build.awsUser("svc-backup").accessKey("AKIABACKUP0000000001", 30, 1)));
    }

    @Override
    protected List<Sample> silent() {
        Credential inactive = new Credential(
                null,
                null,
                CredentialKind.ACCESS_KEY,
                "AKIAINACTIVE00000002",
                null,
                Days.ago(30),
                null,
                null,
                null,
                CredentialStatus.INACTIVE,
                Map.of());
        return List.of(
                Sample.of(Build.awsUser("svc-inactive").credential(inactive)),
                Sample.of(Build.awsUser("svc-keyless")),
                Sample.of(Build.awsRole("role-with-key").accessKey("AKIAROLE000000000001", 30, 1)));
    }

    @Test
    void a_young_used_key_of_an_owned_user_is_low_advice_that_federation_is_possible() {
        Finding f = only(Sample.of(
                Build.awsUser("svc-owned").owners(null, "team-payments").accessKey("AKIAOWNED00000000001", 30, 1)));
        assertThat(f.severity()).isEqualTo(Severity.LOW);
        assertThat(f.evidence()).containsEntry("advice", true);
        assertThat(only(Sample.of(Build.awsUser("svc-old")
                                .owners(null, "team-payments")
                                .accessKey("AKIAOLD0000000000001", 200, 1)))
                        .severity())
                .isEqualTo(Severity.MEDIUM);
    }

    @Test
    void the_imported_ci_deployer_with_two_keys_and_admin_is_high() {
        try (var h = harness(List.of())) {
            h.importAws("authorization-details.json", "credential-report.csv", "list-access-keys.json");
            assertThat(findings(h, "arn:aws:iam::111122223333:user/automation/ci-deployer"))
                    .singleElement()
                    .satisfies(f -> {
                        assertThat(f.severity()).isEqualTo(Severity.HIGH);
                        assertThat(f.evidence()).containsEntry("liveKeys", 2L).containsEntry("admin", true);
                        assertThat(f.evidence().get("accessKeys").toString())
                                .contains("AKIAEXAMPLEKEY000001")
                                .contains("AKIAEXAMPLEKEY000002");
                    });
            assertThat(findings(h, "arn:aws:iam::111122223333:user/legacy-reporting"))
                    .singleElement()
                    .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.MEDIUM));
        }
    }
}
