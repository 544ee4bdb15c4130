package dev.warden.posture.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.posture.Build;
import dev.warden.posture.Check;
import dev.warden.posture.CheckContract;
import dev.warden.posture.Severity;
import dev.warden.usage.UsageEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnusedServiceAccountTest extends CheckContract {
    static Credential legacyToken(String secret, long ageDays, CredentialStatus status) {
        return new Credential(
                null,
                null,
                CredentialKind.TOKEN,
                "secret/" + secret,
                null,
                Days.ago(ageDays),
                null,
                null,
                null,
                status,
                Map.of(
                        "type", "kubernetes.io/service-account-token",
                        "legacyToken", "true",
                        "longLived", "true",
                        "expires", "never",
                        "secret", secret));
    }

    @Override
    protected Check check() {
        return new UnusedServiceAccount();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(
                Sample.of(Build.serviceAccount("prod-1", "shop", "old-job")
                        .age(200)
                        .attr("usedByWorkloads", "0")),
                Sample.of(Build.serviceAccount("prod-1", "shop", "with-token")
                        .age(200)
                        .attr("usedByWorkloads", "0")
                        .credential(legacyToken("shop/with-token-token", 200, CredentialStatus.ACTIVE))));
    }

    @Override
    protected List<Sample> silent() {
        Build active = Build.serviceAccount("prod-1", "shop", "cli-only").attr("usedByWorkloads", "0");
        return List.of(
                Sample.of(Build.serviceAccount("prod-1", "shop", "api").attr("usedByWorkloads", "2")),
                Sample.of(Build.serviceAccount("prod-1", "shop", "unknown-workloads")),
                Sample.of(Build.serviceAccount("prod-1", "shop", "default").attr("usedByWorkloads", "0")),
                Sample.of(active, active.event(5, "get pods", "10.1.2.3", "kubectl/v1.29.0", UsageEvent.API)));
    }

    @Test
    void is_low_unless_it_holds_a_live_token_or_more_than_read_access() {
        assertThat(only(Sample.of(Build.serviceAccount("c", "ns", "a").attr("usedByWorkloads", "0")))
                        .severity())
                .isEqualTo(Severity.LOW);
        assertThat(only(Sample.of(Build.serviceAccount("c", "ns", "b")
                                .attr("usedByWorkloads", "0")
                                .allow("delete pods", "namespace/ns", "rolebinding/ns/x -> role/y")))
                        .severity())
                .isEqualTo(Severity.MEDIUM);
        var f = only(Sample.of(Build.serviceAccount("c", "ns", "t")
                .attr("usedByWorkloads", "0")
                .credential(legacyToken("ns/t-token", 10, CredentialStatus.ACTIVE))));
        assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(f.evidence()).containsEntry("liveTokens", 1L).containsEntry("lastActivityAt", "none");
    }
}
