package dev.warden.broker.ca;

import dev.warden.audit.AuditLog;
import dev.warden.keys.SecretBox;
import dev.warden.store.Database;
import dev.warden.store.Ids;
import dev.warden.store.StoreException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warden's certificate authority for one SPIFFE trust domain: a self-signed root it makes and
 * rotates itself, or an intermediate an upstream CA issued. CA keys live in {@code ca_authorities}
 * sealed by {@link SecretBox}. Rotation overlaps like the JWT signing keys: the next root is created
 * and published in the bundle {@link #PREPUBLISH} before it signs, and a retired CA stays in the
 * bundle until every certificate it signed has expired (its retirement plus the longest SVID
 * lifetime). Servers sharing one store share the CA; rotation happens under a store lock.
 */
public final class CertificateAuthority {
    /** How long before it signs a new root is published in the bundle. */
    static final Duration PREPUBLISH = Duration.ofHours(2);
    /** Clock skew allowed for in notBefore / notAfter. */
    static final Duration SKEW = Duration.ofMinutes(1);
    /** How long expired CA rows are kept (they date the bundle's sequence number). */
    static final Duration KEEP_EXPIRED = Duration.ofDays(30);

    static final String SELF_SIGNED = "self-signed";
    static final String UPSTREAM = "upstream";

    private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthority.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CaConfig config;
    private final Database db;
    private final SecretBox box;
    private final AuditLog audit;
    private final Clock clock;
    private volatile Snapshot snapshot;

    /**
     * The CA in force: who signs now (with the chain to send after a leaf), the trust anchors the
     * bundle publishes, the bundle's sequence number, and when to look again.
     */
    record Snapshot(
            String id,
            X509Certificate cert,
            List<X509Certificate> intermediates,
            PrivateKey key,
            String signatureAlgorithm,
            X500Name issuerName,
            AuthorityKeyIdentifier aki,
            List<X509Certificate> anchors,
            long sequence,
            Instant refreshBy) {}

    /** An issued leaf with the chain to present (leaf first, no trust anchor). */
    public record Issued(X509Certificate leaf, List<X509Certificate> chain, String caId, String fingerprint) {
        public Issued {
            chain = List.copyOf(chain);
        }
    }

    public CertificateAuthority(CaConfig config, Database db, SecretBox box, AuditLog audit, Clock clock) {
        this.config = config;
        this.db = db;
        this.box = box;
        this.audit = audit;
        this.clock = clock;
        refresh();
    }

    public CaConfig config() {
        return config;
    }

    public String trustDomain() {
        return config.trustDomain();
    }

    /** The trust anchors the bundle publishes (current, next and retired-but-live CAs). */
    public List<X509Certificate> anchors() {
        return current().anchors();
    }

    /** Increases whenever the set of published CAs changes (epoch seconds of the latest change). */
    public long sequence() {
        return current().sequence();
    }

    Snapshot current() {
        Snapshot s = snapshot;
        if (!clock.instant().isBefore(s.refreshBy())) {
            synchronized (this) {
                s = snapshot;
                if (!clock.instant().isBefore(s.refreshBy())) {
                    refresh();
                    s = snapshot;
                }
            }
        }
        return s;
    }

    /**
     * Signs an X.509-SVID for {@code publicKey}: URI SAN {@code spiffeId} (and {@code dnsNames}),
     * valid from now (less the skew) for {@code ttl}, never beyond the CA certificate.
     */
    public Issued issue(PublicKey publicKey, String spiffeId, List<String> dnsNames, Duration ttl) {
        Snapshot ca = current();
        Instant now = clock.instant();
        Instant notBefore = now.minus(SKEW);
        if (notBefore.isBefore(ca.cert().getNotBefore().toInstant())) {
            notBefore = ca.cert().getNotBefore().toInstant();
        }
        Instant notAfter = now.plus(ttl);
        if (notAfter.isAfter(ca.cert().getNotAfter().toInstant())) {
            notAfter = ca.cert().getNotAfter().toInstant();
        }
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    ca.issuerName(),
                    serial(),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    new X500Name("O=Warden,OU=x509-svid"),
                    publicKey);
            GeneralName[] names = new GeneralName[1 + dnsNames.size()];
            names[0] = new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId);
            for (int i = 0; i < dnsNames.size(); i++) {
                names[i + 1] = new GeneralName(GeneralName.dNSName, dnsNames.get(i));
            }
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            int usage = KeyUsage.digitalSignature;
            if (publicKey instanceof RSAPublicKey) {
                usage |= KeyUsage.keyEncipherment;
            }
            b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
            }));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey));
            b.addExtension(Extension.authorityKeyIdentifier, false, ca.aki());
            X509Certificate leaf = certificate(b.build(signer(ca.signatureAlgorithm(), ca.key())));
            List<X509Certificate> chain = new ArrayList<>(1 + ca.intermediates().size());
            chain.add(leaf);
            chain.addAll(ca.intermediates());
            return new Issued(leaf, chain, ca.id(), Pem.sha256(leaf));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a certificate: " + e.getMessage(), e);
        }
    }

    /** Rotates when due and reloads the CA from the store. */
    public synchronized void refresh() {
        Instant now = clock.instant();
        Loaded loaded = db.inTransaction(h -> {
            db.lock(h, "warden.ca_authorities");
            List<Row> all = load(h);
            List<Row> live = new ArrayList<>();
            for (Row r : all) {
                if (r.expireAt().isAfter(now)) {
                    live.add(r);
                }
            }
            Row signing = signing(live, now);
            if (signing != null && !compatible(signing)) {
                retire(h, signing, now);
                live.set(live.indexOf(signing), signing.retiredAt(now, config.maxTtl()));
                signing = null;
            }
            if (signing == null) {
                Row r = create(h, now, now);
                live.add(r);
                all.add(r);
            } else if (config.upstream() == null
                    && !signing.retireAt().isAfter(now.plus(PREPUBLISH))
                    && live.stream().noneMatch(r -> r.activateAt().isAfter(now))) {
                Row r = create(h, now, signing.retireAt());
                live.add(r);
                all.add(r);
            }
            h.createUpdate("DELETE FROM ca_authorities WHERE trust_domain = :td AND expire_at <= :cutoff")
                    .bind("td", config.trustDomain())
                    .bind("cutoff", now.minus(KEEP_EXPIRED).toEpochMilli())
                    .execute();
            long seq = 0;
            for (Row r : all) {
                seq = Math.max(seq, r.createdAt().getEpochSecond());
                if (!r.expireAt().isAfter(now)) {
                    seq = Math.max(seq, r.expireAt().getEpochSecond());
                }
            }
            return new Loaded(live, seq);
        });
        List<Row> rows = loaded.live();
        Row signing = signing(rows, now);
        List<X509Certificate> anchors = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        Instant next = now.plus(Duration.ofMinutes(1));
        for (Row r : rows) {
            String fp = Pem.sha256(r.root());
            if (!seen.contains(fp)) {
                seen.add(fp);
                anchors.add(r.root());
            }
            for (Instant t : List.of(r.activateAt(), r.retireAt(), r.expireAt())) {
                if (t.isAfter(now) && t.isBefore(next)) {
                    next = t;
                }
            }
        }
        PrivateKey key = openKey(signing);
        X509Certificate cert = signing.chain().get(0);
        // Sent after each leaf: the chain up to, not including, the trust anchor.
        List<X509Certificate> intermediates =
                signing.chain().stream().filter(c -> !c.equals(signing.root())).toList();
        try {
            snapshot = new Snapshot(
                    signing.id(),
                    cert,
                    intermediates,
                    key,
                    signatureAlgorithm(cert.getPublicKey()),
                    X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()),
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(cert),
                    List.copyOf(anchors),
                    loaded.sequence(),
                    next);
        } catch (GeneralSecurityException e) {
            throw new StoreException("CA " + signing.id() + " has an unusable certificate", e);
        }
    }

    private record Loaded(List<Row> live, long sequence) {}

    /** One {@code ca_authorities} row (the private key still sealed). */
    private record Row(
            String id,
            String mode,
            List<X509Certificate> chain,
            X509Certificate root,
            String fingerprint,
            String sealed,
            Instant createdAt,
            Instant activateAt,
            Instant retireAt,
            Instant expireAt) {
        Row retiredAt(Instant now, Duration maxTtl) {
            return new Row(
                    id,
                    mode,
                    chain,
                    root,
                    fingerprint,
                    sealed,
                    createdAt,
                    activateAt,
                    now,
                    now.plus(maxTtl).plus(SKEW));
        }
    }

    /** Whether the signing CA still is what the configuration asks for. */
    private boolean compatible(Row signing) {
        if (config.upstream() == null) {
            return signing.mode().equals(SELF_SIGNED);
        }
        return signing.mode().equals(UPSTREAM)
                && signing.fingerprint()
                        .equals(Pem.sha256(config.upstream().chain().get(0)));
    }

    private static Row signing(List<Row> rows, Instant now) {
        Row best = null;
        for (Row r : rows) {
            if (!r.activateAt().isAfter(now)
                    && r.retireAt().isAfter(now)
                    && (best == null || r.activateAt().isAfter(best.activateAt()))) {
                best = r;
            }
        }
        return best;
    }

    private List<Row> load(Handle h) {
        return new ArrayList<>(h.createQuery(
                        "SELECT * FROM ca_authorities WHERE trust_domain = :td ORDER BY created_at")
                .bind("td", config.trustDomain())
                .map((rs, ctx) -> {
                    List<X509Certificate> chain = Pem.certificates(rs.getString("chain_pem"));
                    return new Row(
                            rs.getString("id"),
                            rs.getString("mode"),
                            chain,
                            Pem.certificates(rs.getString("root_pem")).get(0),
                            rs.getString("fingerprint"),
                            rs.getString("private_key"),
                            Instant.ofEpochMilli(rs.getLong("created_at")),
                            Instant.ofEpochMilli(rs.getLong("activate_at")),
                            Instant.ofEpochMilli(rs.getLong("retire_at")),
                            Instant.ofEpochMilli(rs.getLong("expire_at")));
                })
                .list());
    }

    private void retire(Handle h, Row r, Instant now) {
        Row retired = r.retiredAt(now, config.maxTtl());
        h.createUpdate("UPDATE ca_authorities SET retire_at = :retire, expire_at = :expire WHERE id = :id")
                .bind("retire", retired.retireAt().toEpochMilli())
                .bind("expire", retired.expireAt().toEpochMilli())
                .bind("id", r.id())
                .execute();
        audit.append(h, "system:ca", "ca.retire", "ca", r.id(), Map.of("reason", "configuration changed"));
        LOG.info("event=ca_retired id={} reason=configuration_changed", r.id());
    }

    private Row create(Handle h, Instant now, Instant activateAt) {
        String id = Ids.next();
        List<X509Certificate> chain;
        X509Certificate root;
        PrivateKey key;
        Instant retireAt;
        String mode;
        if (config.upstream() != null) {
            mode = UPSTREAM;
            chain = config.upstream().chain();
            root = chain.get(chain.size() - 1);
            key = config.upstream().key();
            retireAt = chain.get(0).getNotAfter().toInstant().minus(config.maxTtl());
            if (!retireAt.isAfter(now)) {
                throw new StoreException("the upstream CA certificate expires within broker.ca.maxTtl; renew it");
            }
        } else {
            mode = SELF_SIGNED;
            retireAt = activateAt.plus(config.rotation());
            KeyPair kp = generate(config.keyType());
            root = selfSigned(
                    id, kp, now.minus(SKEW), retireAt.plus(config.maxTtl()).plus(Duration.ofMinutes(5)));
            chain = List.of(root);
            key = kp.getPrivate();
        }
        Instant expireAt = retireAt.plus(config.maxTtl()).plus(SKEW);
        String sealed = box.seal(key.getEncoded(), "ca_key:" + id);
        String fingerprint = Pem.sha256(chain.get(0));
        h.createUpdate("INSERT INTO ca_authorities (id, trust_domain, mode, chain_pem, root_pem, fingerprint, key_alg,"
                        + " private_key, created_at, activate_at, retire_at, expire_at) VALUES (:id, :td, :mode, :chain,"
                        + " :root, :fp, :alg, :key, :created, :activate, :retire, :expire)")
                .bind("id", id)
                .bind("td", config.trustDomain())
                .bind("mode", mode)
                .bind("chain", Pem.pem(chain))
                .bind("root", Pem.pem(root))
                .bind("fp", fingerprint)
                .bind("alg", keyAlg(chain.get(0).getPublicKey()))
                .bind("key", sealed)
                .bind("created", now.toEpochMilli())
                .bind("activate", activateAt.toEpochMilli())
                .bind("retire", retireAt.toEpochMilli())
                .bind("expire", expireAt.toEpochMilli())
                .execute();
        Map<String, String> d = new LinkedHashMap<>();
        d.put("trustDomain", config.trustDomain());
        d.put("mode", mode);
        d.put("fingerprint", fingerprint);
        d.put("activateAt", activateAt.toString());
        d.put("retireAt", retireAt.toString());
        d.put("kekId", box.kekId());
        audit.append(h, "system:ca", "ca.create", "ca", id, d);
        LOG.info(
                "event=ca_created id={} mode={} trust_domain={} activate_at={}",
                id,
                mode,
                config.trustDomain(),
                activateAt);
        return new Row(id, mode, chain, root, fingerprint, sealed, now, activateAt, retireAt, expireAt);
    }

    private X509Certificate selfSigned(String id, KeyPair kp, Instant notBefore, Instant notAfter) {
        try {
            X500Name name = new X500Name("CN=Warden CA " + config.trustDomain() + " " + id + ",O=Warden");
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    name, serial(), Date.from(notBefore), Date.from(notAfter), name, kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            b.addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(new GeneralName(
                            GeneralName.uniformResourceIdentifier, "spiffe://" + config.trustDomain())));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(kp.getPublic()));
            return certificate(b.build(signer(signatureAlgorithm(kp.getPublic()), kp.getPrivate())));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the CA certificate: " + e.getMessage(), e);
        }
    }

    private PrivateKey openKey(Row r) {
        byte[] der = box.open(r.sealed(), "ca_key:" + r.id());
        PublicKey pub = r.chain().get(0).getPublicKey();
        try {
            return KeyFactory.getInstance(pub.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new StoreException("CA key " + r.id() + " is corrupt", e);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    private static KeyPair generate(String keyType) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(keyType.equals(CaConfig.EC_P384) ? "secp384r1" : "secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a CA key: " + e.getMessage(), e);
        }
    }

    static String signatureAlgorithm(PublicKey k) {
        if (k instanceof ECPublicKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize() > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
        }
        return "SHA256withRSA";
    }

    private static String keyAlg(PublicKey k) {
        if (k instanceof ECPublicKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize() > 256 ? "EC-P384" : "EC-P256";
        }
        return "RSA";
    }

    private static ContentSigner signer(String alg, PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaContentSignerBuilder(alg).build(key);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    private static X509Certificate certificate(X509CertificateHolder holder) throws GeneralSecurityException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
        } catch (IOException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    /** A positive random serial of 127 bits (RFC 5280: at most 20 octets; CA/B: at least 64 random bits). */
    private static BigInteger serial() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        b[0] &= 0x7f;
        b[0] |= 0x01; // never zero, never a leading zero octet
        return new BigInteger(1, b);
    }
}
