package dev.warden.posture.checks;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import dev.warden.usage.UsageEvent;
import dev.warden.usage.UsageSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * NHI10: a person signs in as a machine identity. Console sign-in events in the usage window
 * ({@code console-login}) are high; a console password on a machine identity (AWS
 * {@code consolePassword=true}, or a live console password credential) is medium: a person can.
 */
final class ConsoleUse extends BaseCheck {
    ConsoleUse() {
        super(
                "nhi10-console-use",
                Risk.NHI10,
                List.of("DE.CM-03", "PR.AA-01"),
                "Console sign-in on a machine identity",
                "Find who signs in with it (the evidence has when), give that person their own identity with MFA,"
                        + " and remove the machine identity's console password.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        UsageSummary u = s.usage();
        if (u != null) {
            Instant windowStart = s.asOf().minus(Duration.ofDays(s.policy().usageWindowDays()));
            u.eventTypes().stream()
                    .filter(t -> t.value().equals(UsageEvent.CONSOLE_LOGIN)
                            && !t.last().isBefore(windowStart))
                    .findFirst()
                    .ifPresent(t -> out.accept(
                            Detection.of(Severity.HIGH, t.count() + " console sign-in(s), last at " + t.last())
                                    .key("console-login")
                                    .fact("consoleSignIns", t.count())
                                    .fact("firstAt", t.first())
                                    .fact("lastAt", t.last())
                                    .fact("usageWindowDays", s.policy().usageWindowDays())
                                    .build()));
        }
        Credential password = s.credentials().stream()
                .filter(c -> c.kind() == CredentialKind.PASSWORD
                        && s.live(c)
                        && "AWS console sign-in".equals(Subject.attribute(c, "use")))
                .findFirst()
                .orElse(null);
        if (password != null || s.flag("consolePassword")) {
            out.accept(Detection.of(Severity.MEDIUM, "machine identity has a console password")
                    .key("console-password")
                    .fact("consolePassword", true)
                    .fact("passwordLastUsedAt", password == null ? null : password.lastUsedAt())
                    .fact("mfaActive", s.attribute("mfaActive"))
                    .build());
        }
    }
}
