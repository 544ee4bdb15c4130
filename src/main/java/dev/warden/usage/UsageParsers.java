package dev.warden.usage;

import dev.warden.inventory.InventoryText;
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

    public static UsageParsers builtIn() {
        return new UsageParsers(List.of());
    }

    public Optional<UsageParser> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<UsageParser> all() {
        return byName.values();
    }

    public UsageParser require(String name) {
        return get(name)
                .orElseThrow(() -> new IllegalArgumentException("unknown log format '" + InventoryText.shown(name)
                        + "' (known: " + String.join(", ", byName.keySet()) + ")"));
    }
}
