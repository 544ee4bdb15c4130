package dev.warden.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.broker.ca.Pem;
import dev.warden.broker.lease.Lease;
import dev.warden.broker.lease.LeaseState;
import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.store.Dialect;
import dev.warden.testing.TestCsr;
import dev.warden.testing.TestIssuer;
import dev.warden.testing.TestStores;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/svid/x509} and {@code GET /v1/bundle} on a real server over loopback: a
 * Kubernetes-style subject token attested as for token exchange, a policy that names the SPIFFE ID,
 * real CSRs, and the issued certificates checked by Java's TLS stack and by openssl against the
 * served bundle. The clock starts at the real time because both check validity against it.
 */
class X509SvidApiTest {
    static final String SVID_POLICY = """
            policies:
              - name: payments-svid
                owner: team-payments
                match:
                  attestors: [k8s-prod]
                  workloads: ["system:serviceaccount:payments:*"]
                grant:
                  spiffeId: 'spiffe://example.org/ns/{{subject.attributes["namespace"]}}/sa/{{subject.attributes["serviceaccount"]}}'
                  dnsNames: ["*.payments.svc.cluster.local"]
                  maxTtl: 30m
                condition: request.credential == "x509-svid"
              - name: rogue-domain
                match: {workloads: ["system:serviceaccount:rogue:*"]}
                grant: {spiffeId: "spiffe://other.org/rogue"}
            """;
    static final String API = "system:serviceaccount:payments:api";
    static final String API_ID = "spiffe://example.org/ns/payments/sa/api";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestIssuer k8s;

    @TempDir
    Path dir;

    private BrokerHarness h;

    @BeforeAll
    static void issuer() {
        k8s = new TestIssuer(BrokerHarness.K8S);
    }

    @AfterAll
    static void stopIssuer() {
        k8s.close();
    }

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(dir.resolve("policies"));
        Files.writeString(dir.resolve("policies/svid.yaml"), SVID_POLICY);
        h = new BrokerHarness(
                dir,
                TestStores.fresh(Dialect.SQLITE, dir),
                k8s,
                "ca: {trustDomain: example.org}\n  verboseErrors: true", // the tests check each refusal's reason
                Instant.now());
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private BrokerHarness.Response svid(String token, String csr, Long ttl) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject_token", token);
        body.put("csr", csr);
        if (ttl != null) {
            body.put("ttl", ttl);
        }
        try {
            return h.postRaw("/v1/svid/x509", JSON.writeValueAsString(body), "application/json", null);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<X509Certificate> chain(JsonNode r) {
        return Pem.certificates(r.get("certificate_chain").asText());
    }

    private List<X509Certificate> bundleAnchors() throws Exception {
        BrokerHarness.Response b = h.get("/v1/bundle");
        assertThat(b.status()).isEqualTo(200);
        List<X509Certificate> out = new ArrayList<>();
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        for (JsonNode k : b.json().get("keys")) {
            if (k.get("use").asText().equals("x509-svid")) {
                byte[] der = Base64.getDecoder().decode(k.get("x5c").get(0).asText());
                out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
            }
        }
        return out;
    }

    private static void assertProblem(BrokerHarness.Response r, int status, String detail) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asText()).contains(detail);
    }

    @Test
    void a_workload_gets_an_x509_svid_with_the_spiffe_id_its_policy_names() throws Exception {
        KeyPair key = TestCsr.p256();
        BrokerHarness.Response r = svid(h.saToken(API), TestCsr.pem(key, null), null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.get("spiffe_id").asText()).isEqualTo(API_ID);
        assertThat(j.get("lease_id").asText()).isNotBlank();
        List<X509Certificate> chain = chain(j);
        assertThat(chain).hasSize(1);
        X509Certificate leaf = chain.get(0);
        assertThat(leaf.getPublicKey()).isEqualTo(key.getPublic());
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(6, API_ID));
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getCriticalExtensionOIDs()).contains(Extension.basicConstraints.getId());
        boolean[] ku = leaf.getKeyUsage();
        assertThat(ku[0]).as("digitalSignature").isTrue();
        assertThat(ku[2]).as("keyEncipherment (EC key)").isFalse();
        assertThat(ku[5]).as("keyCertSign").isFalse();
        assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(leaf.getExtensionValue(Extension.authorityKeyIdentifier.getId()))
                .isNotNull();
        assertThat(leaf.getExtensionValue(Extension.subjectKeyIdentifier.getId()))
                .isNotNull();
        assertThat(leaf.getSerialNumber().bitLength()).isGreaterThanOrEqualTo(64);
        Duration life = Duration.between(
                leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
        assertThat(life).isLessThanOrEqualTo(Duration.ofMinutes(31)); // policy maxTtl 30m + skew
        assertThat(Instant.parse(j.get("expires_at").asText()))
                .isEqualTo(leaf.getNotAfter().toInstant());
        assertThat(j.get("fingerprint").asText()).isEqualTo(Pem.sha256(leaf));
    }

    @Test
    void an_issued_svid_validates_in_a_java_tls_handshake_against_the_served_bundle() throws Exception {
        KeyPair serverKey = TestCsr.p256();
        KeyPair clientKey = TestCsr.p256();
        JsonNode server = svid(
                        h.saToken("system:serviceaccount:payments:ledger"),
                        TestCsr.pem(serverKey, null, "ledger.payments.svc.cluster.local"),
                        null)
                .json();
        JsonNode client =
                svid(h.saToken(API), TestCsr.pem(clientKey, API_ID), 600L).json();
        List<X509Certificate> anchors = bundleAnchors();
        assertThat(anchors).isNotEmpty();

        SSLContext serverCtx = tls(serverKey.getPrivate(), chain(server), anchors);
        SSLContext clientCtx = tls(clientKey.getPrivate(), chain(client), anchors);
        try (SSLServerSocket ss = (SSLServerSocket)
                serverCtx.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ss.setNeedClientAuth(true);
            CompletableFuture<X509Certificate> seenByServer = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.startHandshake();
                    X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
                    try (OutputStream out = s.getOutputStream()) {
                        out.write(42);
                    }
                    return peer;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            X509Certificate seenByClient;
            try (SSLSocket c = (SSLSocket)
                    clientCtx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
                c.startHandshake();
                seenByClient = (X509Certificate) c.getSession().getPeerCertificates()[0];
                try (InputStream in = c.getInputStream()) {
                    assertThat(in.read()).isEqualTo(42);
                }
            }
            assertThat(seenByServer.get(10, TimeUnit.SECONDS).getSubjectAlternativeNames())
                    .containsExactly(List.of(6, API_ID));
            assertThat(seenByClient.getSubjectAlternativeNames())
                    .contains(
                            List.of(6, "spiffe://example.org/ns/payments/sa/ledger"),
                            List.of(2, "ledger.payments.svc.cluster.local"));
        }
    }

    @Test
    void openssl_verify_accepts_an_issued_svid_against_the_served_bundle() throws Exception {
        Path openssl = Path.of("/usr/bin/openssl");
        Assumptions.assumeTrue(Files.isExecutable(openssl), "openssl is not installed");
        JsonNode r =
                svid(h.saToken(API), TestCsr.pem(TestCsr.p256(), null), null).json();
        Path bundle = Files.writeString(dir.resolve("bundle.pem"), Pem.pem(bundleAnchors()));
        Path leaf = Files.writeString(
                dir.resolve("leaf.pem"), r.get("certificate_chain").asText());
        Process p = new ProcessBuilder(
                        openssl.toString(),
                        "verify",
                        "-purpose",
                        "sslclient",
                        "-CAfile",
                        bundle.toString(),
                        leaf.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains(": OK");
    }

    @Test
    void the_bundle_is_a_spiffe_bundle_with_x509_and_jwt_authorities() {
        BrokerHarness.Response b = h.get("/v1/bundle");
        assertThat(b.status()).isEqualTo(200);
        JsonNode j = b.json();
        assertThat(j.get("spiffe_sequence").asLong()).isPositive();
        assertThat(j.get("spiffe_refresh_hint").asLong()).isEqualTo(300);
        List<String> uses = new ArrayList<>();
        for (JsonNode k : j.get("keys")) {
            uses.add(k.get("use").asText());
            if (k.get("use").asText().equals("x509-svid")) {
                assertThat(k.get("x5c")).hasSize(1);
            } else {
                assertThat(k.get("kid").asText()).isNotBlank();
                assertThat(k.has("d")).as("no private part").isFalse();
            }
        }
        assertThat(uses).contains("x509-svid", "jwt-svid");
    }

    @Test
    void an_issued_svid_is_a_lease_and_a_credential_of_the_workload_identity() {
        JsonNode r =
                svid(h.saToken(API), TestCsr.pem(TestCsr.p256(), null), null).json();
        IdentityRecord id = h.warden.inventory().show(API, null).orElseThrow();
        assertThat(id.identity().businessOwner()).isEqualTo("team-payments");
        Credential c = id.credentials().stream()
                .filter(x -> x.kind() == CredentialKind.CERTIFICATE)
                .findFirst()
                .orElseThrow();
        assertThat(c.externalId()).isEqualTo(r.get("fingerprint").asText());
        assertThat(Duration.between(
                                c.expiresAt(), Instant.parse(r.get("expires_at").asText()))
                        .abs())
                .isLessThan(Duration.ofSeconds(1));
        assertThat(c.attributes())
                .containsEntry("type", "x509-svid")
                .containsEntry("spiffe_id", API_ID)
                .containsEntry("lease.id", r.get("lease_id").asText());
        Lease lease = h.warden.leases().get(r.get("lease_id").asText()).orElseThrow();
        assertThat(lease.kind()).isEqualTo("x509-svid");
        assertThat(lease.state()).isEqualTo(LeaseState.ACTIVE);
        assertThat(lease.workload()).isEqualTo(API);
    }

    @Test
    void revoking_an_svid_lease_marks_the_lease_and_the_certificate_revoked() {
        JsonNode r =
                svid(h.saToken(API), TestCsr.pem(TestCsr.p256(), null), null).json();
        String leaseId = r.get("lease_id").asText();
        Lease revoked = h.warden.leases().revoke(leaseId, "test");
        assertThat(revoked.state()).isIn(LeaseState.REVOKED, LeaseState.REVOKING);
        h.warden.leases().reap();
        assertThat(h.warden.leases().get(leaseId).orElseThrow().state()).isEqualTo(LeaseState.REVOKED);
        Long revokedAt = h.warden
                .db()
                .withHandle(x -> x.createQuery("SELECT revoked_at FROM x509_svids WHERE lease_id = :id")
                        .bind("id", leaseId)
                        .mapTo(Long.class)
                        .one());
        assertThat(revokedAt).isNotNull();
    }

    @Test
    void a_csr_with_a_wrong_signature_is_refused() {
        KeyPair key = TestCsr.p256();
        String csr = TestCsr.pem(TestCsr.der(key, TestCsr.p256().getPrivate(), null));
        assertProblem(svid(h.saToken(API), csr, null), 400, "csr signature does not verify");
    }

    @Test
    void a_csr_asking_for_another_spiffe_id_than_the_policy_allows_is_refused() {
        String csr = TestCsr.pem(TestCsr.p256(), "spiffe://example.org/ns/payments/sa/admin");
        assertProblem(
                svid(h.saToken(API), csr, null),
                403,
                "csr asks for SPIFFE ID 'spiffe://example.org/ns/payments/sa/admin' but policy allows '" + API_ID);
    }

    @Test
    void dns_names_the_policy_does_not_allow_are_refused() {
        String csr = TestCsr.pem(TestCsr.p256(), null, "api.payments.svc.cluster.local", "evil.example.com");
        assertProblem(svid(h.saToken(API), csr, null), 403, "does not allow DNS name 'evil.example.com'");
    }

    @Test
    void a_huge_csr_is_refused_as_too_large() {
        String huge =
                "-----BEGIN CERTIFICATE REQUEST-----\n" + "A".repeat(20_000) + "\n-----END CERTIFICATE REQUEST-----\n";
        assertProblem(svid(h.saToken(API), huge, null), 413, "csr is larger than 16384 characters");
        BrokerHarness.Response body =
                h.postRaw("/v1/svid/x509", "{\"csr\":\"" + "A".repeat(70_000) + "\"}", "application/json", null);
        assertThat(body.status()).isEqualTo(413);
    }

    @Test
    void rsa_keys_under_2048_bits_are_refused() {
        assertProblem(
                svid(h.saToken(API), TestCsr.pem(TestCsr.rsa(1024), null), null),
                400,
                "RSA keys must be at least 2048 bits");
    }

    @Test
    void an_rsa_2048_key_gets_key_encipherment_too() throws Exception {
        BrokerHarness.Response r = svid(h.saToken(API), TestCsr.pem(TestCsr.rsa(2048), null), null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(chain(r.json()).get(0).getKeyUsage()[2]).isTrue();
    }

    @Test
    void ec_keys_on_curves_other_than_p256_and_p384_are_refused() {
        assertProblem(
                svid(h.saToken(API), TestCsr.pem(TestCsr.ec("secp521r1"), null), null),
                400,
                "EC keys must use curve P-256 or P-384");
    }

    @Test
    void a_ttl_above_the_maximum_is_refused() {
        assertProblem(
                svid(h.saToken(API), TestCsr.pem(TestCsr.p256(), null), 7200L),
                400,
                "ttl must be between 60 and 3600 seconds");
    }

    @Test
    void a_requested_ttl_is_capped_by_the_policy() throws Exception {
        JsonNode r =
                svid(h.saToken(API), TestCsr.pem(TestCsr.p256(), null), 3600L).json();
        X509Certificate leaf = chain(r).get(0);
        assertThat(Duration.between(Instant.now(), leaf.getNotAfter().toInstant()))
                .isLessThanOrEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void garbage_instead_of_a_csr_is_refused() {
        assertProblem(
                svid(
                        h.saToken(API),
                        "-----BEGIN CERTIFICATE REQUEST-----\nnot base64!\n-----END CERTIFICATE REQUEST-----",
                        null),
                400,
                "csr");
        assertProblem(
                svid(h.saToken(API), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", null),
                400,
                "not a PEM CERTIFICATE REQUEST");
        assertProblem(
                svid(h.saToken(API), "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", null),
                400,
                "not a DER-encoded PKCS#10");
        assertProblem(
                h.postRaw("/v1/svid/x509", "{\"csr\": [1,2", "application/json", null), 400, "malformed JSON body");
    }

    @Test
    void a_forged_subject_token_is_unauthorized_and_audited() {
        String forged = TestIssuer.sign(
                k8s.claims(API, "warden", h.clock.instant()),
                com.nimbusds.jose.JWSAlgorithm.RS256,
                new TestIssuer("https://k8s.test").rsa);
        assertProblem(svid(forged, TestCsr.pem(TestCsr.p256(), null), null), 401, "subject_token");
    }

    @Test
    void a_subject_token_is_accepted_once() {
        String token = h.saToken(API);
        assertThat(svid(token, TestCsr.pem(TestCsr.p256(), null), null).status())
                .isEqualTo(200);
        assertProblem(svid(token, TestCsr.pem(TestCsr.p256(), null), null), 401, "already used");
    }

    @Test
    void a_workload_without_an_svid_policy_is_forbidden() {
        assertProblem(
                svid(h.saToken("system:serviceaccount:billing:api"), TestCsr.pem(TestCsr.p256(), null), null),
                403,
                "no policy matches workload");
    }

    @Test
    void a_policy_naming_a_spiffe_id_outside_the_trust_domain_issues_nothing() {
        assertProblem(
                svid(h.saToken("system:serviceaccount:rogue:x"), TestCsr.pem(TestCsr.p256(), null), null),
                403,
                "outside the trust domain example.org");
    }

    @Test
    void the_ca_private_key_is_stored_sealed() {
        List<Map<String, Object>> rows = h.warden
                .db()
                .withHandle(x -> x.createQuery("SELECT private_key, mode FROM ca_authorities")
                        .mapToMap()
                        .list());
        assertThat(rows).hasSize(1);
        String stored = (String) rows.get(0).get("private_key");
        assertThat(stored).startsWith("wsb1.").doesNotContain("BEGIN").doesNotContain("MII");
        assertThat(rows.get(0).get("mode")).isEqualTo("self-signed");
    }

    static SSLContext tls(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> anchors) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "pw".toCharArray();
        ks.setKeyEntry("svid", key, pw, chain.toArray(new X509Certificate[0]));
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        for (int i = 0; i < anchors.size(); i++) {
            ts.setCertificateEntry("anchor-" + i, anchors.get(i));
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
