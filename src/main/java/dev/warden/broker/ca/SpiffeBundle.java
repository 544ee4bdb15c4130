package dev.warden.broker.ca;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SPIFFE trust bundle (SPIFFE Trust Domain and Bundle specification, section 4): a JWK Set whose
 * {@code x509-svid} keys carry the X.509 authorities (one certificate each in {@code x5c}) and whose
 * {@code jwt-svid} keys are the JWT authorities (with {@code kid}), plus {@code spiffe_sequence} and
 * {@code spiffe_refresh_hint} (seconds).
 */
public final class SpiffeBundle {
    static final KeyUse X509_SVID = new KeyUse("x509-svid");
    static final KeyUse JWT_SVID = new KeyUse("jwt-svid");

    private SpiffeBundle() {}

    /** The bundle document for these authorities. */
    public static String json(List<X509Certificate> x509, JWKSet jwt, long sequence, Duration refreshHint) {
        List<Object> keys = new ArrayList<>();
        for (X509Certificate c : x509) {
            keys.add(x509Authority(c).toJSONObject());
        }
        for (JWK k : jwt.getKeys()) {
            keys.add(jwtAuthority(k).toJSONObject());
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("keys", keys);
        doc.put("spiffe_sequence", sequence);
        doc.put("spiffe_refresh_hint", refreshHint.toSeconds());
        return JSONObjectUtils.toJSONString(doc);
    }

    static JWK x509Authority(X509Certificate c) {
        List<Base64> x5c;
        try {
            x5c = List.of(Base64.encode(c.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        if (c.getPublicKey() instanceof ECPublicKey ec) {
            return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec)
                    .keyUse(X509_SVID)
                    .x509CertChain(x5c)
                    .build();
        }
        if (c.getPublicKey() instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).keyUse(X509_SVID).x509CertChain(x5c).build();
        }
        throw new IllegalStateException("unsupported CA key " + c.getPublicKey().getAlgorithm());
    }

    static JWK jwtAuthority(JWK k) {
        JWK pub = k.toPublicJWK();
        if (pub instanceof ECKey ec) {
            return new ECKey.Builder(ec).keyUse(JWT_SVID).build();
        }
        if (pub instanceof RSAKey rsa) {
            return new RSAKey.Builder(rsa).keyUse(JWT_SVID).build();
        }
        if (pub instanceof OctetKeyPair okp) {
            return new OctetKeyPair.Builder(okp).keyUse(JWT_SVID).build();
        }
        throw new IllegalStateException("unsupported JWT authority key type " + pub.getKeyType());
    }
}
