package dev.warden.posture.checks;

import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.SharedCredential;
import dev.warden.posture.Subject;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * NHI9: one credential held by identities of more distinct workloads than
 * {@code nhi9.maxWorkloadsPerCredential} (an identity without a workload counts as its own). Several
 * workflows of one repository sharing a repository secret are one workload and stay silent. Medium.
 */
final class SharedCredentialReuse extends BaseCheck {
    SharedCredentialReuse() {
        super(
                "nhi9-shared-credential",
                Risk.NHI9,
                List.of("PR.AA-01", "DE.CM-03"),
                "One credential used by several workloads",
                "Give each workload its own credential (or identity), so that one can be rotated or revoked"
                        + " without the others and usage shows who did what.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        for (SharedCredential shared : s.shared()) {
            Set<String> workloads = new TreeSet<>();
            shared.holders().forEach(h -> workloads.add(h.workload() != null ? h.workload() : "identity " + h.name()));
            if (workloads.size() <= s.policy().maxWorkloadsPerCredential()) {
                continue;
            }
            out.accept(Detection.of(Severity.MEDIUM, "credential shared by " + workloads.size() + " workloads")
                    .credentialId(shared.credentialId())
                    .fact("shared", shared.key())
                    .fact("workloads", List.copyOf(workloads))
                    .fact("holders", (long) shared.holders().size())
                    .fact("maxWorkloadsPerCredential", s.policy().maxWorkloadsPerCredential())
                    .build());
        }
    }
}
