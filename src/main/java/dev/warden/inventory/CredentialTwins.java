package dev.warden.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sources know the same credential by different names: the AWS credential report knows an access
 * key by its slot, list-access-keys by its id. On one identity, a credential known only by
 * fingerprint and one with an external id, of the same kind and created in the same second, are
 * one credential: the incoming one takes the stored external id, or supersedes the stored
 * fingerprint-only one, keeping what only the other knew (last use, attributes).
 */
final class CredentialTwins {
    private CredentialTwins() {}

    /** {@code updates} with each incoming credential merged with its stored twin, if it has one. */
    static List<IdentityRecord> resolve(List<IdentityRecord> updates, Map<String, List<Credential>> stored) {
        List<IdentityRecord> out = new ArrayList<>(updates.size());
        for (IdentityRecord r : updates) {
            List<Credential> known = stored.getOrDefault(r.identity().id(), List.of());
            if (known.isEmpty() || r.credentials().isEmpty()) {
                out.add(r);
                continue;
            }
            List<Credential> resolved = new ArrayList<>(r.credentials().size());
            for (Credential c : r.credentials()) {
                Credential twin =
                        known.stream().filter(k -> twins(k, c)).findFirst().orElse(null);
                resolved.add(twin == null ? c : merge(c, twin));
            }
            out.add(new IdentityRecord(r.identity(), resolved, r.entitlements(), r.trusts(), r.complete()));
        }
        return out;
    }

    /** One known only by fingerprint, the other by external id; same kind; created in the same second. */
    static boolean twins(Credential a, Credential b) {
        return a.kind() == b.kind()
                && (a.externalId() == null) != (b.externalId() == null)
                && a.createdAt() != null
                && b.createdAt() != null
                && a.createdAt().getEpochSecond() == b.createdAt().getEpochSecond();
    }

    private static Credential merge(Credential incoming, Credential twin) {
        Map<String, String> attributes = new TreeMap<>(twin.attributes());
        attributes.putAll(incoming.attributes());
        String externalId = or(incoming.externalId(), twin.externalId());
        return new Credential(
                null,
                null,
                incoming.kind(),
                externalId,
                externalId != null ? null : incoming.fingerprint(),
                incoming.createdAt(),
                or(incoming.lastRotatedAt(), twin.lastRotatedAt()),
                or(incoming.expiresAt(), twin.expiresAt()),
                or(incoming.lastUsedAt(), twin.lastUsedAt()),
                incoming.status(),
                attributes);
    }

    private static <T> T or(T a, T b) {
        return a != null ? a : b;
    }
}
