package dev.warden.broker.attest;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Turns a workload's proof of identity into verified workload claims. This is the broker's plugin
 * seam: one implementation per kind of proof ({@code oidc} JWTs, {@code spiffe-jwt} JWT-SVIDs,
 * {@code x509} client certificates), each built from its {@code warden.yaml} section by
 * {@link Attestors}, and each run through the shared contract test.
 *
 * <p>Contract. {@link #handles} is cheap, reads only unverified routing data (a JWT's {@code iss},
 * a JWT-SVID's trust domain, the presence of a client certificate) and never throws. {@link
 * #attest} either returns an {@link Attestation} whose every field was verified — signature with
 * a key the attestor was configured with (never one named by the proof: {@code jku}, {@code x5u},
 * {@code jwk} and {@code x5c} headers are ignored), algorithm on the attestor's allow-list,
 * issuer, audience, validity window with at most {@link JwtRules#MAX_SKEW} skew — or throws
 * {@link AttestationException} with a lower-case reason safe to show the caller. It never returns
 * a partial result, never logs or keeps the proof, reads time only from the injected clock, and is
 * safe to call from many threads at once. Replay ({@code jti} seen before) is not its concern: it
 * reports the proof's id and expiry and the broker's store-backed cache decides.
 */
public interface Attestor {
    /** The configured name, unique among attestors (used in policies, audit and the inventory). */
    String name();

    /** The kind: {@code oidc}, {@code spiffe-jwt} or {@code x509}. */
    String kind();

    /**
     * What this attestor routes on, unique among the configured attestors (an issuer, a trust
     * domain); by default its kind, so that one attestor of the kind may be configured.
     */
    default String route() {
        return kind();
    }

    /** True when this attestor is the one to verify {@code proof}. */
    boolean handles(Proof proof);

    /** Verifies {@code proof}; throws {@link AttestationException} when it is not acceptable. */
    Attestation attest(Proof proof) throws AttestationException;

    /**
     * The CA certificates a TLS listener asks client certificates of, for an attestor of {@link
     * Proof.Certificate} proofs; empty (the default) for every other kind.
     */
    default List<X509Certificate> clientCas() {
        return List.of();
    }
}
