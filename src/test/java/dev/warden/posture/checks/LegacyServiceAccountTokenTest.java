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

class LegacyServiceAccountTokenTest extends CheckContract {
    @Override
    protected Check check() {
        return new LegacyServiceAccountToken();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(Sample.of(Build.serviceAccount("prod-1", "ci", "deployer")
                .credential(UnusedServiceAccountTest.legacyToken("ci/deployer-token", 300, CredentialStatus.ACTIVE))));
    }

    @Override
    protected List<Sample> silent() {
        Credential projected = new Credential(
                null,
                null,
                CredentialKind.TOKEN,
                "projected/1",
                null,
                Days.ago(0),
                null,
                Days.ahead(1),
                null,
                CredentialStatus.ACTIVE,
                Map.of());
        return List.of(
                Sample.of(Build.serviceAccount("prod-1", "ci", "invalidated")
                        .credential(UnusedServiceAccountTest.legacyToken(
                                "ci/invalidated-token", 300, CredentialStatus.INACTIVE))),
                Sample.of(Build.serviceAccount("prod-1", "ci", "projected").credential(projected)),
                Sample.of(Build.serviceAccount("prod-1", "ci", "none")));
    }

    @Test
    void names_the_secret_and_is_high_for_cluster_admins() {
        Finding f = only(firing().get(0));
        assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(f.evidence()).containsEntry("secret", "ci/deployer-token").containsEntry("expires", "never");
        assertThat(f.credential().externalId()).isEqualTo("secret/ci/deployer-token");
        Finding admin = only(Sample.of(Build.serviceAccount("prod-1", "ci", "root")
                .attr("clusterAdmin", "clusterrolebinding/ci-admin")
                .credential(UnusedServiceAccountTest.legacyToken("ci/root-token", 30, CredentialStatus.ACTIVE))));
        assertThat(admin.severity()).isEqualTo(Severity.HIGH);
    }
}
