package dev.warden.inventory;

import java.util.List;
import java.util.Objects;

/**
 * One identity as Warden shows it, alike in {@code warden identities show --format json} and
 * {@code GET /v1/identities/{id}}: the identity with its credentials, entitlements and trusts, the
 * secrets of it that recorded scans found ({@code leaks}, most severe first) and its current
 * posture findings (open and accepted). Built only by {@link IdentityDetails}.
 *
 * <p>The inventory knows neither leaks nor findings: {@code L} is the scanner's leak and {@code F}
 * posture's finding, and the composition root supplies both, so inventory, scan and posture stay
 * independent of each other (as posture's {@code LeakSource} keeps it apart from the scanner).
 */
public record IdentityDetail<L, F>(
        Identity identity,
        List<Credential> credentials,
        List<Entitlement> entitlements,
        List<Trust> trusts,
        List<L> leaks,
        List<F> findings) {
    public IdentityDetail {
        Objects.requireNonNull(identity, "identity");
        credentials = List.copyOf(credentials);
        entitlements = List.copyOf(entitlements);
        trusts = List.copyOf(trusts);
        leaks = List.copyOf(leaks);
        findings = List.copyOf(findings);
    }
}
