package dev.warden.posture.checks;

import dev.warden.inventory.Effect;
import dev.warden.inventory.Trust;
import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * NHI6: a role trusting an OIDC provider ({@code sts:AssumeRoleWithWebIdentity}) without a
 * {@code sub} condition, or with a wildcard one. Without it, any workload the provider issues tokens
 * for may assume the role: critical for providers anyone can get tokens from (GitHub Actions,
 * GitLab.com, Terraform Cloud, Google accounts), high otherwise. A {@code sub} pattern (only under a
 * {@code ...Like} operator is {@code *} a wildcard) that is just {@code *} counts as none; one that
 * leaves the repository or namespace open ({@code repo:org/*}) is high; one that pins the repository
 * and leaves the branch or environment open ({@code repo:org/app:*}) is medium. Amazon Cognito is
 * judged on its {@code aud} condition instead.
 */
final class OidcTrustSubject extends BaseCheck {
    private static final List<String> PUBLIC_ISSUERS =
            List.of("token.actions.githubusercontent.com", "gitlab.com", "app.terraform.io", "accounts.google.com");
    private static final Pattern GITHUB_PINNED = Pattern.compile("repo:[^/*?]+/[^:*?]+:.*");
    private static final Pattern EKS_PINNED = Pattern.compile("system:serviceaccount:[^:*?]+:.*");

    OidcTrustSubject() {
        super(
                "nhi6-oidc-trust-subject",
                Risk.NHI6,
                List.of("PR.AA-03", "PR.AA-05", "PR.PS-01"),
                "OIDC trust without a sub condition, or with a wildcard one",
                "Add a StringEquals condition on the provider's sub claim naming exactly the repository and branch"
                        + " (or environment) or service account allowed, besides the aud condition.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        for (Trust t : s.trusts()) {
            if (t.effect() != Effect.ALLOW
                    || !t.principalType().equalsIgnoreCase("federated")
                    || !t.action().toLowerCase(Locale.ROOT).contains("assumerolewithwebidentity")
                    || t.principal().contains("saml-provider/")) {
                continue;
            }
            String provider = t.principal().contains("oidc-provider/")
                    ? t.principal().substring(t.principal().indexOf("oidc-provider/") + "oidc-provider/".length())
                    : t.principal();
            boolean cognito = provider.startsWith("cognito-identity.amazonaws.com");
            String claim = cognito ? ":aud" : ":sub";
            List<Conditions.Clause> clauses = Conditions.parse(t.condition());
            List<Conditions.Clause> subs = clauses.stream()
                    .filter(c -> c.positive() && c.keyEndsWith(claim))
                    .toList();
            boolean open = PUBLIC_ISSUERS.stream().anyMatch(provider::startsWith);
            Severity none = open ? Severity.CRITICAL : Severity.HIGH;
            Severity severity = null;
            String reason = null;
            List<String> shown = new ArrayList<>();
            if (subs.isEmpty()) {
                severity = none;
                reason = "no " + claim.substring(1) + " condition";
            } else {
                for (Conditions.Clause c : subs) {
                    for (String v : c.values()) {
                        shown.add(c.operator() + " " + c.key() + " " + v);
                        if (!c.wildcards() || !Glob.hasWildcard(v)) {
                            continue;
                        }
                        Severity sev;
                        String why;
                        if (v.strip().equals("*")) {
                            sev = none;
                            why = claim.substring(1) + " matches anything ('*')";
                        } else if (GITHUB_PINNED.matcher(v).matches()
                                || EKS_PINNED.matcher(v).matches()) {
                            sev = Severity.MEDIUM;
                            why = "wildcard " + claim.substring(1) + " '" + v
                                    + "' leaves branches or environments open";
                        } else {
                            sev = Severity.HIGH;
                            why = "wildcard " + claim.substring(1) + " '" + v
                                    + "' leaves repositories or namespaces open";
                        }
                        if (severity == null || sev.atLeast(severity) && sev != severity) {
                            severity = sev;
                            reason = why;
                        }
                    }
                }
            }
            if (severity == null) {
                continue;
            }
            out.accept(Detection.of(severity, "OIDC trust on " + provider + ": " + reason)
                    .key(t.principal())
                    .fact("provider", provider)
                    .fact("principal", t.principal())
                    .fact("publicIssuer", open)
                    .fact("reason", reason)
                    .fact("subjectConditions", shown)
                    .fact("condition", t.condition())
                    .build());
        }
    }
}
