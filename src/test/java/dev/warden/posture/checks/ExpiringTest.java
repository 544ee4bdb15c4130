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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpiringTest extends CheckContract {
    static Credential token(String id, Instant created, Instant expires, CredentialStatus status) {
        return new Credential(
                null, null, CredentialKind.TOKEN, id, null, created, null, expires, null, status, Map.of());
    }

    @Override
    protected Check check() {
        return new Expiring();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(
                Sample.of(Build.certificate("soon.example.com", "/etc").cert(Days.ago(345), Days.ahead(20))),
                Sample.of(Build.awsRole("token-soon")
                        .credential(token("t-soon", Days.ago(60), Days.ahead(3), CredentialStatus.ACTIVE))));
    }

    @Override
    protected List<Sample> silent() {
        return List.of(
                Sample.of(Build.certificate("later.example.com", "/etc").cert(Days.ago(300), Days.ahead(60))),
                Sample.of(Build.awsRole("short-lived")
                        .credential(token(
                                "t-short",
                                Build.NOW.minus(Duration.ofHours(12)),
                                Build.NOW.plus(Duration.ofHours(12)),
                                CredentialStatus.ACTIVE))),
                Sample.of(Build.awsRole("revoked")
                        .credential(token("t-rev", Days.ago(60), Days.ahead(5), CredentialStatus.REVOKED))),
                Sample.of(Build.certificate("gone.example.com", "/etc").cert(Days.ago(400), Days.ago(1))));
    }

    @Test
    void a_warning_becomes_medium_inside_the_urgent_window() {
        Finding cert = only(firing().get(0));
        assertThat(cert.severity()).isEqualTo(Severity.LOW);
        assertThat(cert.evidence())
                .containsEntry("expiresAt", Days.ahead(20).toString())
                .containsEntry("expiringWithinDays", 30L);
        assertThat(only(firing().get(1)).severity()).isEqualTo(Severity.MEDIUM);
    }
}
