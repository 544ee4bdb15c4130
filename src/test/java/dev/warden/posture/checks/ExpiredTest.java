package dev.warden.posture.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.inventory.CredentialStatus;
import dev.warden.posture.Build;
import dev.warden.posture.Check;
import dev.warden.posture.CheckContract;
import dev.warden.posture.PostureHarness;
import dev.warden.posture.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpiredTest extends CheckContract {
    @Override
    protected Check check() {
        return new Expired();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(
                Sample.of(Build.certificate("expired.example.com", "/etc")
                        .age(400)
                        .cert(Days.ago(400), Days.ago(10))),
                Sample.of(Build.awsRole("stale-token")
                        .credential(ExpiringTest.token("t1", Days.ago(60), Days.ago(2), CredentialStatus.ACTIVE))));
    }

    @Override
    protected List<Sample> silent() {
        return List.of(
                Sample.of(Build.awsRole("revoked")
                        .credential(ExpiringTest.token("t2", Days.ago(60), Days.ago(2), CredentialStatus.REVOKED))),
                Sample.of(Build.awsRole("inactive")
                        .credential(ExpiringTest.token("t3", Days.ago(60), Days.ago(2), CredentialStatus.INACTIVE))),
                Sample.of(Build.certificate("valid.example.com", "/etc").cert(Days.ago(10), Days.ahead(100))));
    }

    @Test
    void certificates_are_high_and_as_of_before_expiry_nothing_has_expired() {
        assertThat(only(firing().get(0)).severity()).isEqualTo(Severity.HIGH);
        assertThat(only(firing().get(0)).evidence())
                .containsEntry("expiresAt", Days.ago(10).toString());
        assertThat(only(firing().get(1)).severity()).isEqualTo(Severity.MEDIUM);
        try (PostureHarness h = harness(List.of(firing().get(0)))) {
            String id = h.id(firing().get(0).externalId());
            assertThat(PostureHarness.of(h.viewAsOf(Days.ago(20)), check().id(), id))
                    .isEmpty();
            assertThat(PostureHarness.of(h.viewAsOf(Days.ago(20)), "lifecycle-expiring", id))
                    .hasSize(1);
        }
    }
}
