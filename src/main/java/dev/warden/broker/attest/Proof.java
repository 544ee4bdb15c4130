package dev.warden.broker.attest;

import java.security.cert.X509Certificate;
import java.util.List;

/** A workload's proof of identity as the broker received it. */
public sealed interface Proof {
    /** A JWT (OIDC token, JWT-SVID), already split and strictly parsed but not yet verified. */
    record Jwt(JwtParts parts) implements Proof {}

    /** A client certificate chain presented in the TLS handshake, leaf first. */
    record Certificate(List<X509Certificate> chain) implements Proof {
        public Certificate {
            chain = List.copyOf(chain);
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("certificate chain is empty");
            }
        }
    }
}
