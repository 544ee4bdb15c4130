package dev.warden.posture.checks;

import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import dev.warden.usage.UsageSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * NHI9: an identity used from more distinct source addresses ({@code nhi9.maxSourceIps}; medium) or
 * user agents ({@code nhi9.maxUserAgents}; low) within the usage window than one workload plausibly
 * has: a sign the same credentials are copied into several places. Only IP addresses count as
 * sources (CloudTrail also names AWS services there).
 */
final class ManySources extends BaseCheck {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    ManySources() {
        super(
                "nhi9-many-sources",
                Risk.NHI9,
                List.of("DE.CM-03", "PR.AA-01"),
                "Identity used from more distinct sources than one workload has",
                "Find every place the credential is deployed (the evidence lists the busiest sources), give each"
                        + " workload its own identity, and rotate the shared credential.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        UsageSummary u = s.usage();
        if (u == null) {
            return;
        }
        Instant windowStart = s.asOf().minus(Duration.ofDays(s.policy().usageWindowDays()));
        List<UsageSummary.Counted> ips = u.sourceIps().stream()
                .filter(c -> !c.last().isBefore(windowStart))
                .filter(c -> IPV4.matcher(c.value()).matches()
                        || IPV6.matcher(c.value()).matches())
                .toList();
        if (ips.size() > s.policy().maxSourceIps()) {
            out.accept(Detection.of(
                            Severity.MEDIUM,
                            "used from " + ips.size() + " source addresses in "
                                    + s.policy().usageWindowDays() + " days (policy: "
                                    + s.policy().maxSourceIps() + ")")
                    .key("source-ips")
                    .fact("distinctSourceIps", (long) ips.size())
                    .fact("maxSourceIps", s.policy().maxSourceIps())
                    .fact(
                            "busiest",
                            ips.stream().limit(10).map(ManySources::shown).toList())
                    .fact("usageWindowDays", s.policy().usageWindowDays())
                    .build());
        }
        List<UsageSummary.Counted> agents = u.userAgents().stream()
                .filter(c -> !c.last().isBefore(windowStart))
                .toList();
        if (agents.size() > s.policy().maxUserAgents()) {
            out.accept(Detection.of(
                            Severity.LOW,
                            "used with " + agents.size() + " user agents in "
                                    + s.policy().usageWindowDays() + " days (policy: "
                                    + s.policy().maxUserAgents() + ")")
                    .key("user-agents")
                    .fact("distinctUserAgents", (long) agents.size())
                    .fact("maxUserAgents", s.policy().maxUserAgents())
                    .fact(
                            "busiest",
                            agents.stream().limit(10).map(ManySources::shown).toList())
                    .fact("usageWindowDays", s.policy().usageWindowDays())
                    .build());
        }
    }

    private static String shown(UsageSummary.Counted c) {
        return c.value() + " (" + c.count() + " events)";
    }
}
