package dev.warden.posture.checks;

import dev.warden.posture.Checks;
import java.util.List;

/**
 * The registry of the checks Warden ships, beside them so that each check stays package-private.
 * Adding a check means adding its class and a line here, nowhere else.
 */
public final class BuiltInChecks {
    private BuiltInChecks() {}

    /** Every check Warden ships, in risk order. */
    public static Checks registry() {
        return new Checks(List.of(
                new NoOwner(),
                new Dormant(),
                new UnusedServiceAccount(),
                new LeakedSecret(),
                new TokenReplay(),
                new ThirdPartyAccess(),
                new LegacyServiceAccountToken(),
                new WeakCertificate(),
                new StaticCredentials(),
                new WildcardPrivileges(),
                new AdminPrivileges(),
                new UnusedEntitlements(),
                new CiStaticCloudKeys(),
                new OidcTrustSubject(),
                new CredentialAge(),
                new CertificateValidity(),
                new TokenWithoutExpiry(),
                new IrrevocableLease(),
                new CrossEnvironmentCredential(),
                new MultiEnvironmentIdentity(),
                new MultiAccountUse(),
                new ManySources(),
                new SharedCredentialReuse(),
                new ConsoleUse(),
                new HumanUserAgent(),
                new Expiring(),
                new Expired()));
    }
}
