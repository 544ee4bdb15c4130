package dev.warden.scan;

import java.util.Objects;

/**
 * What a found secret says about whose it is, without being the secret: an AWS access key id, a
 * Kubernetes service-account subject, the SHA-256 of a private key's public key (SPKI), an SSH
 * public-key fingerprint, or a PostgreSQL role URL. The inventory linker turns it into identities.
 */
public record LinkKey(Type type, String value) {
    /** The kinds of link a rule can derive from a secret. */
    public enum Type {
        /** An AWS AccessKeyId: matches a credential's external id. */
        AWS_ACCESS_KEY_ID,
        /** {@code system:serviceaccount:NS:NAME}: matches a Kubernetes service account identity. */
        KUBERNETES_SERVICE_ACCOUNT,
        /** Lower-case hex SHA-256 of the DER SubjectPublicKeyInfo: matches certificates. */
        PUBLIC_KEY_SHA256,
        /** {@code SHA256:...} as ssh-keygen prints it: matches SSH key credentials. */
        SSH_KEY_FINGERPRINT,
        /** {@code postgresql://HOST:PORT/ROLE}: matches a PostgreSQL role identity. */
        POSTGRESQL_ROLE
    }

    public LinkKey {
        Objects.requireNonNull(type, "type");
        if (value == null || value.isBlank() || value.length() > 2048) {
            throw new IllegalArgumentException("link key value must be 1-2048 characters");
        }
    }
}
