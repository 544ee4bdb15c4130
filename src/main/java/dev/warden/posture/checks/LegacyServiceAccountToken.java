package dev.warden.posture.checks;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import java.util.List;
import java.util.function.Consumer;

/**
 * NHI4: a live long-lived Kubernetes service-account token Secret
 * ({@code kubernetes.io/service-account-token}), which never expires and is readable by anyone who
 * may read Secrets in the namespace. Medium; high when the account is cluster-admin or holds
 * wildcard rights.
 */
final class LegacyServiceAccountToken extends BaseCheck {
    LegacyServiceAccountToken() {
        super(
                "nhi4-legacy-token",
                Risk.NHI4,
                List.of("PR.AA-03", "PR.AA-01"),
                "Long-lived Kubernetes service-account token Secret",
                "Delete the token Secret and let workloads use projected, short-lived tokens (TokenRequest API);"
                        + " for access from outside the cluster, use kubectl create token with a short duration.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        boolean powerful = s.attribute("clusterAdmin") != null
                || Privileges.breadth(s).ordinal() >= Privileges.Breadth.WILDCARD.ordinal();
        for (Credential c : s.credentials()) {
            boolean legacy = "true".equalsIgnoreCase(Subject.attribute(c, "legacyToken"))
                    || "kubernetes.io/service-account-token".equals(Subject.attribute(c, "type"));
            if (c.kind() != CredentialKind.TOKEN || !legacy || !s.live(c)) {
                continue;
            }
            out.accept(Detection.of(
                            powerful ? Severity.HIGH : Severity.MEDIUM,
                            "long-lived token Secret " + Subject.attribute(c, "secret") + " never expires")
                    .credential(c)
                    .fact("secret", Subject.attribute(c, "secret"))
                    .fact("createdAt", c.createdAt())
                    .fact("lastUsedAt", c.lastUsedAt())
                    .fact("expires", "never")
                    .fact("clusterAdmin", s.attribute("clusterAdmin"))
                    .build());
        }
    }
}
