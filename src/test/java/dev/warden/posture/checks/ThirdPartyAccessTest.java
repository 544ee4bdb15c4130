package dev.warden.posture.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.Source;
import dev.warden.posture.Build;
import dev.warden.posture.Check;
import dev.warden.posture.CheckContract;
import dev.warden.posture.Finding;
import dev.warden.posture.PosturePolicy;
import dev.warden.posture.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThirdPartyAccessTest extends CheckContract {
    private static final String ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";

    @Override
    protected Check check() {
        return new ThirdPartyAccess();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(
                Sample.of(Build.awsRole("vendor-admin")
                        .trust("aws", "arn:aws:iam::999988887777:root", "sts:AssumeRole", null)
                        .allow("*", "*", "managed:" + ADMIN)),
                Sample.of(Build.awsRole("anyone").trust("*", "*", "sts:AssumeRole", null)),
                Sample.of(Build.of(IdentityKind.OAUTH_CLIENT, "crm-sync", "saas:crm/app/1", Source.of("saas", "crm"))
                        .vendor("Salesforce")
                        .allow("write", "crm:contacts", "scope")));
    }

    @Override
    protected List<Sample> silent() {
        return List.of(
                Sample.of(Build.awsRole("same-account")
                        .trust("aws", "arn:aws:iam::111122223333:root", "sts:AssumeRole", null)
                        .allow("*", "*", "managed:" + ADMIN)),
                Sample.of(Build.awsRole("ec2").trust("service", "ec2.amazonaws.com", "sts:AssumeRole", null)),
                Sample.of(Build.of(IdentityKind.OAUTH_CLIENT, "reader", "saas:crm/app/2", Source.of("saas", "crm"))
                        .vendor("Tableau")
                        .allow("read", "crm:reports", "scope")));
    }

    @Test
    void judges_by_breadth_and_raises_a_level_without_external_id() {
        Finding admin = only(firing().get(0));
        assertThat(admin.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(admin.evidence())
                .containsEntry("principalAccount", "999988887777")
                .containsEntry("externalIdRequired", false)
                .containsEntry("access", "admin");
        Finding readNoId = only(Sample.of(Build.awsRole("r")
                .trust("aws", "999988887777", "sts:AssumeRole", null)
                .allow("s3:GetObject", "arn:aws:s3:::b/*", "inline")));
        assertThat(readNoId.severity()).isEqualTo(Severity.HIGH);
        Finding readWithId = only(Sample.of(Build.awsRole("r2")
                .trust(
                        "aws",
                        "arn:aws:iam::999988887777:role/vendor",
                        "sts:AssumeRole",
                        "{\"StringEquals\":{\"sts:ExternalId\":\"abc\"}}")
                .allow("s3:GetObject", "arn:aws:s3:::b/*", "inline")));
        assertThat(readWithId.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(readWithId.summary()).doesNotContain("without");
    }

    @Test
    void the_imported_datadog_role_is_read_access_with_external_id() {
        try (var h = harness(List.of())) {
            h.importAws("authorization-details.json");
            assertThat(findings(h, "arn:aws:iam::111122223333:role/datadog-integration"))
                    .singleElement()
                    .satisfies(f -> {
                        assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
                        assertThat(f.evidence())
                                .containsEntry("vendor", "Datadog")
                                .containsEntry("access", "read")
                                .containsEntry("externalIdRequired", true);
                    });
            assertThat(findings(h, "arn:aws:iam::111122223333:role/app-orders")).isEmpty();
        }
    }

    @Test
    void accounts_the_policy_trusts_are_not_third_parties() {
        try (var h = harness(List.of(firing().get(0)))) {
            h.policy(PosturePolicy.parse("nhi3: {trustedAccounts: ['999988887777']}", "p.yaml", null));
            assertThat(findings(h, "arn:aws:iam::111122223333:role/vendor-admin"))
                    .isEmpty();
        }
    }
}
