package dev.warden.posture.checks;

import dev.warden.inventory.Credential;
import dev.warden.posture.Detection;
import dev.warden.posture.LeakSighting;
import dev.warden.posture.LeakSource;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import java.util.List;
import java.util.function.Consumer;

/**
 * NHI2: a secret of this identity was found in code, git history, CI configuration or logs, as the
 * {@link LeakSource} (the secret scanner's recorded scans) reports it. Critical when the leaked
 * credential is still live or the secret is still in the current tree; high otherwise (deactivated,
 * or only in history). When the leaked credential has been deleted from its source (it is no longer
 * in the inventory) the secret is dead: the finding resolves, unless the secret is still in the
 * current tree, which stays a low finding until someone removes it.
 */
final class LeakedSecret extends BaseCheck {
    LeakedSecret() {
        super(
                "nhi2-leaked-secret",
                Risk.NHI2,
                List.of("PR.AA-01", "PR.DS-01"),
                "A secret of this identity was found where it does not belong",
                "Revoke and rotate the credential now, check its usage since the leak for misuse, then remove the"
                        + " secret from the file and from history.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        for (LeakSighting leak : s.leaks()) {
            Credential credential = leak.credentialId() == null
                    ? null
                    : s.credentials().stream()
                            .filter(c -> leak.credentialId().equals(c.id()))
                            .findFirst()
                            .orElse(null);
            boolean live = credential != null && s.live(credential);
            boolean atHead = Boolean.TRUE.equals(leak.presentAtHead());
            boolean deleted = leak.credentialId() != null && credential == null;
            if (deleted && !atHead) {
                continue;
            }
            Severity severity = deleted ? Severity.LOW : live || atHead ? Severity.CRITICAL : Severity.HIGH;
            String summary = deleted
                    ? "the secret of a deleted credential is still in " + leak.location()
                    : "secret found in " + leak.location();
            out.accept(Detection.of(severity, summary)
                    .credentialId(leak.credentialId())
                    .key(leak.fingerprint())
                    .fact("rule", leak.rule())
                    .fact("location", leak.location())
                    .fact("foundAt", leak.foundAt())
                    .fact("presentAtHead", leak.presentAtHead())
                    .fact("credentialLive", credential == null ? null : live)
                    .fact("credentialDeleted", deleted ? Boolean.TRUE : null)
                    .fact("fingerprint", leak.fingerprint())
                    .build());
        }
    }
}
