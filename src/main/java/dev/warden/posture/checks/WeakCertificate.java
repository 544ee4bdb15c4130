package dev.warden.posture.checks;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.IdentityKind;
import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * NHI4: a certificate with a weak key (RSA or DSA shorter than {@code nhi4.minRsaBits}, elliptic
 * curve shorter than {@code nhi4.minEcBits}: high; any DSA key: medium) or a weak signature (MD5 or
 * MD2: high; SHA-1: medium). A self-signed CA's own signature is not checked: nothing verifies it.
 * Reads the attributes the certificate connector records ({@code key_algorithm}, {@code key_size},
 * {@code signature_algorithm}, {@code is_ca}, {@code self_signed}).
 */
final class WeakCertificate extends BaseCheck {
    WeakCertificate() {
        super(
                "nhi4-weak-certificate",
                Risk.NHI4,
                List.of("PR.AA-03", "PR.DS-02"),
                "Certificate with a weak key or signature algorithm",
                "Reissue the certificate with an RSA key of at least 2048 bits or an ECDSA P-256/P-384 key, signed"
                        + " with SHA-256 or better, and retire the old one.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        if (s.identity().kind() != IdentityKind.CERTIFICATE) {
            return;
        }
        Credential cert = s.credentials().stream()
                .filter(c -> c.kind() == CredentialKind.CERTIFICATE)
                .findFirst()
                .orElse(null);
        String algorithm = s.attribute("key_algorithm");
        int bits = parse(s.attribute("key_size"));
        if (algorithm != null) {
            String a = algorithm.toUpperCase(Locale.ROOT);
            Severity severity = null;
            int min = 0;
            if ((a.startsWith("RSA") || a.equals("DSA"))
                    && bits > 0
                    && bits < s.policy().minRsaBits()) {
                severity = Severity.HIGH;
                min = s.policy().minRsaBits();
            } else if (a.equals("EC") && bits > 0 && bits < s.policy().minEcBits()) {
                severity = Severity.HIGH;
                min = s.policy().minEcBits();
            } else if (a.equals("DSA")) {
                severity = Severity.MEDIUM;
            }
            if (severity != null) {
                out.accept(Detection.of(
                                severity,
                                "weak key: " + algorithm + (bits > 0 ? " " + bits + "-bit" : "")
                                        + (min > 0 ? " (minimum " + min + ")" : " (deprecated algorithm)"))
                        .credential(cert)
                        .key("key")
                        .fact("keyAlgorithm", algorithm)
                        .fact("keySize", bits > 0 ? (long) bits : null)
                        .fact("keyCurve", s.attribute("key_curve"))
                        .fact("minimumBits", min > 0 ? (long) min : null)
                        .fact("subject", s.attribute("subject"))
                        .build());
            }
        }
        String signature = s.attribute("signature_algorithm");
        boolean trustAnchor = s.flag("self_signed") && s.flag("is_ca");
        if (signature != null && !trustAnchor) {
            String sig = signature.toUpperCase(Locale.ROOT).replace("-", "");
            Severity severity = sig.contains("MD5") || sig.contains("MD2")
                    ? Severity.HIGH
                    : sig.contains("SHA1") ? Severity.MEDIUM : null;
            if (severity != null) {
                out.accept(Detection.of(severity, "weak signature algorithm " + signature)
                        .credential(cert)
                        .key("signature")
                        .fact("signatureAlgorithm", signature)
                        .fact("issuer", s.attribute("issuer"))
                        .fact("subject", s.attribute("subject"))
                        .build());
            }
        }
    }

    private static int parse(String v) {
        if (v == null) {
            return 0;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
