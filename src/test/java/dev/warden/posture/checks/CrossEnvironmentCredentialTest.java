package dev.warden.posture.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.posture.Build;
import dev.warden.posture.Check;
import dev.warden.posture.CheckContract;
import dev.warden.posture.Finding;
import dev.warden.posture.PostureHarness;
import dev.warden.posture.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrossEnvironmentCredentialTest extends CheckContract {
    static Credential certificate(String fingerprint) {
        return new Credential(
                null,
                null,
                CredentialKind.CERTIFICATE,
                null,
                fingerprint,
                Days.ago(30),
                null,
                Days.ahead(300),
                null,
                CredentialStatus.ACTIVE,
                Map.of());
    }

    @Override
    protected Check check() {
        return new CrossEnvironmentCredential();
    }

    @Override
    protected List<Sample> firing() {
        String fp = "f".repeat(64);
        return List.of(
                Sample.of(Build.certificate("api.example.com", "/srv/prod")
                        .env("prod")
                        .credential(certificate(fp))),
                Sample.of(Build.certificate("api.example.com", "/srv/staging")
                        .env("staging")
                        .credential(certificate(fp))),
                Sample.of(Build.workflow("acme/app", "deploy-prod.yml")
                        .env("prod")
                        .credential(CiStaticCloudKeysTest.secret("AWS_KEY", "acme/app", true))),
                Sample.of(Build.workflow("acme/app", "deploy-dev.yml")
                        .env("dev")
                        .credential(CiStaticCloudKeysTest.secret("AWS_KEY", "acme/app", true))));
    }

    @Override
    protected List<Sample> silent() {
        String fp = "e".repeat(64);
        return List.of(
                Sample.of(
                        Build.certificate("a.example.com", "/srv/a").env("prod").credential(certificate(fp))),
                Sample.of(
                        Build.certificate("a.example.com", "/srv/b").env("prod").credential(certificate(fp))),
                Sample.of(
                        Build.certificate("b.example.com", "/srv/c").env(null).credential(certificate("d".repeat(64)))),
                Sample.of(Build.certificate("b.example.com", "/srv/d")
                        .env("dev")
                        .credential(certificate("d".repeat(64)))),
                Sample.of(Build.certificate("alone.example.com", "/srv/e")
                        .env("prod")
                        .credential(certificate("c".repeat(64)))));
    }

    @Test
    void every_holder_gets_its_own_finding_naming_the_others() {
        try (PostureHarness h = harness(firing().subList(0, 2))) {
            List<Finding> view = h.view();
            for (Sample s : firing().subList(0, 2)) {
                assertThat(PostureHarness.of(view, check().id(), h.id(s.externalId())))
                        .singleElement()
                        .satisfies(f -> {
                            assertThat(f.severity()).isEqualTo(Severity.HIGH);
                            assertThat(f.evidence()).containsEntry("environments", List.of("prod", "staging"));
                            assertThat(f.evidence().get("holders").toString())
                                    .contains("certificate:/srv/prod")
                                    .contains("certificate:/srv/staging");
                            assertThat(f.credential()).isNotNull();
                        });
            }
        }
    }

    @Test
    void non_production_environments_sharing_is_medium() {
        String fp = "a".repeat(64);
        try (PostureHarness h = harness(List.of(
                Sample.of(Build.certificate("x", "/1").env("dev").credential(certificate(fp))),
                Sample.of(Build.certificate("x", "/2").env("staging").credential(certificate(fp)))))) {
            assertThat(h.view())
                    .filteredOn(f -> f.checkId().equals(check().id()))
                    .hasSize(2)
                    .allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.MEDIUM));
        }
    }
}
