package dev.warden.posture.checks;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialStatus;
import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Lifecycle: a credential or certificate expiring within {@code lifecycle.expiringWithinDays} (a
 * warning: low), or within {@code lifecycle.urgentWithinDays} (medium). Credentials whose whole
 * lifetime fits in the window are short-lived by design and not reported; revoked and inactive ones
 * neither.
 */
final class Expiring extends BaseCheck {
    Expiring() {
        super(
                "lifecycle-expiring",
                Risk.LIFECYCLE,
                List.of("ID.AM-08", "PR.AA-01"),
                "Credential or certificate expiring soon",
                "Renew or rotate the credential before it expires, and automate renewal so that this is no longer"
                        + " a manual step.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        for (Credential c : s.credentials()) {
            if (c.expiresAt() == null
                    || !c.expiresAt().isAfter(s.asOf())
                    || c.status() == CredentialStatus.REVOKED
                    || c.status() == CredentialStatus.INACTIVE) {
                continue;
            }
            long left = Duration.between(s.asOf(), c.expiresAt()).toDays();
            if (left >= s.policy().expiringWithinDays()) {
                continue;
            }
            if (c.createdAt() != null
                    && Duration.between(c.createdAt(), c.expiresAt()).toDays()
                            <= s.policy().expiringWithinDays()) {
                continue;
            }
            Severity severity = left < s.policy().urgentWithinDays() ? Severity.MEDIUM : Severity.LOW;
            out.accept(Detection.of(severity, Subject.label(c) + " expires at " + c.expiresAt())
                    .credential(c)
                    .fact("expiresAt", c.expiresAt())
                    .fact("expiringWithinDays", s.policy().expiringWithinDays())
                    .fact("urgentWithinDays", s.policy().urgentWithinDays())
                    .build());
        }
    }
}
