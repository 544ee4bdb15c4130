package dev.warden.posture;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Something another part of Warden saw happen to an identity and that posture should weigh: the
 * broker refusing a replayed subject token, a lease Warden could not revoke. Never secret material:
 * only kinds, times and fingerprints.
 *
 * @param kind what happened ({@code token_replay}, ...); checks select the kinds they read
 * @param key tells events of one kind on one identity apart (an event id, a lease id)
 * @param evidence facts to show with a finding, strings only
 */
public record Signal(String identityId, String kind, String key, Instant at, Map<String, String> evidence) {
    public Signal {
        Objects.requireNonNull(identityId, "identityId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(at, "at");
        evidence = Map.copyOf(evidence);
    }
}
