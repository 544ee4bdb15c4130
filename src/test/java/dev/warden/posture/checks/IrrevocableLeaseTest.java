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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IrrevocableLeaseTest extends CheckContract {
    /** A leased credential as Leases records it on the workload identity. */
    private static Credential leased(String id, String state, CredentialStatus status) {
        return new Credential(
                null,
                null,
                CredentialKind.PASSWORD,
                "postgresql://db.internal:5432/w_" + id,
                null,
                Days.ago(2),
                null,
                Days.ago(1),
                null,
                status,
                Map.of(
                        "lease.id",
                        "0190a3b2-0000-7000-8000-00000000000" + id,
                        "lease.state",
                        state,
                        "lease.path",
                        "postgresql/app-db/readonly"));
    }

    private static Build workload(String name) {
        return Build.of(
                IdentityKind.WORKLOAD, name, "system:serviceaccount:payments:" + name, Source.of("broker", "k8s-prod"));
    }

    @Override
    protected Check check() {
        return new IrrevocableLease();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(Sample.of(workload("api").credential(leased("1", "irrevocable", CredentialStatus.ACTIVE))));
    }

    @Override
    protected List<Sample> silent() {
        return List.of(
                Sample.of(workload("active").credential(leased("2", "active", CredentialStatus.ACTIVE))),
                Sample.of(workload("expired").credential(leased("3", "expired", CredentialStatus.EXPIRED))),
                Sample.of(workload("fixed").credential(leased("4", "irrevocable", CredentialStatus.REVOKED))));
    }

    @Test
    void names_the_lease_in_its_evidence() {
        assertThat(only(firing().get(0)).evidence())
                .containsEntry("leaseId", "0190a3b2-0000-7000-8000-000000000001")
                .containsEntry("leasePath", "postgresql/app-db/readonly");
    }
}
