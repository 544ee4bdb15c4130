package dev.warden.posture.checks;

import dev.warden.inventory.IdentityKind;
import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import dev.warden.usage.UsageSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * NHI10: a machine identity used from a person's tools within the usage window: a browser
 * ({@code Mozilla/...}: high), a workstation (a CLI or SDK reporting macOS or Windows: medium), or,
 * for a Kubernetes service account, {@code kubectl} (medium; high from macOS or Windows, i.e. from
 * outside the cluster on someone's laptop).
 */
final class HumanUserAgent extends BaseCheck {
    private static final Pattern WORKSTATION = Pattern.compile(
            "(?i).*(os/macos|os/windows|macintosh|windows nt|darwin/|\\(darwin|windows/|\\(windows|win32|win64).*");

    HumanUserAgent() {
        super(
                "nhi10-human-user-agent",
                Risk.NHI10,
                List.of("DE.CM-03", "PR.AA-01"),
                "Machine identity used from a browser, a workstation or kubectl",
                "Find the person using the machine identity's credentials (the evidence lists the user agents),"
                        + " give them their own access, and rotate the credentials they held.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        UsageSummary u = s.usage();
        if (u == null) {
            return;
        }
        Instant windowStart = s.asOf().minus(Duration.ofDays(s.policy().usageWindowDays()));
        List<String> browser = new ArrayList<>();
        List<String> workstation = new ArrayList<>();
        List<String> kubectl = new ArrayList<>();
        boolean kubectlFromWorkstation = false;
        boolean serviceAccount = s.identity().kind() == IdentityKind.KUBERNETES_SERVICE_ACCOUNT;
        for (UsageSummary.Counted c : u.userAgents()) {
            if (c.last().isBefore(windowStart)) {
                continue;
            }
            String ua = c.value();
            String shown = ua + " (" + c.count() + " events, last " + c.last() + ")";
            if (serviceAccount && ua.startsWith("kubectl/")) {
                kubectl.add(shown);
                kubectlFromWorkstation |= WORKSTATION.matcher(ua).matches();
            } else if (ua.startsWith("Mozilla/")) {
                browser.add(shown);
            } else if (WORKSTATION.matcher(ua).matches()) {
                workstation.add(shown);
            }
        }
        emit(out, s, "browser", Severity.HIGH, browser, "used from a web browser");
        emit(out, s, "workstation", Severity.MEDIUM, workstation, "used from a workstation (macOS/Windows tools)");
        emit(
                out,
                s,
                "kubectl",
                kubectlFromWorkstation ? Severity.HIGH : Severity.MEDIUM,
                kubectl,
                "service account used with kubectl" + (kubectlFromWorkstation ? " from a workstation" : ""));
    }

    private static void emit(
            Consumer<Detection> out, Subject s, String key, Severity severity, List<String> agents, String summary) {
        if (agents.isEmpty()) {
            return;
        }
        out.accept(Detection.of(severity, summary)
                .key(key)
                .fact("userAgents", agents)
                .fact("usageWindowDays", s.policy().usageWindowDays())
                .build());
    }
}
