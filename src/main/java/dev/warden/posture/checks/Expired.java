package dev.warden.posture.checks;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import java.util.List;
import java.util.function.Consumer;

/**
 * Lifecycle: a credential past its expiry that its source still lists as in place (not revoked or
 * inactive): a certificate still served or deployed is high (an outage or a client that stopped
 * verifying), other credentials medium (dead weight to clean up).
 */
final class Expired extends BaseCheck {
    Expired() {
        super(
                "lifecycle-expired",
                Risk.LIFECYCLE,
                List.of("ID.AM-08", "PR.AA-01"),
                "Credential or certificate expired but still in place",
                "Replace the expired certificate or credential where it is deployed, then remove the expired one"
                        + " from the source.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        for (Credential c : s.credentials()) {
            if (c.expiresAt() == null
                    || c.expiresAt().isAfter(s.asOf())
                    || c.status() == CredentialStatus.REVOKED
                    || c.status() == CredentialStatus.INACTIVE) {
                continue;
            }
            out.accept(Detection.of(
                            c.kind() == CredentialKind.CERTIFICATE ? Severity.HIGH : Severity.MEDIUM,
                            Subject.label(c) + " expired at " + c.expiresAt())
                    .credential(c)
                    .fact("expiresAt", c.expiresAt())
                    .build());
        }
    }
}
