package dev.warden.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.app.WardenConfig;
import dev.warden.broker.attest.AttestationException;
import dev.warden.broker.attest.Proof;
import dev.warden.broker.issue.postgresql.PgTarget;
import dev.warden.http.HttpServer;
import dev.warden.store.Dialect;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestPki;
import dev.warden.testing.TestStores;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The x509 attestor end to end: Warden serves HTTPS, asks for client certificates from the
 * configured CA, and exchanges an X.509-SVID presented in a real TLS handshake for a token bound
 * to that certificate (RFC 8705 {@code cnf.x5t#S256}).
 */
class MtlsExchangeTest {
    @TempDir
    Path dir;

    @Test
    void an_x509_svid_presented_over_mtls_is_exchanged_for_a_certificate_bound_token() throws Exception {
        // Real wall-clock validity here: the TLS stack checks certificates against the real time.
        Instant now = Instant.now();
        TestPki pki = new TestPki("warden test ca", now);
        TestPki.Issued server = pki.server(now);
        TestPki.Issued client = pki.client("spiffe://example.org/billing/api", now, Duration.ofHours(1));
        TestPki.Issued rogue =
                new TestPki("rogue ca", now).client("spiffe://example.org/billing/api", now, Duration.ofHours(1));
        TestPki.writePem(dir.resolve("ca.pem"), pki.ca);
        TestPki.writePem(dir.resolve("server.pem"), server.cert());
        TestPki.writePem(dir.resolve("server.key"), server.key());
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("svid.yaml"), """
                policies:
                  - name: billing-api
                    owner: team-billing
                    match: {attestors: [mtls], workloads: ["spiffe://example.org/billing/*"]}
                    grant: {audiences: ["https://ledger.example.com"], scopes: [read], defaultScopes: [read]}
                """);
        Path cfg = Files.writeString(dir.resolve("warden.yaml"), """
                server:
                  tls: {port: 0, certificate: server.pem, privateKey: server.key}
                broker:
                  issuer: https://warden.test
                  policies: policies
                  attestors:
                    - {name: mtls, kind: x509, caFile: ca.pem, trustDomain: example.org}
                """);
        TestClock clock = new TestClock(now);
        try (Warden w = Warden.open(
                new StoreLocation(dir, TestStores.fresh(Dialect.SQLITE, dir)), clock, WardenConfig.load(cfg))) {
            HttpServer http = w.serve("127.0.0.1", 0);
            assertThat(http.tlsPort()).isPositive();
            String url = "https://127.0.0.1:" + http.tlsPort() + "/oauth2/token";
            Map<String, String> form = Map.of(
                    "grant_type",
                    TokenExchange.GRANT_TYPE,
                    "subject_token",
                    thumbprint(client.cert()),
                    "subject_token_type",
                    TokenExchange.TYPE_TLS_CERT,
                    "audience",
                    "https://ledger.example.com");

            HttpResponse<String> ok = post(client(pki, client), url, form);
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            JsonNode j = new ObjectMapper().readTree(ok.body());
            SignedJWT jwt = SignedJWT.parse(j.get("access_token").asText());
            assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("spiffe://example.org/billing/api");
            assertThat(jwt.getJWTClaimsSet().getJSONObjectClaim("cnf"))
                    .containsEntry("x5t#S256", thumbprint(client.cert()));
            assertThat(w.inventory()
                            .show("spiffe://example.org/billing/api", null)
                            .orElseThrow()
                            .identity()
                            .businessOwner())
                    .isEqualTo("team-billing");

            // Without a client certificate, or with a thumbprint of another certificate: refused.
            HttpResponse<String> none = post(client(pki, null), url, form);
            assertThat(none.statusCode()).isEqualTo(400);
            assertThat(none.body()).contains("needs a client certificate");
            Map<String, String> wrong = new HashMap<>(form);
            wrong.put("subject_token", thumbprint(rogue.cert()));
            assertThat(post(client(pki, client), url, wrong).body()).contains("thumbprint of the client certificate");

            // A certificate from another CA does not even complete the handshake.
            boolean refused;
            try {
                refused = post(client(pki, rogue), url, form).statusCode() != 200;
            } catch (IOException e) {
                refused = true;
            }
            assertThat(refused).isTrue();
        }
    }

    @Test
    void a_client_certificate_over_mtls_obtains_a_leased_login_the_policy_grants_for_at_most_its_ttl()
            throws Exception {
        Instant now = Instant.now();
        TestPki pki = new TestPki("warden test ca", now);
        TestPki.Issued server = pki.server(now);
        TestPki.Issued client = pki.client("spiffe://example.org/billing/api", now, Duration.ofHours(1));
        TestPki.writePem(dir.resolve("ca.pem"), pki.ca);
        TestPki.writePem(dir.resolve("server.pem"), server.cert());
        TestPki.writePem(dir.resolve("server.key"), server.key());
        PgTarget target = PgTarget.create();
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("db.yaml"), """
                policies:
                  - name: billing-db
                    owner: team-billing
                    match: {attestors: [mtls], workloads: ["spiffe://example.org/billing/*"]}
                    grant: {audiences: ["urn:warden:creds:postgresql:readonly"], maxTtl: 30m, defaultTtl: 10m}
                """);
        String pg = target.yaml().indent(6).stripTrailing().replaceFirst("^ {6}name:", "    - name:");
        Path cfg = Files.writeString(dir.resolve("warden.yaml"), """
                server:
                  tls: {port: 0, certificate: server.pem, privateKey: server.key}
                broker:
                  issuer: https://warden.test
                  policies: policies
                  attestors:
                    - {name: mtls, kind: x509, caFile: ca.pem, trustDomain: example.org}
                  postgresql:
                %s
                """.formatted(pg));
        WardenConfig config = WardenConfig.load(cfg, Map.of(PgTarget.ENV, target.adminUrl)::get);
        try (Warden w = Warden.open(
                new StoreLocation(dir, TestStores.fresh(Dialect.SQLITE, dir)), new TestClock(now), config)) {
            HttpServer http = w.serve("127.0.0.1", 0);
            String url = "https://127.0.0.1:" + http.tlsPort() + "/v1/creds/postgresql/readonly";

            HttpResponse<String> ok = postJson(client(pki, client), url, "{\"ttl\": \"1h\"}");
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
            JsonNode j = new ObjectMapper().readTree(ok.body());
            assertThat(j.get("ttl").asLong()).isBetween(1L, 1800L);
            assertThat(w.leases().get(j.get("leaseId").asText()).orElseThrow().workload())
                    .isEqualTo("spiffe://example.org/billing/api");
            assertThat(target.login(
                                    j.get("username").asText(),
                                    j.get("password").asText())
                            .isValid(5))
                    .isTrue();

            // Neither a bearer token nor a client certificate: refused before anything is decided.
            assertThat(postJson(client(pki, null), url, "{}").statusCode()).isEqualTo(401);
            // The workload is the certificate's; it may not name another.
            assertThat(postJson(client(pki, client), url, "{\"workload\": \"other\"}")
                            .statusCode())
                    .isEqualTo(400);
        }
    }

    private static HttpResponse<String> postJson(HttpClient c, String url, String json) throws Exception {
        return c.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient c, String url, Map<String, String> form) throws Exception {
        return c.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(BrokerHarness.encode(form)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient client(TestPki pki, TestPki.Issued cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", pki.ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (cert != null) {
            keys.setKeyEntry("client", cert.key().getPrivate(), new char[0], new Certificate[] {cert.cert()});
        }
        kmf.init(keys, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder()
                .sslContext(ctx)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** The mTLS subject token of a client certificate: its RFC 8705 thumbprint, as the proof carries it. */
    private static String thumbprint(X509Certificate cert) throws AttestationException {
        return Proof.Certificate.of(List.of(cert)).thumbprint();
    }
}
