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
import dev.warden.posture.Finding;
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
                Sample.of(apiKey("billing-key", "billing", "rk_live_shared")),
                roaming("roaming", "203.0.113.7", "198.51.100.9", "2001:db8:1:2::5"));
    }

    /** An IAM user whose one key is used from three networks with the CLI, Boto3 and S3's bracketed browser agent. */
    static Sample roaming(String name, String... ips) {
        Build b = Build.awsUser(name).accessKey(String.format("AKIA%016d", Math.abs(name.hashCode())), 30, 1);
        String[] agents = {
            "aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0 exe/x86_64",
            "Boto3/1.34.0 md/Botocore#1.34.0",
            "[Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Chrome/129.0.0.0 Safari/537.36]"
        };
        dev.warden.usage.UsageEvent[] events = new dev.warden.usage.UsageEvent[ips.length];
        for (int i = 0; i < ips.length; i++) {
            events[i] = b.event(2, "s3:GetObject", ips[i], agents[i % agents.length], dev.warden.usage.UsageEvent.API);
        }
        return Sample.of(b, events);
    }

    @Override
    protected List<Sample> silent() {
        return List.of(
                roaming("one-network", "203.0.113.7", "203.0.113.8", "203.0.113.9"),
                roaming("services", "203.0.113.7", "lambda.amazonaws.com", "AWS Internal"),
                Sample.of(Build.workflow("acme/app", "a.yml")
                        .credential(CiStaticCloudKeysTest.secret("DEPLOY_KEY", "acme/app", true))),
                Sample.of(Build.workflow("acme/app", "b.yml")
                        .credential(CiStaticCloudKeysTest.secret("DEPLOY_KEY", "acme/app", true))),
                Sample.of(apiKey("own-key", "search", "rk_live_own")));
    }

    @Test
    void one_key_from_three_networks_with_two_agent_families_is_shared_with_its_networks_as_evidence() {
        Finding f = only(firing().get(2));
        assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(f.evidence())
                .containsEntry("networks", List.of("198.51.100.0/24", "2001:db8:1:2::/64", "203.0.113.0/24"))
                .containsEntry("userAgentFamilies", List.of("aws-cli", "boto3", "mozilla"))
                .containsEntry("minNetworks", 3L);
    }

    @Test
    void user_agent_families_are_first_product_tokens_and_networks_are_prefixes() {
        assertThat(SharedCredentialReuse.family("[Mozilla/5.0 (X11)]")).isEqualTo("mozilla");
        assertThat(SharedCredentialReuse.family("APN/1.0 HashiCorp/1.0 Terraform/1.6.0"))
                .isEqualTo("apn");
        assertThat(SharedCredentialReuse.network("lambda.amazonaws.com")).isNull();
        assertThat(SharedCredentialReuse.network("10.1.2.3")).isEqualTo("10.1.2.0/24");
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
