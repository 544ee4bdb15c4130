package dev.warden.posture.checks;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialStatus;
import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import java.util.List;
import java.util.function.Consumer;

/**
 * NHI7: a credential Warden leased (a dynamic database login, a certificate) whose revocation failed
 * on every attempt: the lease is {@code irrevocable}, so the credential may outlive the lifetime it
 * was issued for. Filed under Long-Lived Secrets rather than Improper Offboarding because what went
 * wrong is the credential's lifetime, not the identity's ownership: the workload may be alive and
 * well. Reads the {@code lease.state} attribute the lease service keeps on the credential. High.
 */
final class IrrevocableLease extends BaseCheck {
    IrrevocableLease() {
        super(
                "nhi7-irrevocable-lease",
                Risk.NHI7,
                List.of("PR.AA-01", "ID.AM-08"),
                "Leased credential that could not be revoked",
                "Find out why revocation fails (the lease's last error), remove the credential by hand in the"
                        + " target system, then revoke the lease again (POST /v1/leases/{id}/revoke).");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        for (Credential c : s.credentials()) {
            if (c.status() == CredentialStatus.REVOKED || !"irrevocable".equals(Subject.attribute(c, "lease.state"))) {
                continue;
            }
            out.accept(Detection.of(Severity.HIGH, Subject.label(c) + " outlives its lease: revocation failed")
                    .credential(c)
                    .fact("leaseId", Subject.attribute(c, "lease.id"))
                    .fact("leasePath", Subject.attribute(c, "lease.path"))
                    .fact("expiresAt", c.expiresAt())
                    .build());
        }
    }
}
