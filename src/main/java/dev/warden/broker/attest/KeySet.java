package dev.warden.broker.attest;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable set of public verification keys (one JWKS), with a verifier per key built once.
 * Keys are matched to a token by {@code kid} and by algorithm family: ES256 needs an EC P-256 key,
 * RS/PS need RSA of at least 2048 bits, EdDSA needs Ed25519. A token without a {@code kid} is
 * accepted only when exactly one key fits its algorithm. Symmetric and private keys are dropped, and
 * so are keys published for something other than verifying signatures: a {@code use} other than
 * {@code sig} (or the one asked for), or {@code key_ops} (RFC 7517 §4.3) without {@code verify} or
 * with any operation but {@code sign} and {@code verify} — which also drops a key whose {@code use}
 * and {@code key_ops} disagree.
 */
public final class KeySet {
    private final List<JWK> keys;
    private final Map<JWK, JWSVerifier> verifiers = new ConcurrentHashMap<>();

    /** RSA keys of at least 2048 bits, sized once here (sizing decodes the modulus). */
    private final Set<JWK> strongRsa;

    private KeySet(List<JWK> keys) {
        this.keys = List.copyOf(keys);
        Set<JWK> strong = Collections.newSetFromMap(new IdentityHashMap<>());
        for (JWK k : this.keys) {
            if (k instanceof RSAKey rsa && rsa.size() >= 2048) {
                strong.add(k);
            }
        }
        this.strongRsa = strong;
    }

    public static final KeySet EMPTY = new KeySet(List.of());

    /** The only {@code key_ops} a verification key may list (RFC 7517 §4.3: sign and verify go together). */
    private static final Set<KeyOperation> SIGNATURE_OPS = Set.of(KeyOperation.SIGN, KeyOperation.VERIFY);

    /**
     * Keeps the usable public signature keys of {@code set}; {@code use} (e.g. {@code jwt-svid})
     * when non-null additionally keeps only keys with that {@code use} or none.
     */
    public static KeySet of(JWKSet set, String use) {
        List<JWK> out = new ArrayList<>();
        for (JWK k : set.getKeys()) {
            if (k.isPrivate() || !(k instanceof ECKey || k instanceof RSAKey || k instanceof OctetKeyPair)) {
                continue;
            }
            KeyUse u = k.getKeyUse();
            if (use != null && u != null && !u.identifier().equals(use)) {
                continue;
            }
            if (use == null && u != null && !u.equals(KeyUse.SIGNATURE)) {
                continue;
            }
            Set<KeyOperation> ops = k.getKeyOperations();
            if (ops != null && (!ops.contains(KeyOperation.VERIFY) || !SIGNATURE_OPS.containsAll(ops))) {
                continue;
            }
            out.add(k);
        }
        return new KeySet(out);
    }

    int size() {
        return keys.size();
    }

    /** The verifier for a token with {@code kid} (may be null) and {@code alg}, or null. */
    JWSVerifier verifier(String kid, JWSAlgorithm alg) {
        JWK match = null;
        for (JWK k : keys) {
            if ((kid != null && !kid.equals(k.getKeyID())) || !fits(k, alg)) {
                continue;
            }
            if (match != null) {
                return null; // ambiguous: two keys fit and the token names none (or a duplicated kid)
            }
            match = k;
        }
        if (match == null) {
            return null;
        }
        return verifiers.computeIfAbsent(match, KeySet::build);
    }

    private boolean fits(JWK k, JWSAlgorithm alg) {
        if (k.getAlgorithm() != null && !k.getAlgorithm().getName().equals(alg.getName())) {
            return false;
        }
        if (JWSAlgorithm.Family.EC.contains(alg)) {
            if (!(k instanceof ECKey ec)) {
                return false;
            }
            Curve want = alg.equals(JWSAlgorithm.ES256)
                    ? Curve.P_256
                    : alg.equals(JWSAlgorithm.ES384) ? Curve.P_384 : Curve.P_521;
            return want.equals(ec.getCurve());
        }
        if (JWSAlgorithm.Family.RSA.contains(alg)) {
            return strongRsa.contains(k);
        }
        if (alg.equals(JWSAlgorithm.EdDSA) || alg.equals(JWSAlgorithm.Ed25519)) {
            return k instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve());
        }
        return false;
    }

    private static JWSVerifier build(JWK k) {
        try {
            if (k instanceof ECKey ec) {
                return new ECDSAVerifier(ec);
            }
            if (k instanceof RSAKey rsa) {
                return new RSASSAVerifier(rsa);
            }
            return new Ed25519Verifier((OctetKeyPair) k);
        } catch (JOSEException e) {
            throw new IllegalStateException("key " + k.getKeyID() + " cannot verify: " + e.getMessage(), e);
        }
    }
}
