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
import dev.warden.posture.PosturePolicy;
import dev.warden.posture.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialAgeTest extends CheckContract {
    static Credential credential(CredentialKind kind, String id, Instant created, Instant rotated, Instant expires) {
        return new Credential(
                null, null, kind, id, null, created, rotated, expires, null, CredentialStatus.ACTIVE, Map.of());
    }

    @Override
    protected Check check() {
        return new CredentialAge();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(
                Sample.of(Build.awsUser("k120").age(200).accessKey("AKIAAGE1200000000001", 120, 1)),
                Sample.of(Build.awsUser("k400").accessKey("AKIAAGE4000000000001", 400, 1)),
                Sample.of(Build.postgresRole("app")
                        .credential(credential(
                                CredentialKind.PASSWORD,
                                "postgresql://db1.internal:5432/app#password",
                                Days.ago(300),
                                Days.ago(100),
                                null))));
    }

    @Override
    protected List<Sample> silent() {
        return List.of(
                Sample.of(Build.awsUser("fresh").accessKey("AKIAFRESH00000000001", 30, 1)),
                Sample.of(Build.awsUser("rotated")
                        .credential(
                                credential(CredentialKind.ACCESS_KEY, "AKIAROT", Days.ago(400), Days.ago(10), null))),
                Sample.of(Build.awsRole("short-lived")
                        .credential(credential(CredentialKind.TOKEN, "t1", Days.ago(100), null, Days.ahead(-40)))),
                Sample.of(Build.awsRole("sixty-day-token")
                        .credential(credential(CredentialKind.TOKEN, "t2", Days.ago(50), null, Days.ahead(10)))),
                Sample.of(Build.certificate("old.example.com", "/etc").cert(Days.ago(700), Days.ahead(30))),
                Sample.of(Build.workflow("acme/app", "ci.yml")
                        .credential(CiStaticCloudKeysTest.secret("NPM_TOKEN", "acme/app", false))));
    }

    @Test
    void medium_past_the_limit_high_past_the_high_limit() {
        Finding f = only(firing().get(0));
        assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(f.evidence())
                .containsEntry("rotationDue", Days.ago(30).toString())
                .containsEntry("maxCredentialAgeDays", 90L);
        assertThat(f.summary())
                .isEqualTo("access_key AKIAAGE1200000000001 not rotated since 2026-07-25 (policy: 90 days)");
        assertThat(f.credential().externalId()).isEqualTo("AKIAAGE1200000000001");
        assertThat(only(firing().get(1)).severity()).isEqualTo(Severity.HIGH);
        assertThat(only(firing().get(2)).evidence())
                .containsEntry("rotationDue", Days.ago(10).toString());
    }

    @Test
    void ages_are_judged_as_of_the_instant_asked_and_thresholds_come_from_the_policy() {
        try (PostureHarness h = harness(List.of(firing().get(0)))) {
            String id = h.id("arn:aws:iam::111122223333:user/k120");
            assertThat(PostureHarness.of(h.viewAsOf(Days.ago(60)), check().id(), id))
                    .isEmpty();
            assertThat(PostureHarness.of(h.viewAsOf(Days.ago(20)), check().id(), id))
                    .singleElement()
                    .satisfies(f -> assertThat(f.evidence())
                            .containsEntry("rotationDue", Days.ago(30).toString()));
            h.policy(PosturePolicy.parse("nhi7: {maxCredentialAgeDays: 200, highCredentialAgeDays: 400}", "p", null));
            assertThat(PostureHarness.of(h.view(), check().id(), id)).isEmpty();
        }
    }
}
