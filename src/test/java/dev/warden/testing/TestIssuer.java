package dev.warden.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real OIDC-style token issuer for tests: RSA (RS256), EC P-256 (ES256) and Ed25519 (EdDSA) keys,
 * its JWKS served over real HTTP on loopback (or written to a file), and tokens minted with any
 * claims — plus the hostile ones (alg none, HMAC keyed with the public key, duplicate claims).
 */
public final class TestIssuer implements AutoCloseable {
    public final RSAKey rsa;
    public final ECKey ec;
    public final OctetKeyPair ed;
    private final String issuer;
    private final List<JWK> published = new ArrayList<>();
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private HttpServer http;

    public TestIssuer(String issuer) {
        this.issuer = issuer;
        try {
            rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
            ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
            ed = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed-1").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        published.add(rsa.toPublicJWK());
        published.add(ec.toPublicJWK());
        published.add(ed.toPublicJWK());
    }

    public String issuer() {
        return issuer;
    }

    /** Publishes another key (rotation). */
    public synchronized void publish(JWK key) {
        published.add(key.toPublicJWK());
    }

    public synchronized String jwksJson() {
        return new JWKSet(new ArrayList<>(published)).toString(true);
    }

    /** Starts serving the JWKS at {@code http://127.0.0.1:PORT/jwks}; returns that URL. */
    public String serveJwks() {
        try {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        http.createContext("/jwks", ex -> {
            jwksFetches.incrementAndGet();
            byte[] body = jwksJson().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        http.createContext("/huge", ex -> {
            byte[] body = ("{\"keys\":[" + " ".repeat(400_000) + "]}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/jwks";
    }

    /** {@link #serveJwks()} unless already serving; returns the URL. */
    public synchronized String serveJwksOnce() {
        if (http == null) {
            return serveJwks();
        }
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/jwks";
    }

    public int jwksFetches() {
        return jwksFetches.get();
    }

    /** Writes the JWKS to {@code file}. */
    public Path writeJwks(Path file) {
        try {
            Files.writeString(file, jwksJson());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Standard claims: iss, sub, aud, iat=now, exp=now+10m, jti random. */
    public Map<String, Object> claims(String sub, String aud, Instant now) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", issuer);
        c.put("sub", sub);
        c.put("aud", aud);
        c.put("iat", now.getEpochSecond());
        c.put("nbf", now.getEpochSecond());
        c.put("exp", now.plus(Duration.ofMinutes(10)).getEpochSecond());
        c.put("jti", UUID.randomUUID().toString());
        return c;
    }

    public String rs256(Map<String, Object> claims) {
        return sign(claims, JWSAlgorithm.RS256, rsa);
    }

    public String es256(Map<String, Object> claims) {
        return sign(claims, JWSAlgorithm.ES256, ec);
    }

    public String eddsa(Map<String, Object> claims) {
        return sign(claims, JWSAlgorithm.EdDSA, ed);
    }

    /** Signs with {@code key} and its kid. */
    public static String sign(Map<String, Object> claims, JWSAlgorithm alg, JWK key) {
        return sign(
                claims,
                new JWSHeader.Builder(alg)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                key);
    }

    public static String sign(Map<String, Object> claims, JWSHeader header, JWK key) {
        try {
            JWSSigner signer = key instanceof RSAKey r
                    ? new RSASSASigner(r)
                    : key instanceof ECKey e ? new ECDSASigner(e) : new Ed25519Signer((OctetKeyPair) key);
            SignedJWT jwt = new SignedJWT(header, JWTClaimsSet.parse(claims));
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException | java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned token ({@code alg: none}). */
    public static String unsigned(Map<String, Object> claims) {
        return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(json(claims)) + ".";
    }

    /** HS256 keyed with the issuer's RSA public key bytes: the classic algorithm-confusion attack. */
    public String hs256WithPublicKey(Map<String, Object> claims) {
        try {
            byte[] secret = rsa.toPublicJWK().toRSAPublicKey().getEncoded();
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.HS256)
                            .keyID(rsa.getKeyID())
                            .build(),
                    JWTClaimsSet.parse(claims));
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException | java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A correctly RS256-signed token whose payload JSON is {@code payloadJson} verbatim. */
    public String rs256Raw(String payloadJson) {
        try {
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                    .keyID(rsa.getKeyID())
                    .build();
            String signingInput = header.toBase64URL() + "." + b64(payloadJson);
            Base64URL sig = new RSASSASigner(rsa).sign(header, signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + sig;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String b64(String s) {
        return Base64URL.encode(s.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static String json(Map<String, Object> claims) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(claims);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (http != null) {
            http.stop(0);
        }
    }
}
