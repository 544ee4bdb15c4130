package dev.warden.posture.checks;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.IdentityKind;
import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import dev.warden.usage.UsageSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * NHI6: a CI workflow that reaches a cloud with static keys held as CI secrets
 * ({@code auth=static-secret|mixed}, or secrets passed as cloud credentials) instead of OIDC
 * federation. High; critical when a credential is written into the workflow itself
 * ({@code inlineCredentials}) or the workflow runs on {@code pull_request_target}, where fork code may
 * reach the secrets.
 *
 * <p>Also (key {@code ci-runner}): an AWS IAM user whose live access key CloudTrail shows used by
 * {@code aws-actions/configure-aws-credentials} within the usage window (its user agent carries
 * {@code configure-aws-credentials-for-github-actions}, {@code src/CredentialsClient.ts}): the
 * static key is fed to CI. High, on the key the logs name when they name one.
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

    /** The action's own STS calls carry this in their user agent (configure-aws-credentials src/CredentialsClient.ts). */
    static final String CI_USER_AGENT = "configure-aws-credentials-for-github-actions";

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        if (s.identity().kind() == IdentityKind.CLOUD_USER) {
            runnerKeys(s, out);
            return;
        }
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

    private void runnerKeys(Subject s, Consumer<Detection> out) {
        UsageSummary u = s.usage();
        if (u == null || !s.identity().source().type().equals("aws")) {
            return;
        }
        Instant start = s.asOf().minus(Duration.ofDays(s.policy().usageWindowDays()));
        List<String> agents = u.userAgents().stream()
                .filter(c -> !c.last().isBefore(start) && c.value().contains(CI_USER_AGENT))
                .map(UsageSummary.Counted::value)
                .toList();
        List<Credential> keys = s.credentials().stream()
                .filter(c -> c.kind() == CredentialKind.ACCESS_KEY && s.live(c))
                .toList();
        if (agents.isEmpty() || keys.isEmpty()) {
            return;
        }
        List<String> used = u.credentials().stream()
                .filter(c -> !c.last().isBefore(start))
                .map(UsageSummary.Counted::value)
                .toList();
        Credential key = keys.size() == 1
                ? keys.get(0)
                : keys.stream()
                        .filter(k -> used.size() == 1 && used.get(0).equals(k.externalId()))
                        .findFirst()
                        .orElse(null);
        out.accept(Detection.of(Severity.HIGH, "IAM user's static access key is used from GitHub Actions runners")
                .key("ci-runner")
                .credential(key)
                .fact("accessKeys", keys.stream().map(Subject::label).toList())
                .fact("userAgents", agents.stream().limit(5).toList())
                .fact("usageWindowDays", s.policy().usageWindowDays())
                .build());
    }
}
