package dev.warden.discovery.certificates;

import static dev.warden.discovery.certificates.TestCertificates.cert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.discovery.Connector;
import dev.warden.discovery.ConnectorContract;
import dev.warden.discovery.Coverage;
import dev.warden.discovery.Discovery;
import dev.warden.discovery.ImportOptions;
import dev.warden.input.Input;
import dev.warden.input.InputException;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.inventory.ExternalIds;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.Nature;
import dev.warden.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The certificates connector on real certificates generated at test time, written in the formats
 * tools produce (PEM from openssl, DER, PKCS#7, PKCS#12 and JKS from keytool/the JDK), and on real
 * TLS and plain-TCP servers on loopback.
 */
class CertificateConnectorTest extends ConnectorContract {
    private static final Instant T0 = Fixtures.T0;
    private static final KeyPair CA_KEYS = TestCertificates.rsa(2048);
    private static final KeyPair LEAF_KEYS = TestCertificates.ec();
    private static final X509Certificate CA = cert(
                    "O=Warden Test,CN=Warden Test Root CA", CA_KEYS, T0.minus(days(400)), T0.plus(days(3000)))
            .ca()
            .selfSigned();
    private static final X509Certificate LEAF = cert(
                    "O=Warden Test,CN=payments-api", LEAF_KEYS, T0.minus(days(30)), T0.plus(days(60)))
            .dns("payments-api.internal")
            .dns("api.payments.example")
            .ip("10.1.2.3")
            .uri("spiffe://prod.example/team/payments/ns/payments/sa/api")
            .email("payments-oncall@example.com")
            .eku(KeyPurposeId.id_kp_serverAuth)
            .signedBy(CA, CA_KEYS.getPrivate());

    @TempDir
    Path dir;

    private final CertificateConnector connector =
            new CertificateConnector(Clock.fixed(T0, ZoneOffset.UTC), Duration.ofSeconds(5), Duration.ofSeconds(5));

    private static Duration days(int n) {
        return Duration.ofDays(n);
    }

    @Override
    protected Connector connector() {
        return connector;
    }

    @Override
    protected List<Input> sample() {
        return List.of(Input.path(write("tls/chain.pem", TestCertificates.pem(LEAF, CA))));
    }

    private Path write(String name, String text) {
        return write(name, text.getBytes(StandardCharsets.US_ASCII));
    }

    private Path write(String name, byte[] bytes) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            return Files.write(p, bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Discovery discover(Input... inputs) {
        return connector.discover(List.of(inputs), ImportOptions.NONE);
    }

    private Discovery discover(char[] password, Input... inputs) {
        return connector.discover(List.of(inputs), new ImportOptions(null, null, password));
    }

    private static IdentityRecord byName(Discovery d, String name) {
        return d.records().stream()
                .filter(r -> r.identity().name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no identity named " + name + " in " + d.records()));
    }

    private static String sha256Hex(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void a_certificate_becomes_an_identity_with_its_subject_sans_key_and_validity() throws Exception {
        Path file = write("tls/leaf.pem", TestCertificates.pem(LEAF));

        IdentityRecord r = discover(Input.path(file)).records().get(0);

        Identity i = r.identity();
        assertThat(i.kind()).isEqualTo(IdentityKind.CERTIFICATE);
        assertThat(i.name()).isEqualTo("payments-api");
        assertThat(i.externalId()).isEqualTo(ExternalIds.certificate(TestCertificates.der(LEAF)));
        assertThat(i.source().type()).isEqualTo("certificate");
        assertThat(i.source().scope())
                .isEqualTo(file.getParent().toAbsolutePath().toString());
        assertThat(i.createdAt()).isEqualTo(LEAF.getNotBefore().toInstant());
        assertThat(i.nature()).isEqualTo(Nature.MACHINE);
        assertThat(i.attributes())
                .containsEntry("subject", "CN=payments-api,O=Warden Test")
                .containsEntry("issuer", "CN=Warden Test Root CA,O=Warden Test")
                .containsEntry("serial", LEAF.getSerialNumber().toString(16))
                .containsEntry("san_dns", "payments-api.internal, api.payments.example")
                .containsEntry("san_ip", "10.1.2.3")
                .containsEntry("san_uri", "spiffe://prod.example/team/payments/ns/payments/sa/api")
                .containsEntry("san_email", "payments-oncall@example.com")
                .containsEntry("spiffe_id", "spiffe://prod.example/team/payments/ns/payments/sa/api")
                .containsEntry("key_algorithm", "EC")
                .containsEntry("key_curve", "P-256")
                .containsEntry("key_size", "256")
                .containsEntry("signature_algorithm", "SHA256withRSA")
                .containsEntry("is_ca", "false")
                .containsEntry("self_signed", "false")
                .containsEntry("extended_key_usage", "serverAuth")
                .containsEntry("spki_sha256", sha256Hex(LEAF_KEYS.getPublic().getEncoded()))
                .containsEntry("files", "leaf.pem")
                .containsEntry("not_after", LEAF.getNotAfter().toInstant().toString());
        assertThat(r.credentials()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(CredentialKind.CERTIFICATE);
            assertThat(c.fingerprint()).isEqualTo(sha256Hex(TestCertificates.der(LEAF)));
            assertThat(c.createdAt()).isEqualTo(LEAF.getNotBefore().toInstant());
            assertThat(c.expiresAt()).isEqualTo(LEAF.getNotAfter().toInstant());
            assertThat(c.status()).isEqualTo(CredentialStatus.ACTIVE);
            assertThat(c.attributes())
                    .containsEntry(
                            "spki_sha256", sha256Hex(LEAF_KEYS.getPublic().getEncoded()));
        });
        assertThat(r.entitlements()).isEmpty();
    }

    @Test
    void a_spiffe_id_names_the_workload_and_an_explicit_team_segment_the_owner() {
        Identity i = discover(Input.path(write("leaf.pem", TestCertificates.pem(LEAF))))
                .records()
                .get(0)
                .identity();

        assertThat(i.workload()).isEqualTo("spiffe://prod.example/team/payments/ns/payments/sa/api");
        assertThat(i.technicalOwner()).isEqualTo("payments");
        assertThat(i.ownershipProvenance()).isEqualTo("spiffe id path");
    }

    @Test
    void a_ca_is_recorded_as_self_signed_and_ca() {
        Identity i = byName(discover(Input.path(write("ca.pem", TestCertificates.pem(CA)))), "Warden Test Root CA")
                .identity();

        assertThat(i.attributes())
                .containsEntry("is_ca", "true")
                .containsEntry("self_signed", "true")
                .containsEntry("key_algorithm", "RSA")
                .containsEntry("key_size", "2048")
                .containsEntry("key_usage", "keyCertSign, cRLSign");
        assertThat(i.workload()).isNull();
        assertThat(i.hasOwner()).isFalse();
    }

    @Test
    void key_algorithms_sizes_curves_and_weak_signatures_are_recorded() {
        Instant nb = T0.minus(days(1));
        Instant na = T0.plus(days(90));
        KeyPair weak = TestCertificates.rsa(1024);
        KeyPair ed = TestCertificates.ed25519();
        String pem = TestCertificates.pem(
                cert("CN=legacy-rsa1024", weak, nb, na).selfSigned(),
                cert("CN=legacy-sha1", TestCertificates.rsa(2048), nb, na)
                        .signature("SHA1withRSA")
                        .selfSigned(),
                cert("CN=edge-ed25519", ed, nb, na).selfSigned());

        Discovery d = discover(Input.path(write("mixed.pem", pem)));

        assertThat(byName(d, "legacy-rsa1024").identity().attributes())
                .containsEntry("key_algorithm", "RSA")
                .containsEntry("key_size", "1024");
        assertThat(byName(d, "legacy-sha1").identity().attributes())
                .containsEntry("signature_algorithm", "SHA1withRSA");
        assertThat(byName(d, "edge-ed25519").identity().attributes())
                .containsEntry("key_algorithm", "Ed25519")
                .containsEntry("key_size", "256")
                .containsEntry("signature_algorithm", "Ed25519")
                .doesNotContainKey("key_curve");
    }

    @Test
    void an_expired_certificate_has_an_expired_credential_and_a_future_one_an_inactive_one() {
        String pem = TestCertificates.pem(
                cert("CN=expired", TestCertificates.ec(), T0.minus(days(400)), T0.minus(days(35)))
                        .selfSigned(),
                cert("CN=not-yet", TestCertificates.ec(), T0.plus(days(2)), T0.plus(days(400)))
                        .selfSigned());

        Discovery d = discover(Input.path(write("dates.pem", pem)));

        assertThat(byName(d, "expired").credentials().get(0).status()).isEqualTo(CredentialStatus.EXPIRED);
        assertThat(byName(d, "expired").credentials().get(0).expiresAt()).isEqualTo(T0.minus(days(35)));
        assertThat(byName(d, "not-yet").credentials().get(0).status()).isEqualTo(CredentialStatus.INACTIVE);
    }

    @Test
    void a_certificate_without_a_common_name_is_named_by_its_first_san() {
        String pem = TestCertificates.pem(
                cert("O=No Common Name", TestCertificates.ec(), T0.minus(days(1)), T0.plus(days(9)))
                        .uri("spiffe://prod.example/ns/billing/sa/worker")
                        .selfSigned());

        Identity i =
                discover(Input.path(write("svid.pem", pem))).records().get(0).identity();

        assertThat(i.name()).isEqualTo("spiffe://prod.example/ns/billing/sa/worker");
        assertThat(i.workload()).isEqualTo("spiffe://prod.example/ns/billing/sa/worker");
        assertThat(i.technicalOwner())
                .as("ns/sa names a workload, not an owner")
                .isNull();
    }

    @Test
    void an_smime_certificate_of_a_mailbox_is_classified_human() {
        String pem =
                TestCertificates.pem(cert("CN=Ann Smith", TestCertificates.ec(), T0.minus(days(1)), T0.plus(days(9)))
                        .email("ann.smith@example.com")
                        .eku(KeyPurposeId.id_kp_emailProtection)
                        .selfSigned());

        Identity i =
                discover(Input.path(write("ann.pem", pem))).records().get(0).identity();

        assertThat(i.nature()).isEqualTo(Nature.HUMAN);
        assertThat(i.natureReason()).contains("S/MIME");
    }

    @Test
    void a_pem_bundle_with_a_private_key_gives_its_certificates_and_never_the_key() {
        String keyPem = TestCertificates.pemKey(LEAF_KEYS.getPrivate());
        String bundle = "subject=CN=payments-api\n" + TestCertificates.pem(LEAF) + keyPem + "\n# the CA\n"
                + TestCertificates.pem(CA);

        Discovery d = discover(Input.path(write("bundle.pem", bundle)));

        assertThat(d.records()).hasSize(2);
        String keyBody =
                keyPem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        assertThat(d.toString()).doesNotContain(keyBody);
        assertThat(d.records())
                .allSatisfy(r -> assertThat(r.identity().attributes()).containsEntry("private_key_in_file", "true"));
        assertThat(d.notes())
                .anySatisfy(n -> assertThat(n).contains("bundle.pem").contains("1 private key"));
    }

    @Test
    void der_and_pkcs7_files_are_read_by_content_whatever_their_extension() throws Exception {
        Path der = write("leaf.cer", TestCertificates.der(LEAF));
        Path p7b = write("chain.p7b", pkcs7(LEAF, CA));
        Path derNamedPem = write("oddly-named.pem", TestCertificates.der(CA));

        Discovery d = discover(Input.path(der), Input.path(p7b), Input.path(derNamedPem));

        assertThat(d.records())
                .extracting(r -> r.identity().name())
                .containsExactly("payments-api", "Warden Test Root CA");
        assertThat(byName(d, "payments-api").identity().attributes()).containsEntry("files", "chain.p7b, leaf.cer");
        assertThat(byName(d, "Warden Test Root CA").identity().attributes())
                .containsEntry("files", "chain.p7b, oddly-named.pem");
    }

    private static byte[] pkcs7(X509Certificate... certs) throws Exception {
        return java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertPath(List.of(certs))
                .getEncoded("PKCS7");
    }

    @Test
    void a_pkcs12_key_store_gives_its_chain_with_aliases_and_positions() {
        char[] pw = "changeit-123".toCharArray();
        Path p12 = write("server.p12", TestCertificates.keyStore("PKCS12", pw, LEAF_KEYS.getPrivate(), LEAF, CA));

        Discovery d = discover(pw, Input.path(p12));

        assertThat(d.records()).hasSize(2);
        assertThat(byName(d, "payments-api").identity().attributes())
                .containsEntry("keystore_alias", "server")
                .containsEntry("chain_position", "0")
                .containsEntry("private_key_in_file", "true");
        assertThat(byName(d, "Warden Test Root CA").identity().attributes())
                .containsEntry("keystore_alias", "server, trusted-ca")
                .containsEntry("chain_position", "1");
        assertThat(d.notes())
                .anySatisfy(n -> assertThat(n).contains("1 private key").contains("not read"));
    }

    @Test
    void a_pkcs12_with_the_wrong_password_fails_naming_the_file() {
        Path p12 = write(
                "server.pfx",
                TestCertificates.keyStore("PKCS12", "right".toCharArray(), LEAF_KEYS.getPrivate(), LEAF, CA));

        assertThatThrownBy(() -> discover("wrong".toCharArray(), Input.path(p12)))
                .isInstanceOf(InputException.class)
                .hasMessageContaining(p12.toString())
                .hasMessageContaining("wrong password");
        assertThatThrownBy(() -> discover(Input.path(p12)))
                .isInstanceOf(InputException.class)
                .hasMessageContaining(p12.toString())
                .hasMessageContaining("password");
    }

    @Test
    void a_jks_key_store_is_read_with_its_password_and_refused_with_a_wrong_one() {
        char[] pw = "storepass".toCharArray();
        Path jks = write("truststore.jks", TestCertificates.keyStore("JKS", pw, LEAF_KEYS.getPrivate(), LEAF, CA));

        assertThat(discover(pw, Input.path(jks)).records()).hasSize(2);
        assertThat(discover(Input.path(jks)).records())
                .as("a JKS's certificates are readable without a password")
                .hasSize(2);
        assertThatThrownBy(() -> discover("nope".toCharArray(), Input.path(jks)))
                .isInstanceOf(InputException.class)
                .hasMessageContaining(jks.toString())
                .hasMessageContaining("wrong password");
    }

    @Test
    void a_directory_is_walked_and_each_directory_read_is_covered() {
        write("etc/ssl/a.pem", TestCertificates.pem(LEAF));
        write("etc/ssl/copy-of-a.crt", TestCertificates.der(LEAF));
        write("etc/ssl/key.pem", TestCertificates.pemKey(LEAF_KEYS.getPrivate()));
        write("etc/ssl/readme.txt", "not read");
        write("etc/ssl/ca/root.pem", TestCertificates.pem(CA));
        write("etc/ssl/.git/objects.pem", "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n");
        Path root = dir.resolve("etc/ssl");

        Discovery d = discover(Input.path(root));

        assertThat(d.records()).hasSize(2);
        IdentityRecord leaf = byName(d, "payments-api");
        assertThat(leaf.identity().source().scope())
                .isEqualTo(root.toAbsolutePath().toString());
        assertThat(leaf.identity().attributes())
                .containsEntry("files", "a.pem, copy-of-a.crt")
                .doesNotContainKey("private_key_in_file");
        assertThat(byName(d, "Warden Test Root CA").identity().source().scope())
                .isEqualTo(root.resolve("ca").toAbsolutePath().toString());
        assertThat(d.coverage())
                .extracting(Coverage::scope)
                .containsExactly(
                        root.toAbsolutePath().toString(),
                        root.resolve("ca").toAbsolutePath().toString());
        assertThat(d.coverage()).allSatisfy(c -> assertThat(c.kind()).isEqualTo(IdentityKind.CERTIFICATE));
        assertThat(d.notes()).anySatisfy(n -> assertThat(n).contains("key.pem").contains("no certificates"));
    }

    @Test
    void a_file_named_alone_or_uploaded_content_covers_nothing() {
        Discovery file = discover(Input.path(write("one.pem", TestCertificates.pem(LEAF))));
        Discovery upload =
                discover(Input.content("upload.pem", TestCertificates.pem(LEAF).getBytes(StandardCharsets.US_ASCII)));

        assertThat(file.coverage()).isEmpty();
        assertThat(upload.coverage()).isEmpty();
        assertThat(upload.records().get(0).identity().source().scope()).isEmpty();
        assertThat(upload.records().get(0).identity().attributes()).containsEntry("files", "upload.pem");
    }

    @Test
    void garbage_truncated_and_malformed_pem_fail_naming_the_file_and_line() {
        Path garbage = write("garbage.pem", "this is not a certificate\n");
        Path truncated = write("truncated.pem", TestCertificates.pem(LEAF).substring(0, 200));
        Path badBase64 = write("bad64.pem", "# leaf\n-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n");
        Path notCert =
                write("notcert.pem", TestCertificates.block("CERTIFICATE", new byte[] {0x30, 0x03, 0x02, 0x01, 0x05}));
        Path mismatched = write("mismatch.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END PRIVATE KEY-----\n");
        Path empty = write("empty.crt", new byte[0]);

        assertThatThrownBy(() -> discover(Input.path(garbage)))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(garbage + ": not a certificate file");
        assertThatThrownBy(() -> discover(Input.path(truncated)))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(truncated + ":1: BEGIN CERTIFICATE without a matching END");
        assertThatThrownBy(() -> discover(Input.path(badBase64)))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(badBase64 + ":2: PEM block is not valid base64");
        assertThatThrownBy(() -> discover(Input.path(notCert)))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(notCert + ":1: not a valid X.509 certificate");
        assertThatThrownBy(() -> discover(Input.path(mismatched)))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(mismatched + ":3:");
        assertThatThrownBy(() -> discover(Input.path(empty)))
                .isInstanceOf(InputException.class)
                .hasMessage(empty + ": empty file");
    }

    @Test
    void one_bad_file_in_a_directory_fails_the_whole_import() {
        write("certs/good.pem", TestCertificates.pem(LEAF));
        Path bad = write("certs/bad.crt", "garbage".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> discover(Input.path(dir.resolve("certs"))))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(bad.toString());
    }

    @Test
    void a_tls_endpoint_gives_its_presented_chain_and_receives_nothing_after_the_handshake() {
        try (LoopbackServer server = LoopbackServer.tls(LEAF_KEYS.getPrivate(), false, LEAF, CA)) {
            String endpoint = "127.0.0.1:" + server.port();

            Discovery d = discover(Input.url("tls://" + endpoint));

            assertThat(d.records()).hasSize(2);
            IdentityRecord leaf = byName(d, "payments-api");
            assertThat(leaf.identity().source().scope()).isEqualTo(endpoint);
            assertThat(leaf.identity().externalId()).isEqualTo(ExternalIds.certificate(TestCertificates.der(LEAF)));
            assertThat(leaf.identity().attributes())
                    .containsEntry("chain_position", "0")
                    .containsEntry("endpoint", endpoint)
                    .doesNotContainKey("sni");
            assertThat(byName(d, "Warden Test Root CA").identity().attributes()).containsEntry("chain_position", "1");
            assertThat(d.coverage())
                    .containsExactly(new Coverage("certificate", endpoint, IdentityKind.CERTIFICATE, ""));
            server.close();
            assertThat(server.sniNames).containsExactly("");
            assertThat(server.bytesAfterHandshake).containsExactly(0);
        }
    }

    @Test
    void a_tls_endpoint_by_host_name_is_asked_for_that_name_by_sni() {
        try (LoopbackServer server = LoopbackServer.tls(LEAF_KEYS.getPrivate(), false, LEAF, CA)) {
            Discovery d = discover(Input.url("tls://localhost:" + server.port()));

            assertThat(byName(d, "payments-api").identity().attributes()).containsEntry("sni", "localhost");
            server.close();
            assertThat(server.sniNames).containsExactly("localhost");
        }
    }

    @Test
    void an_endpoint_that_demands_a_client_certificate_still_shows_its_chain() {
        try (LoopbackServer server = LoopbackServer.tls(LEAF_KEYS.getPrivate(), true, LEAF, CA)) {
            Discovery d = discover(Input.url("tls://127.0.0.1:" + server.port()));

            assertThat(d.records())
                    .extracting(r -> r.identity().name())
                    .containsExactly("payments-api", "Warden Test Root CA");
        }
    }

    @Test
    void a_plain_tcp_server_is_not_a_tls_endpoint() {
        try (LoopbackServer server = LoopbackServer.plain()) {
            String url = "tls://127.0.0.1:" + server.port();

            assertThatThrownBy(() -> discover(Input.url(url)))
                    .isInstanceOf(InputException.class)
                    .hasMessageStartingWith(url + ": ")
                    .hasMessageContaining("not a TLS endpoint");
        }
    }

    @Test
    void a_silent_server_times_out_the_handshake() {
        CertificateConnector quick = new CertificateConnector(
                Clock.fixed(T0, ZoneOffset.UTC), Duration.ofSeconds(2), Duration.ofMillis(300));
        try (LoopbackServer server = LoopbackServer.silent()) {
            String url = "tls://127.0.0.1:" + server.port();

            assertThatThrownBy(() -> quick.discover(List.of(Input.url(url)), ImportOptions.NONE))
                    .isInstanceOf(InputException.class)
                    .hasMessage(url + ": no TLS handshake within 300 ms (not a TLS endpoint?)");
        }
    }

    @Test
    void a_closed_port_or_a_bad_url_fails_naming_the_endpoint() {
        String closed = "tls://127.0.0.1:" + LoopbackServer.closedPort();

        assertThatThrownBy(() -> discover(Input.url(closed)))
                .isInstanceOf(InputException.class)
                .hasMessage(closed + ": cannot connect: connection refused or unreachable");
        assertThatThrownBy(() -> discover(Input.url("https://example.com")))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("https://example.com: ");
        assertThatThrownBy(() -> discover(Input.url("tls://example.com:443/path")))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("no path");
        assertThatThrownBy(() -> discover(Input.url("tls://example.com:443?proxy=x")))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("sni=NAME");
    }

    @Test
    void endpoints_and_files_mix_in_one_import_and_a_certificate_is_one_identity_per_place() {
        Path file = write("leaf.pem", TestCertificates.pem(LEAF));
        try (LoopbackServer server = LoopbackServer.tls(LEAF_KEYS.getPrivate(), false, LEAF, CA)) {
            Discovery d = discover(Input.path(file), Input.url("tls://127.0.0.1:" + server.port()));

            assertThat(d.records())
                    .filteredOn(r -> r.identity().name().equals("payments-api"))
                    .extracting(r -> r.identity().source().scope())
                    .containsExactly(file.getParent().toAbsolutePath().toString(), "127.0.0.1:" + server.port());
        }
    }

    @Test
    void no_part_of_a_discovery_holds_key_material_from_a_key_store() {
        char[] pw = "pw".toCharArray();
        Path p12 = write("k.p12", TestCertificates.keyStore("PKCS12", pw, LEAF_KEYS.getPrivate(), LEAF, CA));

        Discovery d = discover(pw, Input.path(p12));

        byte[] key = LEAF_KEYS.getPrivate().getEncoded();
        assertThat(d.toString())
                .doesNotContain(HexFormat.of().formatHex(key))
                .doesNotContain(
                        java.util.Base64.getEncoder().encodeToString(key).substring(0, 40));
    }
}
