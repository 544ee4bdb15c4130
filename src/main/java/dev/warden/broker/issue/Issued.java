package dev.warden.broker.issue;

import java.util.Map;

/**
 * A credential an {@link Issuer} created.
 *
 * @param material what the caller receives once (username and password, a certificate chain);
 *     Warden never stores or logs it
 * @param secretField the entry of {@code material} that is secret, fingerprinted with Warden's keyed
 *     hash for the inventory (so a leak found by the scanner links to it), or null
 * @param externalId the credential's id in the inventory ({@code postgresql://HOST:PORT/ROLE}, a
 *     certificate's SHA-256), or null for {@code lease:ID}
 * @param attributes non-secret facts recorded on the lease and the inventory credential
 */
public record Issued(
        Map<String, String> material, String secretField, String externalId, Map<String, String> attributes) {
    public Issued {
        material = Map.copyOf(material);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        if (secretField != null && !material.containsKey(secretField)) {
            throw new IllegalArgumentException("secretField names no material entry");
        }
    }

    @Override
    public String toString() {
        return "Issued[externalId=" + externalId + ", attributes=" + attributes + "]"; // never the material
    }
}
