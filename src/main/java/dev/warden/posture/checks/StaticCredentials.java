package dev.warden.posture.checks;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.IdentityKind;
import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import java.util.List;
import java.util.function.Consumer;

/**
 * NHI4: a machine IAM user with live access keys, where an IAM role (instance profile, EKS pod
 * identity or IRSA, OIDC federation from CI) would give short-lived credentials instead. Medium;
 * high with two live keys or admin rights; low advice ("federation possible") for one key within
 * {@code nhi7.maxCredentialAgeDays}, used within {@code nhi1.dormantDays}, on an owned identity.
 */
final class StaticCredentials extends BaseCheck {
    StaticCredentials() {
        super(
                "nhi4-static-credentials",
                Risk.NHI4,
                List.of("PR.AA-03", "PR.AA-01"),
                "Static cloud access keys where federation is available",
                "Replace the IAM user's access keys with an IAM role the workload assumes (instance profile, EKS Pod"
                        + " Identity/IRSA, or OIDC federation from CI), then deactivate and delete the keys.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        if (s.identity().kind() != IdentityKind.CLOUD_USER
                || !s.identity().source().type().equals("aws")
                || s.flag("root")) {
            return;
        }
        List<Credential> keys = s.credentials().stream()
                .filter(c -> c.kind() == CredentialKind.ACCESS_KEY && s.live(c))
                .toList();
        if (keys.isEmpty()) {
            return;
        }
        boolean admin = Privileges.breadth(s) == Privileges.Breadth.ADMIN;
        // a young, recently used key of an owned identity is advice (federation possible), not a risk
        boolean tended = keys.size() == 1
                && !admin
                && owned(s)
                && young(s, keys.get(0))
                && keys.get(0).lastUsedAt() != null
                && s.daysSince(s.capped(keys.get(0).lastUsedAt())) <= s.policy().dormantDays();
        Severity severity = keys.size() > 1 || admin ? Severity.HIGH : tended ? Severity.LOW : Severity.MEDIUM;
        out.accept(Detection.of(
                        severity,
                        keys.size() + " live access key(s) on a machine IAM user"
                                + (tended ? "; rotated, used and owned: federation possible" : ""))
                .fact("advice", tended ? Boolean.TRUE : null)
                .fact("accessKeys", keys.stream().map(Subject::label).toList())
                .fact("liveKeys", (long) keys.size())
                .fact("admin", admin)
                .fact("federation", "IAM role: instance profile, EKS Pod Identity/IRSA, or OIDC from CI")
                .build());
    }

    private static boolean owned(Subject s) {
        String b = s.identity().businessOwner();
        String t = s.identity().technicalOwner();
        return (b != null && !s.policy().isPlaceholderOwner(b))
                || (t != null && !s.policy().isPlaceholderOwner(t));
    }

    /** Within {@code nhi7.maxCredentialAgeDays} since last rotation, else creation. */
    private static boolean young(Subject s, Credential key) {
        java.time.Instant since = key.lastRotatedAt() != null ? key.lastRotatedAt() : key.createdAt();
        return since != null && s.daysSince(since) <= s.policy().maxCredentialAgeDays();
    }
}
