package dev.warden.broker.attest.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.warden.broker.attest.Attestation;
import dev.warden.broker.attest.AttestationException;
import dev.warden.broker.attest.JwtParts;
import dev.warden.broker.attest.Proof;
import dev.warden.config.ConfigException;
import dev.warden.testing.Fixtures;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestConfig;
import dev.warden.testing.TestIssuer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 8725 checks of the OIDC attestor, one hostile input per test, against a test issuer whose
 * JWKS is served over real HTTP on loopback.
 */
class OidcAttestorTest {
    private static final String ISS = "https://token.actions.githubusercontent.com";
    private static final String SUB = "repo:acme/payments:ref:refs/heads/main";
    private static TestIssuer issuer;
    private static String jwksUrl;

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Fixtures.T0);

    @BeforeAll
    static void start() {
        issuer = new TestIssuer(ISS);
        jwksUrl = issuer.serveJwks();
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    private OidcAttestor attestor(String extra) {
        return OidcAttestor.fromConfig(
                "github",
                TestConfig.node(
                        "broker.attestors[0]",
                        "{issuer: '" + ISS + "', profile: github, audiences: [warden, sts.example],"
                                + " algorithms: [RS256, ES256, EdDSA], jwksUrl: '" + jwksUrl + "'" + extra + "}"),
                clock);
    }

    private Map<String, Object> claims() {
        Map<String, Object> c = issuer.claims(SUB, "warden", Fixtures.T0);
        c.put("repository", "acme/payments");
        c.put("repository_owner", "acme");
        c.put("ref", "refs/heads/main");
        c.put("environment", "prod");
        return c;
    }

    private Attestation attest(String token) throws AttestationException {
        return attestor("").attest(new Proof.Jwt(JwtParts.parse(token)));
    }

    private void rejected(String token, String code, String fragment) {
        assertThatThrownBy(() -> attest(token))
                .isInstanceOf(AttestationException.class)
                .hasMessageContaining(fragment)
                .satisfies(e -> assertThat(((AttestationException) e).code()).isEqualTo(code));
    }

    @Test
    void rs256_es256_and_eddsa_tokens_are_accepted_and_normalised() throws Exception {
        for (String t : List.of(issuer.rs256(claims()), issuer.es256(claims()), issuer.eddsa(claims()))) {
            Attestation a = attest(t);
            assertThat(a.workload()).isEqualTo(SUB);
            assertThat(a.attributes())
                    .containsEntry("repository", "acme/payments")
                    .containsEntry("environment", "prod");
            assertThat(a.proofId()).isNotNull();
        }
    }

    @Test
    void alg_none_is_rejected() {
        rejected(TestIssuer.unsigned(claims()), "alg_not_allowed", "alg none");
    }

    @Test
    void hs256_signed_with_the_public_key_is_rejected() {
        rejected(issuer.hs256WithPublicKey(claims()), "alg_not_allowed", "HMAC");
    }

    @Test
    void algorithm_outside_the_issuers_allow_list_is_rejected() throws Exception {
        OidcAttestor rsOnly = OidcAttestor.fromConfig(
                "github",
                TestConfig.node(
                        "a",
                        "{issuer: '" + ISS + "', audiences: [warden], algorithms: [RS256], jwksUrl: '" + jwksUrl
                                + "'}"),
                clock);
        assertThatThrownBy(() -> rsOnly.attest(new Proof.Jwt(JwtParts.parse(issuer.es256(claims())))))
                .isInstanceOf(AttestationException.class)
                .hasMessageContaining("ES256 is not allowed");
    }

    @Test
    void unknown_kid_is_rejected() {
        String t = TestIssuer.sign(
                claims(),
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("nope").build(),
                issuer.rsa);
        rejected(t, "unknown_key", "no key with kid 'nope'");
    }

    @Test
    void key_of_the_wrong_type_for_the_algorithm_is_not_used() {
        // ES256 header naming the RSA key's kid: the RSA key never verifies an ES256 signature.
        String t = TestIssuer.sign(
                claims(),
                new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("rsa-1").build(),
                issuer.ec);
        rejected(t, "unknown_key", "kid 'rsa-1'");
    }

    @Test
    void tampered_payload_is_rejected() {
        String t = issuer.rs256(claims());
        String[] p = t.split("\\.");
        Map<String, Object> evil = claims();
        evil.put("sub", "repo:acme/other:ref:refs/heads/main");
        rejected(p[0] + "." + TestIssuer.b64(TestIssuer.json(evil)) + "." + p[2], "bad_signature", "signature");
    }

    @Test
    void expired_token_is_rejected() {
        Map<String, Object> c = claims();
        c.put("exp", Fixtures.T0.minus(Duration.ofMinutes(2)).getEpochSecond());
        c.put("iat", Fixtures.T0.minus(Duration.ofMinutes(12)).getEpochSecond());
        c.put("nbf", Fixtures.T0.minus(Duration.ofMinutes(12)).getEpochSecond());
        rejected(issuer.rs256(c), "expired", "expired");
    }

    @Test
    void expiry_within_the_clock_skew_is_tolerated_but_not_beyond() throws Exception {
        Map<String, Object> c = claims();
        c.put("iat", Fixtures.T0.minus(Duration.ofMinutes(5)).getEpochSecond());
        c.put("nbf", Fixtures.T0.minus(Duration.ofMinutes(5)).getEpochSecond());
        c.put("exp", Fixtures.T0.minus(Duration.ofSeconds(20)).getEpochSecond());
        String t = issuer.rs256(c);
        attest(t); // default skew 30s
        clock.advance(Duration.ofSeconds(15));
        rejected(t, "expired", "expired");
    }

    @Test
    void not_yet_valid_token_is_rejected() {
        Map<String, Object> c = claims();
        c.put("nbf", Fixtures.T0.plus(Duration.ofMinutes(5)).getEpochSecond());
        rejected(issuer.rs256(c), "not_yet_valid", "not valid before");
    }

    @Test
    void token_issued_in_the_future_is_rejected() {
        Map<String, Object> c = claims();
        c.put("iat", Fixtures.T0.plus(Duration.ofMinutes(5)).getEpochSecond());
        c.remove("nbf");
        rejected(issuer.rs256(c), "issued_in_future", "issued in the future");
    }

    @Test
    void token_without_exp_is_rejected() {
        Map<String, Object> c = claims();
        c.remove("exp");
        rejected(issuer.rs256(c), "malformed", "no exp claim");
    }

    @Test
    void overlong_token_lifetime_is_rejected() {
        Map<String, Object> c = claims();
        c.put("exp", Fixtures.T0.plus(Duration.ofDays(30)).getEpochSecond());
        rejected(issuer.rs256(c), "lifetime_too_long", "lifetime");
    }

    @Test
    void wrong_issuer_is_rejected() {
        Map<String, Object> c = claims();
        c.put("iss", "https://evil.example");
        // Routed by iss, so a direct call is what an attacker could at most achieve.
        rejected(issuer.rs256(c), "wrong_issuer", "issuer");
    }

    @Test
    void wrong_audience_is_rejected() {
        Map<String, Object> c = claims();
        c.put("aud", List.of("someone-else", "another"));
        rejected(issuer.rs256(c), "wrong_audience", "audience");
    }

    @Test
    void jku_and_embedded_jwk_headers_are_ignored() throws Exception {
        RSAKey attacker = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        JWSHeader h = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("rsa-1")
                .jwkURL(URI.create("https://attacker.example/jwks"))
                .jwk(attacker.toPublicJWK())
                .build();
        rejected(TestIssuer.sign(claims(), h, attacker), "bad_signature", "signature");
    }

    @Test
    void one_megabyte_token_is_rejected_before_parsing() {
        String big = "a".repeat(1024 * 1024);
        assertThatThrownBy(() -> JwtParts.parse(big + "." + big + "." + big))
                .isInstanceOf(AttestationException.class)
                .hasMessageContaining("larger than 16384 bytes");
    }

    @Test
    void garbage_base64_is_rejected() {
        assertThatThrownBy(() -> JwtParts.parse("eyJ!!!.%%%.***"))
                .isInstanceOf(AttestationException.class)
                .hasMessageContaining("not base64url");
        assertThatThrownBy(() -> JwtParts.parse("not-a-jwt"))
                .isInstanceOf(AttestationException.class)
                .hasMessageContaining("compact JWS");
        assertThatThrownBy(() -> JwtParts.parse(TestIssuer.b64("[1,2]") + "." + TestIssuer.b64("{}") + ".c2ln"))
                .isInstanceOf(AttestationException.class)
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() ->
                        JwtParts.parse(TestIssuer.b64("{\"alg\":\"RS256\"}") + "." + TestIssuer.b64("{") + ".c2ln"))
                .isInstanceOf(AttestationException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void json_with_duplicate_claims_is_rejected() {
        long now = Fixtures.T0.getEpochSecond();
        String payload = "{\"iss\":\"" + ISS + "\",\"sub\":\"repo:acme/harmless:ref:x\",\"aud\":\"warden\",\"exp\":"
                + (now + 600) + ",\"sub\":\"" + SUB + "\"}";
        rejected(issuer.rs256Raw(payload), "duplicate_claim", "'sub' twice");
    }

    @Test
    void duplicate_header_members_are_rejected() {
        String header = TestIssuer.b64("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"alg\":\"none\"}");
        assertThatThrownBy(() -> JwtParts.parse(header + "." + TestIssuer.b64("{}") + ".c2ln"))
                .isInstanceOf(AttestationException.class)
                .hasMessageContaining("'alg' twice");
    }

    @Test
    void jwks_is_fetched_once_and_cached_between_tokens() throws Exception {
        OidcAttestor a = attestor("");
        int before = issuer.jwksFetches();
        for (int i = 0; i < 5; i++) {
            a.attest(new Proof.Jwt(JwtParts.parse(issuer.rs256(claims()))));
        }
        assertThat(issuer.jwksFetches() - before).isEqualTo(1);
    }

    @Test
    void a_rotated_issuer_key_is_picked_up_by_refetching_the_jwks() throws Exception {
        OidcAttestor a = attestor("");
        a.attest(new Proof.Jwt(JwtParts.parse(issuer.rs256(claims()))));
        RSAKey next = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
        issuer.publish(next);
        clock.advance(Duration.ofSeconds(31)); // early re-fetches are rate-limited to one per 30s
        String t = TestIssuer.sign(claims(), JWSAlgorithm.RS256, next);
        assertThat(a.attest(new Proof.Jwt(JwtParts.parse(t))).workload()).isEqualTo(SUB);
    }

    @Test
    void unknown_kids_do_not_make_warden_hammer_the_issuer() throws Exception {
        OidcAttestor a = attestor("");
        a.attest(new Proof.Jwt(JwtParts.parse(issuer.rs256(claims()))));
        int before = issuer.jwksFetches();
        for (int i = 0; i < 20; i++) {
            String t = TestIssuer.sign(
                    claims(),
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID("bogus-" + i)
                            .build(),
                    issuer.rsa);
            assertThatThrownBy(() -> a.attest(new Proof.Jwt(JwtParts.parse(t))))
                    .isInstanceOf(AttestationException.class);
        }
        assertThat(issuer.jwksFetches() - before).isLessThanOrEqualTo(1);
    }

    @Test
    void oversized_jwks_document_is_refused() throws Exception {
        OidcAttestor a = OidcAttestor.fromConfig(
                "big",
                TestConfig.node(
                        "a",
                        "{issuer: '" + ISS + "', audiences: [warden], jwksUrl: '" + jwksUrl.replace("/jwks", "/huge")
                                + "'}"),
                clock);
        assertThatThrownBy(() -> a.attest(new Proof.Jwt(JwtParts.parse(issuer.rs256(claims())))))
                .isInstanceOf(AttestationException.class)
                .hasMessageContaining("no key");
    }

    @Test
    void keys_can_come_from_a_jwks_file() throws Exception {
        Path file = issuer.writeJwks(dir.resolve("jwks.json"));
        OidcAttestor a = OidcAttestor.fromConfig(
                "file",
                TestConfig.node("a", "{issuer: '" + ISS + "', audiences: [warden], jwksFile: '" + file + "'}"),
                clock);
        assertThat(a.attest(new Proof.Jwt(JwtParts.parse(issuer.rs256(claims()))))
                        .workload())
                .isEqualTo(SUB);
    }

    @Test
    void kubernetes_profile_requires_a_service_account_subject() throws Exception {
        OidcAttestor k8s = OidcAttestor.fromConfig(
                "k8s",
                TestConfig.node(
                        "a",
                        "{issuer: '" + ISS + "', profile: kubernetes, cluster: prod-1, audiences: [warden],"
                                + " jwksUrl: '" + jwksUrl + "'}"),
                clock);
        Map<String, Object> c = issuer.claims("system:serviceaccount:payments:deployer", "warden", Fixtures.T0);
        c.put("kubernetes.io", Map.of("namespace", "payments", "pod", Map.of("name", "deployer-7c9")));
        Attestation a = k8s.attest(new Proof.Jwt(JwtParts.parse(issuer.rs256(c))));
        assertThat(a.attributes())
                .containsEntry("namespace", "payments")
                .containsEntry("serviceaccount", "deployer")
                .containsEntry("pod", "deployer-7c9")
                .containsEntry("cluster", "prod-1");
        Map<String, Object> bad = issuer.claims("alice", "warden", Fixtures.T0);
        assertThatThrownBy(() -> k8s.attest(new Proof.Jwt(JwtParts.parse(issuer.rs256(bad)))))
                .hasMessageContaining("not a Kubernetes service account");
    }

    @Test
    void configuration_errors_name_the_key() {
        assertThatThrownBy(() -> OidcAttestor.fromConfig(
                        "x", TestConfig.node("broker.attestors[2]", "{issuer: 'https://i', audiences: [a]}"), clock))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("broker.attestors[2]")
                .hasMessageContaining("jwksUrl");
        assertThatThrownBy(() -> OidcAttestor.fromConfig(
                        "x",
                        TestConfig.node(
                                "broker.attestors[0]",
                                "{issuer: 'https://i', audiences: [a], algorithms: [HS256], jwksUrl: 'https://i/k'}"),
                        clock))
                .hasMessageContaining("broker.attestors[0].algorithms")
                .hasMessageContaining("never none or HS*");
        assertThatThrownBy(() -> OidcAttestor.fromConfig(
                        "x",
                        TestConfig.node(
                                "broker.attestors[0]",
                                "{issuer: 'https://i', audiences: [a], jwksUrl: 'http://example.com/k'}"),
                        clock))
                .hasMessageContaining("broker.attestors[0].jwksUrl")
                .hasMessageContaining("https");
        assertThatThrownBy(() -> OidcAttestor.fromConfig(
                        "x",
                        TestConfig.node(
                                "broker.attestors[0]",
                                "{issuer: 'https://i', audiences: [a], jwksUrl: 'https://i/k', clockSkew: 5m}"),
                        clock))
                .hasMessageContaining("broker.attestors[0].clockSkew");
        assertThatThrownBy(() -> OidcAttestor.fromConfig(
                        "x",
                        TestConfig.node(
                                "broker.attestors[0]",
                                "{issuer: 'https://i', audiences: [a], jwksUrl: 'https://i/k', jwksURL: x}"),
                        clock))
                .hasMessageContaining("broker.attestors[0].jwksURL: unknown key");
    }

    @Test
    void header_type_and_unknown_headers_do_not_matter_but_crit_does() {
        String t = TestIssuer.sign(
                claims(),
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID("rsa-1")
                        .type(new JOSEObjectType("weird"))
                        .x509CertURL(URI.create("https://attacker.example/cert"))
                        .criticalParams(java.util.Set.of("exp"))
                        .build(),
                issuer.rsa);
        rejected(t, "malformed", "critical header");
    }
}
