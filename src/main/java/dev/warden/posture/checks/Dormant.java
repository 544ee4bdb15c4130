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
final class Dormant extends BaseCheck {
    private static final Set<CredentialKind> STATIC = Set.of(
            CredentialKind.ACCESS_KEY,
            CredentialKind.PASSWORD,
            CredentialKind.API_KEY,
            CredentialKind.CLIENT_SECRET,
            CredentialKind.SSH_KEY);

    Dormant() {
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
        // Evidence states dates, not day counts, so that it changes only when the facts do.
        if (last.isPresent()) {
            if (s.daysSince(last.get().at()) > s.policy().dormantDays()) {
                List<String> keys = staticCredentials(s);
                out.accept(Detection.of(
                                severity(s, keys),
                                "not used since " + day(last.get().at()) + " (policy: "
                                        + s.policy().dormantDays() + " days)")
                        .fact("lastUsedAt", last.get().at())
                        .fact("lastUseFrom", last.get().from())
                        .fact("dormantDays", s.policy().dormantDays())
                        .fact("liveStaticCredentials", keys)
                        .build());
            }
            return;
        }
        Instant since = i.createdAt() != null && !i.createdAt().isAfter(i.firstSeen()) ? i.createdAt() : i.firstSeen();
        if (s.daysSince(since) > s.policy().neverUsedGraceDays()) {
            List<String> keys = staticCredentials(s);
            out.accept(Detection.of(
                            severity(s, keys),
                            "never used since " + day(since) + " (grace: "
                                    + s.policy().neverUsedGraceDays() + " days)")
                    .fact("lastUsedAt", "never")
                    .fact("since", since)
                    .fact("neverUsedGraceDays", s.policy().neverUsedGraceDays())
                    .fact("usageLogsIngested", s.usageCovered())
                    .fact("liveStaticCredentials", keys)
                    .build());
        }
    }

    private static Optional<LastUse> lastUse(Subject s) {
        Instant best = null;
        Credential from = null;
        String source = null;
        if (s.usage() != null) {
            best = s.capped(s.usage().lastUsed());
            source = "usage logs";
        }
        for (Credential c : s.credentials()) {
            Instant t = s.capped(c.lastUsedAt());
            if (t != null && (best == null || t.isAfter(best))) {
                best = t;
                from = c;
            }
        }
        Optional<Instant> attr = s.attributeInstant("lastUsedAt");
        if (attr.isPresent() && (best == null || attr.get().isAfter(best))) {
            best = attr.get();
            from = null;
            source = "source record (lastUsedAt)";
        }
        if (best == null) {
            return Optional.empty();
        }
        return Optional.of(new LastUse(best, from != null ? "credential " + Subject.label(from) : source));
    }

    /** AWS records last use of every role, and of users' keys and passwords in the credential report. */
    private static boolean sourceRecordsUse(Subject s) {
        Identity i = s.identity();
        if (!i.source().type().equals("aws")) {
            return false;
        }
        return i.kind() == IdentityKind.CLOUD_ROLE || i.attributes().containsKey("consolePassword");
    }

    private static Severity severity(Subject s, List<String> liveStaticCredentials) {
        return !liveStaticCredentials.isEmpty() || Privileges.breadth(s) == Privileges.Breadth.ADMIN
                ? Severity.HIGH
                : Severity.MEDIUM;
    }

    static String day(Instant t) {
        return t.toString().substring(0, 10);
    }

    private static List<String> staticCredentials(Subject s) {
        return s.credentials().stream()
                .filter(c -> STATIC.contains(c.kind()) && s.live(c))
                .map(Subject::label)
                .toList();
    }
}
