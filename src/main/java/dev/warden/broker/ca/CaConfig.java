package dev.warden.broker.ca;

import dev.warden.broker.SpiffeId;
import dev.warden.config.ConfigException;
import dev.warden.config.ConfigNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code broker.ca} section of {@code warden.yaml}: Warden's certificate authority for
 * X.509-SVIDs, validated when read (upstream files are read and checked then, so a bad chain or a
 * key that does not match stops the start naming the key).
 *
 * @param trustDomain the SPIFFE trust domain every SVID belongs to
 * @param keyType the key of a self-signed root: EC-P256 (default) or EC-P384
 * @param rotation how long a self-signed root signs before the next one takes over
 * @param maxTtl the longest SVID lifetime (at most 1h)
 * @param defaultTtl the lifetime when neither request nor policy names a shorter one
 * @param upstream the intermediate an upstream CA issued, or null for a self-signed root
 */
public record CaConfig(
        String trustDomain,
        String keyType,
        Duration rotation,
        Duration maxTtl,
        Duration defaultTtl,
        Upstream upstream) {
    /** The longest SVID lifetime Warden issues. */
    static final Duration MAX_SVID_TTL = Duration.ofHours(1);

    static final String EC_P256 = "EC-P256";
    static final String EC_P384 = "EC-P384";

    private static final Set<String> KEYS =
            Set.of("trustDomain", "keyType", "rotation", "maxTtl", "defaultTtl", "upstream");

    /**
     * An upstream-issued intermediate: {@code chain} holds the intermediate first, then its issuers;
     * the last certificate is the trust anchor published in the bundle.
     */
    public record Upstream(Path certificateFile, List<X509Certificate> chain, PrivateKey key) {
        public Upstream {
            chain = List.copyOf(chain);
        }

        @Override
        public String toString() {
            return "Upstream[" + certificateFile + "]"; // never the key
        }
    }

    /** Reads {@code broker.ca}; null when absent (no SVIDs are issued). */
    public static CaConfig from(ConfigNode c) {
        if (!c.isPresent()) {
            return null;
        }
        c.allowOnly(KEYS);
        String td = c.string("trustDomain");
        if (!SpiffeId.isTrustDomain(td)) {
            throw c.error("trustDomain", "must be a SPIFFE trust domain: lower-case letters, digits, '.', '-', '_'");
        }
        String keyType = c.optString("keyType", EC_P256).toUpperCase(Locale.ROOT);
        if (!keyType.equals(EC_P256) && !keyType.equals(EC_P384)) {
            throw c.error("keyType", "must be EC-P256 or EC-P384");
        }
        Duration rotation = c.duration("rotation", Duration.ofDays(7));
        if (rotation.compareTo(Duration.ofHours(6)) < 0 || rotation.compareTo(Duration.ofDays(365)) > 0) {
            throw c.error("rotation", "must be between 6h and 365d");
        }
        Duration maxTtl = c.duration("maxTtl", MAX_SVID_TTL);
        if (maxTtl.isNegative() || maxTtl.compareTo(Duration.ofMinutes(1)) < 0 || maxTtl.compareTo(MAX_SVID_TTL) > 0) {
            throw c.error("maxTtl", "must be between 1m and 1h");
        }
        Duration defaultTtl = c.duration("defaultTtl", maxTtl);
        if (defaultTtl.compareTo(Duration.ofMinutes(1)) < 0 || defaultTtl.compareTo(maxTtl) > 0) {
            throw c.error("defaultTtl", "must be between 1m and maxTtl");
        }
        Upstream upstream = null;
        ConfigNode u = c.child("upstream");
        if (u.isPresent()) {
            u.allowOnly(Set.of("certificate", "privateKey"));
            Path cert = u.path("certificate");
            Path key = u.path("privateKey");
            if (cert == null) {
                throw u.error("certificate", "is required (PEM: the intermediate first, then its issuers)");
            }
            if (key == null) {
                throw u.error("privateKey", "is required (PEM, unencrypted PKCS#8, PKCS#1 or SEC1)");
            }
            upstream = readUpstream(u, cert, key);
        }
        return new CaConfig(td, keyType, rotation, maxTtl, defaultTtl, upstream);
    }

    private static Upstream readUpstream(ConfigNode u, Path certFile, Path keyFile) {
        List<X509Certificate> chain;
        PrivateKey key;
        try {
            chain = Pem.certificates(Files.readString(certFile));
        } catch (IOException | IllegalArgumentException e) {
            throw u.error("certificate", "cannot read " + certFile + ": " + e.getMessage());
        }
        if (chain.isEmpty()) {
            throw u.error("certificate", certFile + " holds no PEM certificate");
        }
        try {
            key = Pem.privateKey(Files.readString(keyFile));
        } catch (IOException | IllegalArgumentException e) {
            throw u.error("privateKey", "cannot read " + keyFile + ": " + e.getMessage());
        }
        try {
            Pem.checkChain(chain, key);
        } catch (IllegalArgumentException e) {
            throw u.error("certificate", e.getMessage());
        }
        return new Upstream(certFile, chain, key);
    }

    /** For tests and tools: a self-signed CA for {@code trustDomain} with the defaults. */
    public static CaConfig selfSigned(String trustDomain) {
        if (!SpiffeId.isTrustDomain(trustDomain)) {
            throw new ConfigException("ca.trustDomain: not a SPIFFE trust domain");
        }
        return new CaConfig(trustDomain, EC_P256, Duration.ofDays(7), MAX_SVID_TTL, MAX_SVID_TTL, null);
    }
}
