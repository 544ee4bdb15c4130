package dev.warden.posture.checks;

import dev.warden.inventory.Entitlement;
import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * NHI5: allow entitlements with wildcard actions or resources (admin grants are left to
 * {@link AdminPrivileges}). AWS: {@code *} or {@code NotAction} high; a whole service
 * ({@code s3:*}) medium, high for services that escalate ({@code iam}, {@code sts}, {@code kms},
 * {@code secretsmanager}, {@code organizations}); a write action on every resource medium; a read
 * action or action pattern on every resource low. Kubernetes: any verb on any resource high, a
 * wildcard verb or resource medium. Others: {@code *} high. One finding per identity, listing them.
 */
final class WildcardPrivileges extends BaseCheck {
    WildcardPrivileges() {
        super(
                "nhi5-wildcard",
                Risk.NHI5,
                List.of("PR.AA-05"),
                "Wildcard actions or resources in the identity's grants",
                "Replace wildcards with the actions and resources the identity uses (see the usage-based finding"
                        + " nhi5-unused-entitlements, or IAM Access Analyzer policy generation).");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        String type = s.identity().source().type();
        Severity worst = null;
        List<String> found = new ArrayList<>();
        for (Entitlement e : s.entitlements()) {
            if (!Privileges.allows(e) || Privileges.isAdmin(e)) {
                continue;
            }
            Severity sev = switch (type) {
                case "aws" -> aws(e);
                case "kubernetes" -> kubernetes(e);
                default -> e.action().equals("*") ? Severity.HIGH : null;
            };
            if (sev != null) {
                worst = worst == null ? sev : Severity.max(worst, sev);
                found.add(Privileges.describe(e));
            }
        }
        if (worst == null) {
            return;
        }
        out.accept(Detection.of(worst, found.size() + " wildcard grant(s), e.g. " + found.get(0))
                .fact("wildcards", found)
                .fact("count", (long) found.size())
                .build());
    }

    private static Severity aws(Entitlement e) {
        String action = e.action();
        if (action.startsWith("policy:") || action.startsWith("unresolved")) {
            return null;
        }
        boolean anyResource = e.resource().equals("*") || e.resource().startsWith("NotResource:");
        if (action.equals("*") || action.startsWith("NotAction:")) {
            return Severity.HIGH;
        }
        if (Privileges.awsAction(action).equals("*")) {
            return Privileges.escalating(action) ? Severity.HIGH : Severity.MEDIUM;
        }
        if (anyResource) {
            return Privileges.awsReadOnly(action) ? Severity.LOW : Severity.MEDIUM;
        }
        return Glob.hasWildcard(action) ? Severity.LOW : null;
    }

    private static Severity kubernetes(Entitlement e) {
        String[] vr = Privileges.k8s(e.action());
        if (vr == null) {
            return null;
        }
        boolean verb = vr[0].equals("*");
        boolean resource = vr[1].equals("*") || vr[1].equals("*/*") || vr[1].endsWith("/*");
        if (verb && resource) {
            return Severity.HIGH;
        }
        return verb || resource ? Severity.MEDIUM : null;
    }
}
