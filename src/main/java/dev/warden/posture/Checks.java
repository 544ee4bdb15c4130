package dev.warden.posture;

import dev.warden.posture.checks.AdminPrivileges;
import dev.warden.posture.checks.CertificateValidity;
import dev.warden.posture.checks.CiStaticCloudKeys;
import dev.warden.posture.checks.ConsoleUse;
import dev.warden.posture.checks.CredentialAge;
import dev.warden.posture.checks.CrossEnvironmentCredential;
import dev.warden.posture.checks.Dormant;
import dev.warden.posture.checks.Expired;
import dev.warden.posture.checks.Expiring;
import dev.warden.posture.checks.HumanUserAgent;
import dev.warden.posture.checks.LeakedSecret;
import dev.warden.posture.checks.LegacyServiceAccountToken;
import dev.warden.posture.checks.ManySources;
import dev.warden.posture.checks.MultiAccountUse;
import dev.warden.posture.checks.MultiEnvironmentIdentity;
import dev.warden.posture.checks.NoOwner;
import dev.warden.posture.checks.OidcTrustSubject;
import dev.warden.posture.checks.SharedCredentialReuse;
import dev.warden.posture.checks.StaticCredentials;
import dev.warden.posture.checks.ThirdPartyAccess;
import dev.warden.posture.checks.TokenReplay;
import dev.warden.posture.checks.TokenWithoutExpiry;
import dev.warden.posture.checks.UnusedEntitlements;
import dev.warden.posture.checks.UnusedServiceAccount;
import dev.warden.posture.checks.WeakCertificate;
import dev.warden.posture.checks.WildcardPrivileges;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The built-in checks, by id. Adding a check means adding its class and a line here, nowhere else. */
public final class Checks {
    private static final Pattern ID = Pattern.compile("(nhi(10|[1-9])|lifecycle)-[a-z0-9-]{2,50}");

    private final Map<String, Check> byId = new LinkedHashMap<>();

    public Checks(List<Check> checks) {
        for (Check c : checks) {
            if (!ID.matcher(c.id()).matches()) {
                throw new IllegalStateException("check id '" + c.id() + "' is not nhiN-... or lifecycle-...");
            }
            String prefix = c.risk() == Risk.LIFECYCLE
                    ? "lifecycle-"
                    : c.risk().name().toLowerCase(java.util.Locale.ROOT) + "-";
            if (!c.id().startsWith(prefix)) {
                throw new IllegalStateException("check " + c.id() + " is filed under risk " + c.risk());
            }
            if (c.nist().isEmpty() || !c.nist().stream().allMatch(Nist::isKnown)) {
                throw new IllegalStateException("check " + c.id() + " names an unknown NIST CSF subcategory");
            }
            if (byId.put(c.id(), c) != null) {
                throw new IllegalStateException("two checks with id " + c.id());
            }
        }
    }

    /** Every check Warden ships, in risk order. */
    public static Checks builtIn() {
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

    public Collection<Check> all() {
        return byId.values();
    }

    public Set<String> ids() {
        return Set.copyOf(byId.keySet());
    }

    public Optional<Check> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The checks {@code policy} does not disable. */
    public List<Check> enabled(PosturePolicy policy) {
        return byId.values().stream()
                .filter(c -> !policy.disabledChecks().contains(c.id()))
                .toList();
    }

    /** The checks of {@code risk}. */
    public List<Check> of(Risk risk) {
        return byId.values().stream().filter(c -> c.risk() == risk).toList();
    }

    /** The checks that bear on a NIST CSF subcategory. */
    public List<Check> bearingOn(String subcategory) {
        return byId.values().stream()
                .filter(c -> c.nist().contains(subcategory))
                .toList();
    }
}
