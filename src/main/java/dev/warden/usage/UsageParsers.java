package dev.warden.usage;

import dev.warden.input.Echo;
import dev.warden.usage.cloudtrail.CloudTrailParser;
import dev.warden.usage.k8saudit.KubernetesAuditParser;
import dev.warden.usage.vault.VaultAuditParser;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The built-in log formats, by name. Adding a format means adding it here and nowhere else. */
public final class UsageParsers {
    private final Map<String, UsageParser> byName = new LinkedHashMap<>();

    public UsageParsers(List<UsageParser> parsers) {
        for (UsageParser p : parsers) {
            if (byName.put(p.name(), p) != null) {
                throw new IllegalStateException("two usage parsers named " + p.name());
            }
        }
    }

    /** The built-in formats; {@code clock} judges event timestamps (absurd ones are skipped). */
    public static UsageParsers builtIn(Clock clock) {
        return new UsageParsers(
                List.of(new CloudTrailParser(clock), new KubernetesAuditParser(clock), new VaultAuditParser(clock)));
    }

    /**
     * The built-in formats judging timestamps by the system clock. The composition root should pass
     * its own clock ({@link #builtIn(Clock)}); this remains for callers that have none.
     */
    public static UsageParsers builtIn() {
        return builtIn(Clock.systemUTC());
    }

    public Optional<UsageParser> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<UsageParser> all() {
        return byName.values();
    }

    public UsageParser require(String name) {
        return get(name)
                .orElseThrow(() -> new IllegalArgumentException("unknown log format '" + Echo.shown(name) + "' (known: "
                        + String.join(", ", byName.keySet()) + ")"));
    }
}
