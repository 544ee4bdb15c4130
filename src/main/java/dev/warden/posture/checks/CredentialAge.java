package dev.warden.posture.checks;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * NHI7: a live static credential (access key, password, API key, client secret, SSH key, token) not
 * rotated for more than {@code nhi7.maxCredentialAgeDays} (medium) or
 * {@code nhi7.highCredentialAgeDays} (high), counted from its last rotation, else its creation.
 * Credentials whose whole lifetime is within the limit (short-lived by design) and credentials of
 * unknown age are not reported. Certificates are judged by {@link CertificateValidity}.
 */
final class CredentialAge extends BaseCheck {
    CredentialAge() {
        super(
                "nhi7-credential-age",
                Risk.NHI7,
                List.of("PR.AA-01"),
                "Credential not rotated within policy",
                "Rotate the credential (create the new one, switch the consumers, revoke the old one) and automate"
                        + " rotation, or replace it with short-lived credentials.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        for (Credential c : s.credentials()) {
            if (c.kind() == CredentialKind.CERTIFICATE || !s.live(c)) {
                continue;
            }
            Instant since = c.lastRotatedAt() != null && !c.lastRotatedAt().isAfter(s.asOf())
                    ? c.lastRotatedAt()
                    : c.createdAt();
            if (since == null || since.isAfter(s.asOf())) {
                continue;
            }
            if (c.expiresAt() != null
                    && Duration.between(since, c.expiresAt()).toDays()
                            <= s.policy().maxCredentialAgeDays()) {
                continue;
            }
            long age = s.daysSince(since);
            if (age <= s.policy().maxCredentialAgeDays()) {
                continue;
            }
            Severity severity = age > s.policy().highCredentialAgeDays() ? Severity.HIGH : Severity.MEDIUM;
            // Dates, not an age in days, so that the evidence changes only when the facts do.
            out.accept(Detection.of(
                            severity,
                            Subject.label(c) + " not rotated since " + Dormant.day(since) + " (policy: "
                                    + s.policy().maxCredentialAgeDays() + " days)")
                    .credential(c)
                    .fact("createdAt", c.createdAt())
                    .fact("lastRotatedAt", c.lastRotatedAt())
                    .fact("rotationDue", since.plus(Duration.ofDays(s.policy().maxCredentialAgeDays())))
                    .fact("maxCredentialAgeDays", s.policy().maxCredentialAgeDays())
                    .fact("highCredentialAgeDays", s.policy().highCredentialAgeDays())
                    .build());
        }
    }
}
