package dev.warden.posture.checks;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * NHI7: a live certificate whose validity (notBefore to notAfter) exceeds
 * {@code nhi7.maxCertificateValidityDays} (398 by default, the CA/Browser Forum limit for TLS
 * leaves). CA certificates ({@code is_ca=true}) are not held to it. Medium.
 */
final class CertificateValidity extends BaseCheck {
    CertificateValidity() {
        super(
                "nhi7-certificate-validity",
                Risk.NHI7,
                List.of("PR.AA-01"),
                "Certificate validity longer than policy",
                "Reissue the certificate with a validity within policy and automate renewal (ACME, cert-manager,"
                        + " a SPIFFE issuer).");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        if (s.flag("is_ca")) {
            return;
        }
        for (Credential c : s.credentials()) {
            if (c.kind() != CredentialKind.CERTIFICATE
                    || c.createdAt() == null
                    || c.expiresAt() == null
                    || !s.live(c)) {
                continue;
            }
            long days = Duration.between(c.createdAt(), c.expiresAt()).toDays();
            if (days <= s.policy().maxCertificateValidityDays()) {
                continue;
            }
            out.accept(Detection.of(
                            Severity.MEDIUM,
                            "certificate valid for " + days + " days (policy: "
                                    + s.policy().maxCertificateValidityDays() + ")")
                    .credential(c)
                    .fact("notBefore", c.createdAt())
                    .fact("notAfter", c.expiresAt())
                    .fact("validityDays", days)
                    .fact("maxCertificateValidityDays", s.policy().maxCertificateValidityDays())
                    .build());
        }
    }
}
