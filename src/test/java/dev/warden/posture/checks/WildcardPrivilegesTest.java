package dev.warden.posture.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.posture.Build;
import dev.warden.posture.Check;
import dev.warden.posture.CheckContract;
import dev.warden.posture.Finding;
import dev.warden.posture.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class WildcardPrivilegesTest extends CheckContract {
    @Override
    protected Check check() {
        return new WildcardPrivileges();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(
                Sample.of(Build.awsRole("s3-all").allow("s3:*", "*", "inline:s3")),
                Sample.of(Build.awsRole("any-action").allow("*", "arn:aws:s3:::bucket", "inline:x")),
                Sample.of(Build.awsRole("put-anywhere").allow("s3:PutObject", "*", "inline:x")),
                Sample.of(Build.serviceAccount("prod-1", "ops", "pods-all")
                        .allow("* pods", "namespace/ops", "rolebinding/ops/x -> role/y")));
    }

    @Override
    protected List<Sample> silent() {
        return List.of(
                Sample.of(Build.awsRole("narrow").allow("s3:GetObject", "arn:aws:s3:::bucket/*", "inline")),
                Sample.of(Build.awsRole("admin-only")
                        .allow("*", "*", "managed:arn:aws:iam::aws:policy/AdministratorAccess")),
                Sample.of(Build.awsRole("deny-all").deny("*", "*", "inline:guard")),
                Sample.of(Build.serviceAccount("prod-1", "ops", "reader")
                        .allow("get pods", "namespace/ops", "rolebinding/ops/r -> role/r")));
    }

    @Test
    void severity_follows_the_widest_wildcard() {
        assertThat(only(firing().get(0)).severity()).isEqualTo(Severity.MEDIUM);
        assertThat(only(firing().get(1)).severity()).isEqualTo(Severity.HIGH);
        assertThat(only(Sample.of(Build.awsRole("iam").allow("iam:*", "arn:aws:iam::111122223333:role/x", "i")))
                        .severity())
                .isEqualTo(Severity.HIGH);
        assertThat(only(Sample.of(Build.awsRole("logs").allow("logs:Get*", "*", "i")))
                        .severity())
                .isEqualTo(Severity.LOW);
        Finding k8s = only(Sample.of(Build.serviceAccount("c", "ns", "x").allow("* */*", "namespace/ns", "rb")));
        assertThat(k8s.severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void lists_every_wildcard_grant() {
        Finding f = only(Sample.of(Build.awsRole("two")
                .allow("s3:*", "*", "inline:a")
                .allow("sqs:*", "arn:aws:sqs:eu-west-1:111122223333:q", "inline:b")));
        assertThat(f.evidence()).containsEntry("count", 2L);
        assertThat(f.evidence().get("wildcards").toString())
                .contains("s3:* on *")
                .contains("sqs:*");
    }

    @Test
    void the_imported_ci_deployer_reads_logs_everywhere_through_its_group() {
        try (var h = harness(List.of())) {
            h.importAws("authorization-details.json");
            assertThat(findings(h, "arn:aws:iam::111122223333:user/automation/ci-deployer"))
                    .singleElement()
                    .satisfies(f -> {
                        assertThat(f.severity()).isEqualTo(Severity.LOW);
                        assertThat(f.evidence().get("wildcards").toString()).contains("logs:Get* on *");
                    });
            assertThat(findings(h, "arn:aws:iam::111122223333:user/legacy-reporting"))
                    .isEmpty();
        }
    }
}
