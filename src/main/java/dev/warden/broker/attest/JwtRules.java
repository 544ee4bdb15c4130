package dev.warden.broker.attest;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import dev.warden.config.ConfigNode;
import dev.warden.input.Echo;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The RFC 8725 checks every JWT attestor applies, with its own issuer, audiences and algorithm
 * allow-list: signature by a configured key whose {@code kid} matches, algorithm allowed and
 * consistent with the key, {@code iss}, {@code aud}, {@code exp} (required), {@code nbf} and
 * {@code iat} with at most {@link #MAX_SKEW} of clock skew, and a bounded token lifetime.
 *
 * @param issuer the required {@code iss}, or null when the proof need not carry one (JWT-SVID)
 * @param audiences accepted audiences: the token's {@code aud} must contain at least one
 * @param algorithms allowed algorithms (never none or HMAC; checked at configuration)
 * @param skew clock skew allowed on exp/nbf/iat, at most {@link #MAX_SKEW}
 * @param maxLifetime longest accepted exp - iat (or exp - now when there is no iat)
 */
public record JwtRules(
        String issuer, Set<String> audiences, Set<JWSAlgorithm> algorithms, Duration skew, Duration maxLifetime) {
    static final Duration MAX_SKEW = Duration.ofSeconds(60);

    /** Algorithms an attestor may allow. */
    static final Set<JWSAlgorithm> SUPPORTED = Set.of(
            JWSAlgorithm.RS256,
            JWSAlgorithm.RS384,
            JWSAlgorithm.RS512,
            JWSAlgorithm.PS256,
            JWSAlgorithm.PS384,
            JWSAlgorithm.PS512,
            JWSAlgorithm.ES256,
            JWSAlgorithm.ES384,
            JWSAlgorithm.ES512,
            JWSAlgorithm.EdDSA,
            JWSAlgorithm.Ed25519);

    public JwtRules {
        audiences = Set.copyOf(audiences);
        algorithms = Set.copyOf(algorithms);
        if (audiences.isEmpty()) {
            throw new IllegalArgumentException("at least one audience is required");
        }
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("at least one algorithm is required");
        }
        for (JWSAlgorithm a : algorithms) {
            if (!SUPPORTED.contains(a)) {
                throw new IllegalArgumentException("algorithm " + a + " is not allowed (allowed: RS256, RS384, RS512,"
                        + " PS256, PS384, PS512, ES256, ES384, ES512, EdDSA)");
            }
        }
        if (skew.isNegative() || skew.compareTo(MAX_SKEW) > 0) {
            throw new IllegalArgumentException("clock skew must be between 0 and 60 seconds");
        }
        if (maxLifetime.isNegative() || maxLifetime.isZero()) {
            throw new IllegalArgumentException("maximum token lifetime must be positive");
        }
    }

    /** Parses an algorithm list from configuration. */
    static Set<JWSAlgorithm> parseAlgorithms(List<String> names) {
        LinkedHashSet<JWSAlgorithm> out = new LinkedHashSet<>();
        for (String n : names) {
            JWSAlgorithm a = JWSAlgorithm.parse(n.strip());
            if (!SUPPORTED.contains(a)) {
                throw new IllegalArgumentException("algorithm '" + Echo.shown(n) + "' is not allowed (allowed:"
                        + " RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA; never none or HS*)");
            }
            out.add(a);
        }
        return out;
    }

    /**
     * Verifies {@code jwt} against {@code keys} and these rules at {@code now}. {@code keys}
     * supplies the verifier for a kid; {@code refresh} is asked once for a fresh key set when the kid
     * is unknown (a JWKS rotation), and may return the same set.
     */
    public void verify(JwtParts jwt, KeySet keys, Supplier<KeySet> refresh, Instant now) throws AttestationException {
        verifySignature(jwt, keys, refresh);
        checkClaims(jwt.claims(), now);
    }

    /** The header and signature checks of {@link #verify}: algorithm, critical headers, key, signature. */
    void verifySignature(JwtParts jwt, KeySet keys, Supplier<KeySet> refresh) throws AttestationException {
        JWSAlgorithm alg = jwt.header().getAlgorithm();
        if (!algorithms.contains(alg)) {
            throw new AttestationException("alg_not_allowed", "algorithm " + alg + " is not allowed for this issuer");
        }
        if (jwt.header().getCriticalParams() != null
                && !jwt.header().getCriticalParams().isEmpty()) {
            throw new AttestationException("malformed", "token has critical header parameters Warden does not support");
        }
        String kid = jwt.header().getKeyID();
        JWSVerifier verifier = keys.verifier(kid, alg);
        if (verifier == null && refresh != null) {
            verifier = refresh.get().verifier(kid, alg);
        }
        if (verifier == null) {
            throw new AttestationException(
                    "unknown_key",
                    kid == null
                            ? "token has no kid and the issuer has several keys for " + alg
                            : "no key with kid '" + Echo.shown(kid) + "' for " + alg + " in the issuer's key set");
        }
        boolean valid;
        try {
            valid = verifier.verify(jwt.header(), jwt.signingInput(), jwt.signature());
        } catch (JOSEException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw new AttestationException("bad_signature", "token signature is invalid");
        }
    }

    /** Checks only the algorithm and signature (for tokens Warden issued itself). */
    public void verifySignatureOnly(JwtParts jwt, KeySet keys) throws AttestationException {
        JWSAlgorithm alg = jwt.header().getAlgorithm();
        if (!algorithms.contains(alg)) {
            throw new AttestationException("alg_not_allowed", "algorithm " + alg + " is not allowed");
        }
        JWSVerifier verifier = keys.verifier(jwt.header().getKeyID(), alg);
        boolean valid;
        try {
            valid = verifier != null && verifier.verify(jwt.header(), jwt.signingInput(), jwt.signature());
        } catch (JOSEException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw new AttestationException("bad_signature", "token signature is invalid");
        }
    }

    void checkClaims(Map<String, Object> c, Instant now) throws AttestationException {
        if (issuer != null) {
            Object iss = c.get("iss");
            if (!(iss instanceof String s) || !s.equals(issuer)) {
                throw new AttestationException("wrong_issuer", "token issuer is not '" + Echo.shown(issuer) + "'");
            }
        }
        Object aud = c.get("aud");
        boolean audOk = false;
        if (aud instanceof String s) {
            audOk = audiences.contains(s);
        } else if (aud instanceof List<?> l) {
            for (Object o : l) {
                audOk |= o instanceof String s && audiences.contains(s);
            }
        }
        if (!audOk) {
            throw new AttestationException("wrong_audience", "token audience is not one this attestor accepts");
        }
        Instant exp = time(c, "exp", true);
        Instant nbf = time(c, "nbf", false);
        Instant iat = time(c, "iat", false);
        if (!now.isBefore(exp.plus(skew))) {
            throw new AttestationException("expired", "token expired at " + exp);
        }
        if (nbf != null && now.plus(skew).isBefore(nbf)) {
            throw new AttestationException("not_yet_valid", "token is not valid before " + nbf);
        }
        if (iat != null && now.plus(skew).isBefore(iat)) {
            throw new AttestationException("issued_in_future", "token is issued in the future (" + iat + ")");
        }
        Instant from = iat != null ? iat : now;
        if (Duration.between(from, exp).compareTo(maxLifetime) > 0) {
            throw new AttestationException(
                    "lifetime_too_long", "token lifetime exceeds " + maxLifetime.toSeconds() + " seconds");
        }
        Object sub = c.get("sub");
        if (!(sub instanceof String s) || s.isBlank()) {
            throw new AttestationException("malformed", "token has no sub claim");
        }
    }

    private static Instant time(Map<String, Object> c, String name, boolean required) throws AttestationException {
        Object v = c.get(name);
        if (v == null) {
            if (required) {
                throw new AttestationException("malformed", "token has no " + name + " claim");
            }
            return null;
        }
        if (v instanceof Long l && l >= 0 && l < 253402300800L) {
            return Instant.ofEpochSecond(l);
        }
        if (v instanceof Double d && d >= 0 && d < 253402300800d) {
            return Instant.ofEpochSecond(d.longValue());
        }
        throw new AttestationException("malformed", "token claim " + name + " is not a NumericDate");
    }

    /** The JWT rules from an attestor section (shared by the JWT attestors): algorithms, clockSkew, maxTokenLifetime, audiences. */
    public static JwtRules fromConfig(ConfigNode c, List<String> defaultAlgorithms, String issuer) {
        List<String> algNames = c.strings("algorithms", false);
        Set<JWSAlgorithm> algs;
        try {
            algs = parseAlgorithms(algNames.isEmpty() ? defaultAlgorithms : algNames);
        } catch (IllegalArgumentException e) {
            throw c.error("algorithms", e.getMessage());
        }
        Duration skew = c.duration("clockSkew", Duration.ofSeconds(30));
        if (skew.compareTo(MAX_SKEW) > 0) {
            throw c.error("clockSkew", "must be at most 60s");
        }
        Duration maxLifetime = c.duration("maxTokenLifetime", Duration.ofHours(24));
        if (maxLifetime.isZero()) {
            throw c.error("maxTokenLifetime", "must be positive");
        }
        return new JwtRules(issuer, Set.copyOf(c.strings("audiences", true)), algs, skew, maxLifetime);
    }
}
