package dev.warden.broker.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.app.WardenConfig;
import dev.warden.audit.AuditLog;
import dev.warden.config.ConfigException;
import dev.warden.keys.SecretBox;
import dev.warden.store.Database;
import dev.warden.store.Dialect;
import dev.warden.testing.Fixtures;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestCsr;
import dev.warden.testing.TestStores;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CA on a real SQLite store with a test clock: rotation with overlap (the next root is in the
 * bundle before it signs, the old one stays until every certificate under it expired, then leaves),
 * keys sealed at rest, and the upstream-intermediate mode with a test-made upstream root.
 */
class CertificateAuthorityTest {
    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Fixtures.T0);
    private Database db;
    private SecretBox box;
    private AuditLog audit;

    @BeforeEach
    void open() {
        db = Database.open(TestStores.fresh(Dialect.SQLITE, dir));
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        box = SecretBox.of(kek);
        audit = new AuditLog(db, clock);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private X509Certificate leaf(CertificateAuthority ca, Duration ttl) {
        return ca.issue(TestCsr.p256().getPublic(), "spiffe://example.org/w", List.of(), ttl)
                .leaf();
    }

    private static boolean validates(List<X509Certificate> chain, List<X509Certificate> anchors, Instant at) {
        try {
            Set<TrustAnchor> ta = new HashSet<>();
            for (X509Certificate a : anchors) {
                ta.add(new TrustAnchor(a, null));
            }
            PKIXParameters p = new PKIXParameters(ta);
            p.setRevocationEnabled(false);
            p.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), p);
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    @Test
    void the_old_root_stays_in_the_bundle_while_certificates_under_it_live_then_leaves() {
        CertificateAuthority ca = new CertificateAuthority(CaConfig.selfSigned("example.org"), db, box, audit, clock);
        X509Certificate root1 = ca.anchors().get(0);
        assertThat(ca.anchors()).hasSize(1);
        long seq1 = ca.sequence();

        // Within the pre-publication window the next root is published but does not sign yet.
        clock.advance(Duration.ofDays(7).minus(CertificateAuthority.PREPUBLISH).plusMinutes(1));
        ca.refresh();
        assertThat(ca.anchors()).hasSize(2).first().isEqualTo(root1);
        X509Certificate root2 = ca.anchors().get(1);
        assertThat(ca.sequence()).isGreaterThan(seq1);
        clock.advance(CertificateAuthority.PREPUBLISH.minusMinutes(6)); // five minutes before the rotation
        X509Certificate lastUnderRoot1 = leaf(ca, Duration.ofHours(1));
        assertThat(validates(List.of(lastUnderRoot1), List.of(root1), clock.instant()))
                .isTrue();

        // After the rotation the new root signs; the old one stays while lastUnderRoot1 lives.
        clock.advance(Duration.ofMinutes(6));
        ca.refresh();
        X509Certificate underRoot2 = leaf(ca, Duration.ofHours(1));
        assertThat(validates(List.of(underRoot2), List.of(root2), clock.instant()))
                .isTrue();
        assertThat(validates(List.of(underRoot2), List.of(root1), clock.instant()))
                .isFalse();
        assertThat(ca.anchors()).containsExactly(root1, root2);
        assertThat(lastUnderRoot1.getNotAfter().toInstant()).isAfter(clock.instant());
        assertThat(validates(List.of(lastUnderRoot1), ca.anchors(), clock.instant()))
                .isTrue();

        // Once every certificate under root1 has expired, root1 leaves the bundle.
        long before = ca.sequence();
        clock.advance(Duration.ofHours(1).plusMinutes(2));
        ca.refresh();
        assertThat(lastUnderRoot1.getNotAfter().toInstant()).isBefore(clock.instant());
        assertThat(ca.anchors()).containsExactly(root2);
        assertThat(ca.sequence()).isGreaterThan(before);
    }

    @Test
    void a_second_server_on_the_same_store_uses_the_same_ca() {
        CertificateAuthority a = new CertificateAuthority(CaConfig.selfSigned("example.org"), db, box, audit, clock);
        CertificateAuthority b = new CertificateAuthority(CaConfig.selfSigned("example.org"), db, box, audit, clock);
        assertThat(b.anchors()).isEqualTo(a.anchors());
        assertThat(validates(List.of(leaf(b, Duration.ofMinutes(5))), a.anchors(), clock.instant()))
                .isTrue();
    }

    @Test
    void the_ca_key_is_a_secretbox_envelope_in_the_store() {
        new CertificateAuthority(CaConfig.selfSigned("example.org"), db, box, audit, clock);
        String id = db.withHandle(h -> h.createQuery("SELECT id FROM ca_authorities")
                .mapTo(String.class)
                .one());
        String stored = db.withHandle(h -> h.createQuery("SELECT private_key FROM ca_authorities")
                .mapTo(String.class)
                .one());
        assertThat(stored).startsWith("wsb1." + box.kekId() + ".");
        byte[] der = box.open(stored, "ca_key:" + id);
        assertThat(der.length).isGreaterThan(32);
        assertThat(stored)
                .doesNotContain(
                        java.util.Base64.getEncoder().encodeToString(der).substring(0, 20));
    }

    @Test
    void an_upstream_intermediate_signs_and_the_upstream_root_is_the_trust_anchor() throws Exception {
        Upstream up = upstream(true);
        CaConfig cfg = load(up.certFile(), up.keyFile());
        assertThat(cfg.upstream().chain()).hasSize(2);
        CertificateAuthority ca = new CertificateAuthority(cfg, db, box, audit, clock);
        assertThat(ca.anchors()).containsExactly(up.root());
        CertificateAuthority.Issued issued =
                ca.issue(TestCsr.p256().getPublic(), "spiffe://example.org/w", List.of(), Duration.ofMinutes(10));
        assertThat(issued.chain()).hasSize(2);
        assertThat(issued.chain().get(1)).isEqualTo(up.intermediate());
        assertThat(validates(issued.chain(), ca.anchors(), clock.instant())).isTrue();
        String mode = db.withHandle(h -> h.createQuery("SELECT mode FROM ca_authorities")
                .mapTo(String.class)
                .one());
        assertThat(mode).isEqualTo("upstream");
    }

    @Test
    void
            switching_from_a_self_signed_root_to_an_upstream_intermediate_keeps_the_old_root_until_its_certificates_expire()
                    throws Exception {
        CertificateAuthority self = new CertificateAuthority(CaConfig.selfSigned("example.org"), db, box, audit, clock);
        X509Certificate oldRoot = self.anchors().get(0);
        Upstream up = upstream(true);
        CertificateAuthority ca = new CertificateAuthority(load(up.certFile(), up.keyFile()), db, box, audit, clock);
        assertThat(ca.anchors()).containsExactly(oldRoot, up.root());
        clock.advance(Duration.ofHours(1).plusMinutes(2));
        ca.refresh();
        assertThat(ca.anchors()).containsExactly(up.root());
    }

    @Test
    void an_upstream_key_that_does_not_match_the_certificate_stops_the_start_naming_the_key() throws Exception {
        Upstream up = upstream(true);
        Path otherKey = Files.writeString(
                dir.resolve("other.key"),
                Pem.pem("PRIVATE KEY", TestCsr.p256().getPrivate().getEncoded()));
        assertThatThrownBy(() -> load(up.certFile(), otherKey))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("broker.ca.upstream.certificate")
                .hasMessageContaining("does not belong");
    }

    @Test
    void an_upstream_certificate_that_is_not_a_ca_is_refused() throws Exception {
        Upstream up = upstream(false);
        assertThatThrownBy(() -> load(up.certFile(), up.keyFile()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not a CA certificate");
    }

    @Test
    void bad_ca_settings_name_their_key() {
        assertThatThrownBy(() -> loadYaml("ca: {trustDomain: Example.ORG}"))
                .hasMessageContaining("broker.ca.trustDomain");
        assertThatThrownBy(() -> loadYaml("ca: {trustDomain: example.org, maxTtl: 2h}"))
                .hasMessageContaining("broker.ca.maxTtl");
        assertThatThrownBy(() -> loadYaml("ca: {trustDomain: example.org, keyType: RSA-1024}"))
                .hasMessageContaining("broker.ca.keyType");
        assertThatThrownBy(() -> loadYaml("ca: {trustDomain: example.org, upstream: {certificate: nope.pem}}"))
                .hasMessageContaining("broker.ca.upstream.privateKey");
        assertThatThrownBy(() -> loadYaml("ca: {trustDomain: example.org, colour: red}"))
                .hasMessageContaining("colour");
    }

    private record Upstream(X509Certificate root, X509Certificate intermediate, Path certFile, Path keyFile) {}

    /** A test-made upstream CA: a root and an intermediate it signed (a CA when {@code ca}). */
    private Upstream upstream(boolean ca) throws Exception {
        KeyPair rootKey = TestCsr.p256();
        KeyPair interKey = TestCsr.p256();
        Instant from = clock.instant().minus(Duration.ofDays(1));
        Instant to = clock.instant().plus(Duration.ofDays(90));
        X500Name rootName = new X500Name("CN=Upstream Root,O=Test");
        X509Certificate root = cert(rootName, rootName, rootKey, rootKey, from, to, true);
        X509Certificate inter =
                cert(rootName, new X500Name("CN=Warden Intermediate,O=Test"), rootKey, interKey, from, to, ca);
        Path certFile = Files.writeString(dir.resolve("upstream.pem"), Pem.pem(List.of(inter, root)));
        Path keyFile = Files.writeString(
                dir.resolve("upstream.key"),
                Pem.pem("PRIVATE KEY", interKey.getPrivate().getEncoded()));
        return new Upstream(root, inter, certFile, keyFile);
    }

    private static X509Certificate cert(
            X500Name issuer,
            X500Name subject,
            KeyPair issuerKey,
            KeyPair subjectKey,
            Instant from,
            Instant to,
            boolean ca)
            throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                issuer,
                BigInteger.valueOf(new SecureRandom().nextInt(1 << 30) + 1L),
                Date.from(from),
                Date.from(to),
                subject,
                subjectKey.getPublic());
        b.addExtension(Extension.basicConstraints, true, ca ? new BasicConstraints(1) : new BasicConstraints(false));
        b.addExtension(
                Extension.keyUsage,
                true,
                new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
    }

    private CaConfig load(Path cert, Path key) throws Exception {
        return loadYaml("ca: {trustDomain: example.org, upstream: {certificate: " + cert.getFileName()
                + ", privateKey: " + key.getFileName() + "}}");
    }

    private CaConfig loadYaml(String ca) throws Exception {
        Path cfg = Files.writeString(dir.resolve("warden.yaml"), """
                broker:
                  issuer: https://warden.test
                  policies: policies
                  attestors: [{name: a, kind: oidc}]
                  %s
                """.formatted(ca));
        return WardenConfig.load(cfg).broker().ca();
    }
}
