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
 * NHI5: administrator rights — AWS {@code AdministratorAccess} (or {@code *} / {@code iam:*} on every
 * resource without condition), Kubernetes {@code cluster-admin}, PostgreSQL {@code SUPERUSER}, a
 * scope named {@code admin}. Critical in production, high elsewhere.
 */
final class AdminPrivileges extends BaseCheck {
    AdminPrivileges() {
        super(
                "nhi5-admin",
                Risk.NHI5,
                List.of("PR.AA-05"),
                "Administrator rights (AdministratorAccess, cluster-admin, SUPERUSER)",
                "Give the identity a role scoped to what it does; keep administrator rights for break-glass"
                        + " identities that people use under review.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        List<String> via = new ArrayList<>();
        for (Entitlement e : s.entitlements()) {
            if (Privileges.isAdmin(e)) {
                String how = e.grantedVia() != null ? e.grantedVia() : Privileges.describe(e);
                if (!via.contains(how)) {
                    via.add(how);
                }
            }
        }
        if (s.attribute("clusterAdmin") != null && via.stream().noneMatch(v -> v.contains("cluster-admin"))) {
            via.add("cluster-admin via " + s.attribute("clusterAdmin"));
        }
        if (s.flag("superuser") && via.isEmpty()) {
            via.add("role attribute SUPERUSER");
        }
        if (via.isEmpty()) {
            return;
        }
        out.accept(Detection.of(
                        s.production() ? Severity.CRITICAL : Severity.HIGH,
                        "administrator rights via " + via.get(0)
                                + (via.size() > 1 ? " (+" + (via.size() - 1) + ")" : ""))
                .fact("grantedVia", via)
                .fact("environment", s.identity().environment())
                .fact("production", s.production())
                .build());
    }
}
