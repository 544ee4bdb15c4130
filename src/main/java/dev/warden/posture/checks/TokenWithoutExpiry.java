package dev.warden.posture.checks;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * NHI7: a live token, API key or client secret that never expires: the source says so
 * ({@code expires=never}, {@code longLived=true}), or a token whose source records dates has no
 * expiry. Credentials whose expiry the source cannot know (no dates at all) are not reported. Medium.
 */
final class TokenWithoutExpiry extends BaseCheck {
    private static final Set<CredentialKind> KINDS =
            Set.of(CredentialKind.TOKEN, CredentialKind.API_KEY, CredentialKind.CLIENT_SECRET);

    TokenWithoutExpiry() {
        super(
                "nhi7-no-expiry",
                Risk.NHI7,
                List.of("PR.AA-01"),
                "Token or key without expiry",
                "Issue the credential with an expiry (or replace it with short-lived tokens) and rotate it before"
                        + " then.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        for (Credential c : s.credentials()) {
            if (!KINDS.contains(c.kind()) || c.expiresAt() != null || !s.live(c)) {
                continue;
            }
            boolean never = "never".equalsIgnoreCase(Subject.attribute(c, "expires"));
            boolean longLived = "true".equalsIgnoreCase(Subject.attribute(c, "longLived"));
            boolean dated = c.kind() == CredentialKind.TOKEN && c.createdAt() != null;
            if (!never && !longLived && !dated) {
                continue;
            }
            out.accept(Detection.of(Severity.MEDIUM, Subject.label(c) + " never expires")
                    .credential(c)
                    .fact("createdAt", c.createdAt())
                    .fact("expires", "never")
                    .fact(
                            "why",
                            never ? "source: expires=never" : longLived ? "source: longLived" : "no expiry recorded")
                    .build());
        }
    }
}
