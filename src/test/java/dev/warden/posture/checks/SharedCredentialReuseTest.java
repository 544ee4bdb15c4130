package dev.warden.posture.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.Source;
import dev.warden.posture.Build;
import dev.warden.posture.Check;
import dev.warden.posture.CheckContract;
import dev.warden.posture.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedCredentialReuseTest extends CheckContract {
    static Build apiKey(String name, String workload, String keyId) {
        return Build.of(IdentityKind.API_KEY, name, "saas:stripe/" + name, Source.of("saas", "stripe"))
                .workload(workload)
                .credential(new Credential(
                        null,
                        null,
                        CredentialKind.API_KEY,
                        keyId,
                        null,
                        Days.ago(10),
                        null,
                        null,
                        null,
                        CredentialStatus.ACTIVE,
                        Map.of()));
    }

    @Override
    protected Check check() {
        return new SharedCredentialReuse();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(
                Sample.of(apiKey("checkout-key", "checkout", "rk_live_shared")),
                Sample.of(apiKey("billing-key", "billing", "rk_live_shared")));
    }

    @Override
    protected List<Sample> silent() {
        return List.of(
                Sample.of(Build.workflow("acme/app", "a.yml")
                        .credential(CiStaticCloudKeysTest.secret("DEPLOY_KEY", "acme/app", true))),
                Sample.of(Build.workflow("acme/app", "b.yml")
                        .credential(CiStaticCloudKeysTest.secret("DEPLOY_KEY", "acme/app", true))),
                Sample.of(apiKey("own-key", "search", "rk_live_own")));
    }

    @Test
    void names_the_workloads_sharing_it() {
        try (var h = harness(firing())) {
            assertThat(findings(h, "saas:stripe/checkout-key")).singleElement().satisfies(f -> {
                assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
                assertThat(f.evidence()).containsEntry("workloads", List.of("billing", "checkout"));
                assertThat(f.evidence()).containsEntry("shared", "rk_live_shared");
            });
        }
    }
}
