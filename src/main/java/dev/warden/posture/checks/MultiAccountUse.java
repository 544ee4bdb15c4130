package dev.warden.posture.checks;

import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Subject;
import dev.warden.usage.UsageSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * NHI8: one identity whose calls, within the usage window, landed in more than one AWS account (its
 * own and others, as CloudTrail's {@code recipientAccountId} records them). One identity crossing
 * account boundaries joins environments the accounts were meant to keep apart. High when production
 * accounts ({@code nhi8.productionAccounts}) and others mix, medium otherwise.
 */
final class MultiAccountUse extends BaseCheck {
    MultiAccountUse() {
        super(
                "nhi8-multi-account-use",
                Risk.NHI8,
                List.of("PR.IR-01", "PR.AA-05"),
                "One identity used in several accounts",
                "Give the workload one identity per account (a role in each account, assumed only from its own"
                        + " environment), and remove the cross-account grants the evidence lists.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        UsageSummary u = s.usage();
        if (u == null || u.targets().isEmpty()) {
            return;
        }
        Instant windowStart = s.asOf().minus(Duration.ofDays(s.policy().usageWindowDays()));
        Set<String> accounts = new TreeSet<>();
        for (UsageSummary.Counted c : u.targets()) {
            if (!c.last().isBefore(windowStart)) {
                accounts.add(c.value());
            }
        }
        if (accounts.isEmpty()) {
            return;
        }
        String home = s.identity().source().scope();
        if (home != null && home.matches("\\d{12}")) {
            accounts.add(home);
        }
        if (accounts.size() < 2) {
            return;
        }
        Set<String> production = Set.copyOf(s.policy().productionAccounts());
        boolean prod = accounts.stream().anyMatch(production::contains);
        boolean other = accounts.stream().anyMatch(a -> !production.contains(a));
        out.accept(Detection.of(
                        prod && other ? Severity.HIGH : Severity.MEDIUM,
                        "used in " + accounts.size() + " accounts in "
                                + s.policy().usageWindowDays() + " days")
                .fact("accounts", List.copyOf(accounts))
                .fact("homeAccount", home)
                .fact("productionAccounts", production.isEmpty() ? null : List.copyOf(new TreeSet<>(production)))
                .fact("usageWindowDays", s.policy().usageWindowDays())
                .build());
    }
}
