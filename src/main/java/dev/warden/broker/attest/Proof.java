package dev.warden.broker.attest;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/** A workload's proof of identity as the broker received it. */
public sealed interface Proof {
    /** A JWT (OIDC token, JWT-SVID), already split and strictly parsed but not yet verified. */
    record Jwt(JwtParts parts) implements Proof {}

    /**
     * A client certificate chain presented in the TLS handshake, leaf first, with the leaf's
     * thumbprint (RFC 8705 {@code x5t#S256}): what a workload names as its mTLS subject token and
     * what an access token is bound to. Built only by {@link #of}, so the thumbprint always is the
     * leaf's.
     */
    final class Certificate implements Proof {
        private final List<X509Certificate> chain;
        private final String thumbprint;

        private Certificate(List<X509Certificate> chain, String thumbprint) {
            this.chain = chain;
            this.thumbprint = thumbprint;
        }

        /** The proof of {@code chain} (leaf first); refused when it is empty or the leaf cannot be encoded. */
        public static Certificate of(List<X509Certificate> chain) throws AttestationException {
            List<X509Certificate> c = List.copyOf(chain);
            if (c.isEmpty()) {
                throw new IllegalArgumentException("certificate chain is empty");
            }
            return new Certificate(c, thumbprint(c.get(0)));
        }

        /** The chain, leaf first. */
        public List<X509Certificate> chain() {
            return chain;
        }

        /** Base64url SHA-256 of the leaf's DER (RFC 8705 {@code x5t#S256}). */
        public String thumbprint() {
            return thumbprint;
        }

        private static String thumbprint(X509Certificate cert) throws AttestationException {
            try {
                return Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new AttestationException("malformed", "client certificate cannot be encoded");
            }
        }
    }
}
