package dev.warden.posture;

import dev.warden.inventory.Source;
import java.util.List;

/**
 * One of an identity's credentials that other identities hold too: the same external id or
 * fingerprint recorded on several identities (one GitHub secret used by two workflows, one
 * certificate served in prod and staging).
 *
 * @param credentialId this identity's credential
 * @param key the external id or fingerprint they share
 * @param holders every identity that holds it, this one included
 */
public record SharedCredential(String credentialId, String key, List<Holder> holders) {
    public SharedCredential {
        holders = List.copyOf(holders);
    }

    /** An identity holding the credential. */
    public record Holder(String identityId, String name, String environment, String workload, Source source) {}
}
