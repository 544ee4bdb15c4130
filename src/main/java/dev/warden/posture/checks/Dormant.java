package dev.warden.posture.checks;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityStatus;
import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * NHI1: dormant — last used more than {@code nhi1.dormantDays} ago, or never used and first seen (or
 * created) more than {@code nhi1.neverUsedGraceDays} ago. Last use is the latest of the usage logs,
 * the credentials' last use and the source's own record ({@code lastUsedAt}, as AWS keeps for roles).
 * Only where use is observable: usage was ingested for the identity's source scope, or the source
 * records last use (AWS roles; AWS users in a credential report), or some last use is known —
 * otherwise "never used" would only mean "never looked". Disabled identities are skipped (disabling
 * is the remedy). High when the identity holds a live static credential or admin rights.
 */
public final class Dormant extends BaseCheck {
    private static final Set<CredentialKind> STATIC = Set.of(
            CredentialKind.ACCESS_KEY,
            CredentialKind.PASSWORD,
            CredentialKind.API_KEY,
            CredentialKind.CLIENT_SECRET,
            CredentialKind.SSH_KEY);

    public Dormant() {
        super(
                "nhi1-dormant",
                Risk.NHI1,
                List.of("PR.AA-01", "PR.AA-05", "ID.AM-08"),
                "Identity unused for longer than policy, or never used",
                "Confirm with the owner that nothing needs this identity, then disable its credentials and remove it"
                        + " after a grace period; if it is needed, record why and by what.");
    }

    private record LastUse(Instant at, String from) {}

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        Identity i = s.identity();
        if (i.status() == IdentityStatus.DISABLED) {
            return;
        }
        Optional<LastUse> last = lastUse(s);
        boolean observable = last.isPresent() || s.usageCovered() || sourceRecordsUse(s);
        if (!observable) {
            return;
        }
        Severity severity = risky(s) ? Severity.HIGH : Severity.MEDIUM;
        if (last.isPresent()) {
            long days = s.daysSince(last.get().at());
            if (days > s.policy().dormantDays()) {
                out.accept(Detection.of(
                                severity,
                                "not used for " + days + " days (policy: "
                                        + s.policy().dormantDays() + ")")
                        .fact("lastUsedAt", last.get().at())
                        .fact("lastUseFrom", last.get().from())
                        .fact("daysUnused", days)
                        .fact("dormantDays", s.policy().dormantDays())
                        .fact("liveStaticCredentials", staticCredentials(s))
                        .build());
            }
            return;
        }
        Instant since = i.createdAt() != null && !i.createdAt().isAfter(i.firstSeen()) ? i.createdAt() : i.firstSeen();
        long age = s.daysSince(since);
        if (age > s.policy().neverUsedGraceDays()) {
            out.accept(Detection.of(
                            severity,
                            "never used in " + age + " days (grace: "
                                    + s.policy().neverUsedGraceDays() + ")")
                    .fact("lastUsedAt", "never")
                    .fact("since", since)
                    .fact("ageDays", age)
                    .fact("neverUsedGraceDays", s.policy().neverUsedGraceDays())
                    .fact("usageLogsIngested", s.usageCovered())
                    .fact("liveStaticCredentials", staticCredentials(s))
                    .build());
        }
    }

    private static Optional<LastUse> lastUse(Subject s) {
        LastUse best = null;
        if (s.usage() != null) {
            best = new LastUse(s.capped(s.usage().lastUsed()), "usage logs");
        }
        for (Credential c : s.credentials()) {
            Instant t = s.capped(c.lastUsedAt());
            if (t != null && (best == null || t.isAfter(best.at()))) {
                best = new LastUse(t, "credential " + Subject.label(c));
            }
        }
        Optional<Instant> attr = s.attributeInstant("lastUsedAt");
        if (attr.isPresent() && (best == null || attr.get().isAfter(best.at()))) {
            best = new LastUse(attr.get(), "source record (lastUsedAt)");
        }
        return Optional.ofNullable(best);
    }

    /** AWS records last use of every role, and of users' keys and passwords in the credential report. */
    private static boolean sourceRecordsUse(Subject s) {
        Identity i = s.identity();
        if (!i.source().type().equals("aws")) {
            return false;
        }
        return i.kind() == IdentityKind.CLOUD_ROLE || i.attributes().containsKey("consolePassword");
    }

    private static boolean risky(Subject s) {
        return !staticCredentials(s).isEmpty() || Privileges.breadth(s) == Privileges.Breadth.ADMIN;
    }

    private static List<String> staticCredentials(Subject s) {
        return s.credentials().stream()
                .filter(c -> STATIC.contains(c.kind()) && s.live(c))
                .map(Subject::label)
                .toList();
    }
}
