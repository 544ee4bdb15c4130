package dev.warden.posture.checks;

import dev.warden.inventory.Credential;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityStatus;
import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * NHI1: a Kubernetes service account that no workload runs as ({@code usedByWorkloads=0}, which the
 * connector sets only when the namespace's workloads were imported) and that shows no activity in the
 * audit logs or through its tokens within {@code nhi1.dormantDays}. A namespace's {@code default}
 * account is skipped: unused is its intended state. Low; medium when it still holds live legacy
 * tokens or more than read access.
 */
final class UnusedServiceAccount extends BaseCheck {
    UnusedServiceAccount() {
        super(
                "nhi1-unused-service-account",
                Risk.NHI1,
                List.of("PR.AA-01", "ID.AM-08"),
                "Kubernetes service account used by no workload and with no audit activity",
                "Delete the service account with its role bindings and token secrets, or record which workload needs"
                        + " it.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        if (s.identity().kind() != IdentityKind.KUBERNETES_SERVICE_ACCOUNT
                || s.identity().status() != IdentityStatus.ACTIVE
                || !"0".equals(s.attribute("usedByWorkloads"))
                || s.identity().externalId().endsWith(":default")) {
            return;
        }
        Instant lastActivity = s.usage() == null ? null : s.capped(s.usage().lastUsed());
        for (Credential c : s.credentials()) {
            Instant t = s.capped(c.lastUsedAt());
            if (t != null && (lastActivity == null || t.isAfter(lastActivity))) {
                lastActivity = t;
            }
        }
        if (lastActivity != null && s.daysSince(lastActivity) <= s.policy().dormantDays()) {
            return;
        }
        long liveTokens = s.credentials().stream().filter(s::live).count();
        boolean broad = Privileges.breadth(s).ordinal() > Privileges.Breadth.READ.ordinal();
        Severity severity = liveTokens > 0 || broad ? Severity.MEDIUM : Severity.LOW;
        out.accept(Detection.of(severity, "no workload runs as this service account and it shows no activity")
                .fact("namespace", s.attribute("namespace"))
                .fact("usedByWorkloads", 0L)
                .fact("lastActivityAt", lastActivity == null ? "none" : lastActivity.toString())
                .fact("auditLogsIngested", s.usageCovered())
                .fact("dormantDays", s.policy().dormantDays())
                .fact("liveTokens", liveTokens)
                .fact("access", Privileges.breadth(s).value())
                .build());
    }
}
