package dev.warden.posture.checks;

import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.SharedCredential;
import dev.warden.posture.Subject;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * NHI8: one credential (same external id or fingerprint) recorded on identities of different
 * environments — a certificate served in prod and staging, a CI secret used by a prod and a dev
 * workflow. High when production and non-production share it, medium otherwise. Each holder gets
 * the finding on its own credential.
 */
final class CrossEnvironmentCredential extends BaseCheck {
    CrossEnvironmentCredential() {
        super(
                "nhi8-cross-environment-credential",
                Risk.NHI8,
                List.of("PR.IR-01", "PR.AA-05"),
                "One credential used across environments",
                "Issue a separate credential per environment, so that a non-production compromise cannot reach"
                        + " production, and revoke the shared one.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        for (SharedCredential shared : s.shared()) {
            Set<String> envs = new TreeSet<>();
            shared.holders().forEach(h -> {
                if (h.environment() != null) {
                    envs.add(h.environment().toLowerCase(Locale.ROOT));
                }
            });
            if (envs.size() < 2) {
                continue;
            }
            boolean prod = envs.stream().anyMatch(s.policy()::isProduction);
            boolean nonProd = envs.stream().anyMatch(e -> !s.policy().isProduction(e));
            out.accept(Detection.of(
                            prod && nonProd ? Severity.HIGH : Severity.MEDIUM,
                            "credential also held in environments " + String.join(", ", envs))
                    .credentialId(shared.credentialId())
                    .fact("shared", shared.key())
                    .fact("environments", List.copyOf(envs))
                    .fact(
                            "holders",
                            shared.holders().stream()
                                    .map(h -> h.name() + " ("
                                            + (h.environment() == null ? "no environment" : h.environment()) + ", "
                                            + h.source() + ")")
                                    .toList())
                    .build());
        }
    }
}
