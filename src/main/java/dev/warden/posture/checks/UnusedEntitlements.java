package dev.warden.posture.checks;

import dev.warden.inventory.Entitlement;
import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import dev.warden.usage.UsageSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * NHI5: granted but unused — allow entitlements that no action in the usage logs exercised within
 * the usage window ({@code usageWindowDays}). Wildcard-aware: {@code s3:*} is used when any
 * {@code s3:} action was; {@code * pods} when any verb on pods was. Speaks only for identities with
 * usage data at all, observed for at least {@code nhi5.minObservedDays}, and only for grants usage
 * can show (AWS IAM actions; Kubernetes RBAC verbs), at action level (not resource). Low; medium
 * when an unused grant writes, is a wildcard or is admin.
 */
final class UnusedEntitlements extends BaseCheck {
    UnusedEntitlements() {
        super(
                "nhi5-unused-entitlements",
                Risk.NHI5,
                List.of("PR.AA-05"),
                "Entitlements granted but not used within the usage window",
                "Remove the unused grants (the evidence lists them), keeping what the usage logs show the identity"
                        + " does; re-check after a full business cycle.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        UsageSummary u = s.usage();
        String type = s.identity().source().type();
        if (u == null || !(type.equals("aws") || type.equals("kubernetes"))) {
            return;
        }
        long observed = s.daysSince(u.firstUsed());
        if (observed < s.policy().minObservedDays()) {
            return;
        }
        Instant windowStart = s.asOf().minus(Duration.ofDays(s.policy().usageWindowDays()));
        List<String> used = u.actions().stream()
                .filter(a -> !a.last().isBefore(windowStart))
                .map(UsageSummary.Counted::value)
                .toList();
        Set<String> unused = new LinkedHashSet<>();
        int granted = 0;
        Privileges.Breadth worst = Privileges.Breadth.NONE;
        for (Entitlement e : s.entitlements()) {
            if (!Privileges.allows(e) || !observable(e, type)) {
                continue;
            }
            granted++;
            if (used.stream().noneMatch(a -> usedBy(e.action(), a, type))) {
                unused.add(Privileges.describe(e));
                Privileges.Breadth b = Privileges.of(e, type);
                if (b.ordinal() > worst.ordinal()) {
                    worst = b;
                }
            }
        }
        if (unused.isEmpty()) {
            return;
        }
        Severity severity = worst.ordinal() >= Privileges.Breadth.WRITE.ordinal() ? Severity.MEDIUM : Severity.LOW;
        out.accept(Detection.of(
                        severity,
                        unused.size() + " of " + granted + " grants unused in "
                                + s.policy().usageWindowDays() + " days")
                .fact("unused", new ArrayList<>(unused))
                .fact("unusedCount", (long) unused.size())
                .fact("grantedCount", (long) granted)
                .fact("usedActions", used)
                .fact("usageWindowDays", s.policy().usageWindowDays())
                .fact("observedSince", u.firstUsed())
                .build());
    }

    /** Grants whose use the logs can show. */
    private static boolean observable(Entitlement e, String type) {
        String a = e.action();
        if (a.startsWith("policy:") || a.startsWith("NotAction:") || a.startsWith("unresolved")) {
            return false;
        }
        return type.equals("aws") ? a.equals("*") || a.indexOf(':') > 0 : Privileges.k8s(a) != null;
    }

    /** Whether the granted action (a pattern) covers the used one. */
    static boolean usedBy(String granted, String used, String type) {
        if (type.equals("aws")) {
            return Glob.matches(granted, used);
        }
        String[] g = Privileges.k8s(granted);
        String[] u = Privileges.k8s(used);
        if (g == null || u == null) {
            return false;
        }
        boolean verb = g[0].equals("*") || g[0].equals(u[0]);
        boolean resource = g[1].equals("*") || g[1].equals("*/*") || Glob.matches(g[1], u[1]);
        return verb && resource;
    }
}
