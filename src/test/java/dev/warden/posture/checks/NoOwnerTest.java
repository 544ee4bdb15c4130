package dev.warden.posture.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.posture.Build;
import dev.warden.posture.Check;
import dev.warden.posture.CheckContract;
import dev.warden.posture.Finding;
import dev.warden.posture.PosturePolicy;
import dev.warden.posture.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoOwnerTest extends CheckContract {
    @Override
    protected Check check() {
        return new NoOwner();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(
                Sample.of(Build.awsRole("orphan").owners(null, null)),
                Sample.of(Build.awsRole("placeholder").owners("unknown", "TBD")),
                Sample.of(Build.serviceAccount("prod-1", "shop", "api").owners(null, null)));
    }

    @Override
    protected List<Sample> silent() {
        return List.of(
                Sample.of(Build.awsRole("owned")),
                Sample.of(Build.awsRole("half-placeholder").owners("none", "team-b")),
                Sample.of(Build.awsRole("AWSServiceRoleForSupport")
                        .owners(null, null)
                        .attr("serviceLinked", "true")));
    }

    @Test
    void is_high_in_production_and_medium_elsewhere() {
        assertThat(only(Sample.of(Build.awsRole("p").owners(null, null).env("prod")))
                        .severity())
                .isEqualTo(Severity.HIGH);
        Finding dev = only(Sample.of(Build.awsRole("d").owners(null, null).env("dev")));
        assertThat(dev.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(dev.summary()).isEqualTo("no owner recorded");
    }

    @Test
    void says_which_placeholder_it_saw() {
        Finding f = only(Sample.of(Build.awsRole("p").owners("N/A", null)));
        assertThat(f.summary()).contains("placeholder").contains("N/A");
        assertThat(f.evidence()).containsEntry("placeholder", true).containsEntry("businessOwner", "N/A");
    }

    @Test
    void placeholder_values_come_from_the_policy() {
        PosturePolicy p = PosturePolicy.parse("nhi1:\n  placeholderOwners: [legacy]\n", "test.yaml", null);
        try (var h = harness(List.of(
                Sample.of(Build.awsRole("l").owners("legacy", null)),
                Sample.of(Build.awsRole("u").owners("unknown", null))))) {
            h.policy(p);
            assertThat(findings(h, "arn:aws:iam::111122223333:role/l")).hasSize(1);
            assertThat(findings(h, "arn:aws:iam::111122223333:role/u")).isEmpty();
        }
    }

    @Test
    void imported_aws_users_and_roles_without_owner_tags_fire() {
        try (var h = harness(List.of())) {
            h.importAws("authorization-details.json", "credential-report.csv");
            assertThat(findings(h, "arn:aws:iam::111122223333:user/legacy-reporting"))
                    .hasSize(1);
            assertThat(findings(h, "arn:aws:iam::111122223333:role/github-deploy"))
                    .hasSize(1);
            assertThat(findings(h, "arn:aws:iam::111122223333:user/automation/ci-deployer"))
                    .isEmpty();
            assertThat(findings(h, "arn:aws:iam::111122223333:role/app-orders")).isEmpty();
        }
    }
}
