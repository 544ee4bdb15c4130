package dev.warden.usage;

import java.time.Instant;
import java.util.List;

/**
 * A principal that activity logs show in use but that no import holds: a shadow identity nobody
 * inventoried (issue 13, point 8). {@code sampleActions} are a few of its actions, in name order.
 */
public record Unmatched(
        String principal,
        String sourceType,
        String scope,
        Instant firstSeen,
        Instant lastSeen,
        long events,
        List<String> sampleActions) {
    public Unmatched {
        sampleActions = List.copyOf(sampleActions);
    }
}
