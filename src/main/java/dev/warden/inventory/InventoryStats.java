package dev.warden.inventory;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Identity counts for dashboards: total, and by kind, source type, environment, status and ownership. */
public record InventoryStats(
        long total,
        Map<String, Long> byKind,
        Map<String, Long> bySource,
        Map<String, Long> byEnvironment,
        Map<String, Long> byStatus,
        Ownership owner) {
    public InventoryStats {
        byKind = sorted(byKind);
        bySource = sorted(bySource);
        byEnvironment = sorted(byEnvironment);
        byStatus = sorted(byStatus);
    }

    private static Map<String, Long> sorted(Map<String, Long> m) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(m));
    }

    /** How many identities have some owner recorded, and how many have none. */
    public record Ownership(long present, long absent) {}
}
