package dev.warden.posture.checks;

import dev.warden.inventory.Credential;
import dev.warden.inventory.IdentityKind;
import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import java.util.List;
import java.util.function.Consumer;

/**
 * NHI6: a CI workflow that reaches a cloud with static keys held as CI secrets
 * ({@code auth=static-secret|mixed}, or secrets passed as cloud credentials) instead of OIDC
 * federation. High; critical when a credential is written into the workflow itself
 * ({@code inlineCredentials}) or the workflow runs on {@code pull_request_target}, where fork code may
 * reach the secrets.
 */
final class CiStaticCloudKeys extends BaseCheck {
    CiStaticCloudKeys() {
        super(
                "nhi6-ci-static-cloud-keys",
                Risk.NHI6,
                List.of("PR.PS-01", "PR.AA-03"),
                "CI workflow uses static cloud keys instead of OIDC federation",
                "Configure OIDC federation between the CI provider and the cloud (e.g. aws-actions/"
                        + "configure-aws-credentials with role-to-assume and id-token: write), scope the cloud role's"
                        + " trust to this repository and branch, then delete the secret keys.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        if (s.identity().kind() != IdentityKind.CI_INTEGRATION) {
            return;
        }
        String auth = s.attribute("auth");
        List<Credential> cloud = s.credentials().stream()
                .filter(c -> "true".equalsIgnoreCase(Subject.attribute(c, "cloudCredential")))
                .toList();
        boolean staticAuth = "static-secret".equals(auth) || "mixed".equals(auth);
        if (!staticAuth && cloud.isEmpty()) {
            return;
        }
        boolean inline = s.attribute("inlineCredentials") != null;
        boolean prTarget = s.flag("pullRequestTarget");
        Severity severity = inline || prTarget ? Severity.CRITICAL : Severity.HIGH;
        out.accept(Detection.of(
                        severity,
                        "workflow authenticates to "
                                + (s.attribute("clouds") != null ? s.attribute("clouds") : "the cloud")
                                + " with static secrets" + (inline ? " (a credential is written in the workflow)" : ""))
                .fact("auth", auth)
                .fact("clouds", s.attribute("clouds"))
                .fact("cloudSecrets", cloud.stream().map(Subject::label).toList())
                .fact("jobs", s.attribute("jobs"))
                .fact("inlineCredentials", s.attribute("inlineCredentials"))
                .fact("pullRequestTarget", prTarget ? Boolean.TRUE : null)
                .fact("repository", s.attribute("repository"))
                .build());
    }
}
