package dev.warden.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of the audit log: who did what to which target, when, with details (never secrets),
 * chained to the previous entry by {@code prevHash}.
 */
public record AuditEntry(
        long seq,
        Instant at,
        String actor,
        String action,
        String targetType,
        String targetId,
        Map<String, String> details,
        String prevHash,
        String hash) {
    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(targetType, "targetType");
        Objects.requireNonNull(targetId, "targetId");
        details = Map.copyOf(details);
    }
}
