package dev.warden.posture.checks;

import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * NHI8: one identity that works in several environments, as its source records them (the
 * {@code environments} attribute, e.g. the job environments of one GitHub Actions workflow that
 * deploys to staging and prod with the same credentials). High when production and non-production
 * mix, medium otherwise.
 */
final class MultiEnvironmentIdentity extends BaseCheck {
    MultiEnvironmentIdentity() {
        super(
                "nhi8-multi-environment-identity",
                Risk.NHI8,
                List.of("PR.IR-01", "PR.AA-05"),
                "One identity used in several environments",
                "Split the identity per environment (one workflow or job identity and one cloud role per"
                        + " environment, each trusted only from its own environment).");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        String listed = s.attribute("environments");
        if (listed == null) {
            return;
        }
        Set<String> envs = new TreeSet<>();
        for (String e : listed.split(",")) {
            if (!e.isBlank()) {
                envs.add(e.strip().toLowerCase(Locale.ROOT));
            }
        }
        if (envs.size() < 2) {
            return;
        }
        boolean prod = envs.stream().anyMatch(s.policy()::isProduction);
        boolean nonProd = envs.stream().anyMatch(e -> !s.policy().isProduction(e));
        out.accept(Detection.of(
                        prod && nonProd ? Severity.HIGH : Severity.MEDIUM,
                        "used in environments " + String.join(", ", envs))
                .fact("environments", List.copyOf(envs))
                .fact("jobs", s.attribute("jobs"))
                .build());
    }
}
