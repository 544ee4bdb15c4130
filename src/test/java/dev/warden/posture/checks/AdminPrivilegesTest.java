package dev.warden.posture.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.posture.Build;
import dev.warden.posture.Check;
import dev.warden.posture.CheckContract;
import dev.warden.posture.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminPrivilegesTest extends CheckContract {
    @Override
    protected Check check() {
        return new AdminPrivileges();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(
                Sample.of(Build.awsRole("prod-admin")
                        .env("prod")
                        .allow(
                                "policy:arn:aws:iam::aws:policy/AdministratorAccess",
                                "(policy document not in the import)",
                                "managed:arn:aws:iam::aws:policy/AdministratorAccess")),
                Sample.of(Build.serviceAccount("prod-1", "kube-system", "ops")
                        .attr("clusterAdmin", "clusterrolebinding/ops-admin")
                        .allow("* */*", "cluster", "clusterrolebinding/ops-admin -> clusterrole/cluster-admin")),
                Sample.of(Build.postgresRole("migrator").allow("SUPERUSER", "server", "role attribute")),
                Sample.of(Build.awsRole("iam-star").allow("iam:*", "*", "inline:bootstrap")));
    }

    @Override
    protected List<Sample> silent() {
        return List.of(
                Sample.of(Build.awsRole("reader").allow("s3:GetObject", "arn:aws:s3:::b/*", "inline")),
                Sample.of(Build.awsRole("denied").deny("*", "*", "inline:scp")),
                Sample.of(Build.awsRole("s3-star").allow("s3:*", "*", "inline")));
    }

    @Test
    void critical_in_production_high_elsewhere() {
        assertThat(only(firing().get(0)).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(only(firing().get(1)).severity()).isEqualTo(Severity.HIGH);
        assertThat(only(firing().get(1)).evidence().get("grantedVia").toString())
                .contains("clusterrole/cluster-admin");
    }

    @Test
    void the_imported_roles_with_administrator_access_fire_and_people_do_not() {
        try (var h = harness(List.of())) {
            h.importAws("authorization-details.json");
            assertThat(findings(h, "arn:aws:iam::111122223333:role/github-deploy"))
                    .hasSize(1);
            assertThat(findings(h, "arn:aws:iam::111122223333:user/automation/ci-deployer"))
                    .singleElement()
                    .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.CRITICAL));
            assertThat(h.view()).noneMatch(f -> f.identity().externalId().contains("AWSReservedSSO"));
        }
    }
}
