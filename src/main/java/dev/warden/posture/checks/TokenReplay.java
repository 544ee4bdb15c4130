package dev.warden.posture.checks;

import dev.warden.posture.Detection;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.posture.Signal;
import dev.warden.posture.Subject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * NHI2: the broker refused a subject token of this workload because its {@code jti} had already been
 * accepted — someone else holds a copy of the workload's token, or the workload leaks it (logs, a
 * shared cache). One finding per workload while a replay happened within {@code
 * nhi2.replayWindowDays}; it resolves once that many days pass without another. High; critical when
 * replays came from more than one source address.
 */
final class TokenReplay extends BaseCheck {
    /** The {@link Signal#kind()} the broker records for a refused replay. */
    public static final String KIND = "token_replay";

    TokenReplay() {
        super(
                "nhi2-token-replay",
                Risk.NHI2,
                List.of("PR.AA-03", "DE.AE-02"),
                "A subject token of this workload was presented again after it had been used",
                "Find where the workload's token is exposed (logs, CI output, shared caches) and who presented it"
                        + " again (source address in the evidence); shorten the issuer's token lifetime and rotate"
                        + " whatever let another party obtain it.");
    }

    @Override
    public void evaluate(Subject s, Consumer<Detection> out) {
        Instant since = s.asOf().minus(Duration.ofDays(s.policy().replayWindowDays()));
        List<Signal> replays = s.signals().stream()
                .filter(x -> KIND.equals(x.kind()) && x.at().isAfter(since))
                .toList();
        if (replays.isEmpty()) {
            return;
        }
        Signal last = replays.get(0);
        Instant first = last.at();
        Set<String> sources = new TreeSet<>();
        for (Signal r : replays) {
            if (r.at().isAfter(last.at())) {
                last = r;
            }
            if (r.at().isBefore(first)) {
                first = r.at();
            }
            String source = r.evidence().get("sourceAddress");
            if (source != null && !source.isBlank()) {
                sources.add(source);
            }
        }
        Severity severity = sources.size() > 1 ? Severity.CRITICAL : Severity.HIGH;
        out.accept(Detection.of(
                        severity,
                        replays.size() + " replayed subject token" + (replays.size() == 1 ? "" : "s") + " refused in "
                                + s.policy().replayWindowDays() + " days")
                .key(KIND)
                .fact("replays", replays.size())
                .fact("firstReplay", first)
                .fact("lastReplay", last.at())
                .fact("sourceAddresses", String.join(" ", sources))
                .fact("attestor", last.evidence().get("attestor"))
                .fact("windowDays", s.policy().replayWindowDays())
                .build());
    }
}
