package dev.warden.usage;

import java.time.Instant;
import java.util.List;

/**
 * What the logs say about one identity up to an instant: first and last use, how often, and which
 * actions, source addresses, user agents, credentials, event types and targets (the accounts its
 * calls landed in), each with counts and when last seen (most frequent first). Day-granular: the instant's own day counts uses before it.
 */
public record UsageSummary(
        String sourceType,
        String scope,
        String principal,
        Instant firstUsed,
        Instant lastUsed,
        long events,
        long errors,
        List<Counted> actions,
        List<Counted> sourceIps,
        List<Counted> userAgents,
        List<Counted> credentials,
        List<Counted> eventTypes,
        List<Counted> targets) {
    public UsageSummary {
        actions = List.copyOf(actions);
        sourceIps = List.copyOf(sourceIps);
        userAgents = List.copyOf(userAgents);
        credentials = List.copyOf(credentials);
        eventTypes = List.copyOf(eventTypes);
        targets = List.copyOf(targets);
    }

    /** A value seen {@code count} times between {@code first} and {@code last}. */
    public record Counted(String value, long count, Instant first, Instant last) {}
}
