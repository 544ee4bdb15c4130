package dev.warden.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.warden.audit.AuditEntry;
import dev.warden.auth.Role;
import dev.warden.inventory.IdentityFilter;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.store.Dialect;
import dev.warden.testing.Fixtures;
import dev.warden.testing.TestIssuer;
import dev.warden.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * OAuth 2.0 Token Exchange over real HTTP on loopback: the happy path on SQLite and PostgreSQL,
 * and every hostile input answered with a precise RFC 6749/8693 error, no stack trace, and nothing
 * issued.
 */
class TokenExchangeApiTest {
    private static final String WORKLOAD = "system:serviceaccount:payments:deployer";
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

    /** With verbose errors: these tests check each refusal's reason (RefusalDetailTest checks the default). */
    private void start(Dialect dialect) {
        h = new BrokerHarness(dir, TestStores.fresh(dialect, dir), k8s, "verboseErrors: true");
    }

    private void start() {
        start(Dialect.SQLITE);
    }

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    private int issued() {
        return h.warden.broker().issuances().listSince(Instant.EPOCH, 1000).size();
    }

    /** An RFC 6749 §5.2 error: status, JSON body with the code, no-store, no stack trace, nothing issued. */
    private void oauthError(BrokerHarness.Response r, int status, String error, String fragment) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.cacheControl()).isEqualTo("no-store");
        JsonNode j = r.json();
        assertThat(j.get("error").asText()).isEqualTo(error);
        assertThat(j.get("error_description").asText()).contains(fragment);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.warden");
        assertThat(issued()).isZero();
    }

    private BrokerHarness.Response exchange(String subjectToken) {
        return h.post("/oauth2/token", BrokerHarness.form(subjectToken), null);
    }

    private Map<String, Object> claims() {
        return k8s.claims(WORKLOAD, "warden", h.clock.instant());
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void exchange_issues_a_short_lived_token_recorded_in_inventory_and_audit(Dialect dialect) throws Exception {
        start(dialect);
        String subject = h.saToken(WORKLOAD);
        BrokerHarness.Response r = exchange(subject);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.cacheControl()).isEqualTo("no-store");
        JsonNode j = r.json();
        assertThat(j.get("issued_token_type").asText()).isEqualTo(TokenExchange.TYPE_ACCESS_TOKEN);
        assertThat(j.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(j.get("expires_in").asLong()).isEqualTo(300);
        assertThat(j.get("scope").asText()).isEqualTo("pull");

        // The token verifies against the published JWKS and carries the RFC 9068 claims.
        SignedJWT jwt = SignedJWT.parse(j.get("access_token").asText());
        JWKSet jwks = JWKSet.parse(h.get("/.well-known/jwks.json").body());
        ECKey key = (ECKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
        assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(BrokerHarness.ISSUER);
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(WORKLOAD);
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(BrokerHarness.AUDIENCE);
        assertThat(jwt.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("pull");
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant()).isEqualTo(Fixtures.T0.plusSeconds(300));
        assertThat(jwt.getJWTClaimsSet().getJWTID()).isNotBlank();

        // Recorded: the issuance, and the workload identity with its owner from the policy.
        List<Issuance> log = h.warden.broker().issuances().listSince(Instant.EPOCH, 10);
        assertThat(log).hasSize(1);
        assertThat(log.get(0).jti()).isEqualTo(jwt.getJWTClaimsSet().getJWTID());
        assertThat(log.get(0).policy()).endsWith("#payments-deployer");
        assertThat(log.get(0).subjectFingerprint()).startsWith("hmac-sha256:");
        IdentityRecord id = h.warden.inventory().show(WORKLOAD, null).orElseThrow();
        assertThat(id.identity().kind()).isEqualTo(IdentityKind.WORKLOAD);
        assertThat(id.identity().businessOwner()).isEqualTo("team-payments");
        assertThat(id.identity().source().toString()).isEqualTo("broker:k8s-prod");
        assertThat(id.identity().tags()).containsEntry("attested.namespace", "payments");
        assertThat(log.get(0).identityId()).isEqualTo(id.identity().id());

        // Audited with policy, reason and fingerprint, never the token itself.
        AuditEntry e = h.warden.audit().list(0, 100).stream()
                .filter(a -> a.action().equals("broker.issue"))
                .findFirst()
                .orElseThrow();
        assertThat(e.details())
                .containsEntry("decision", "allow")
                .containsEntry("reason", "allowed by policy payments-deployer")
                .containsKey("subjectFingerprint");
        assertThat(h.warden.audit().list(0, 100).toString())
                .doesNotContain(subject)
                .doesNotContain(subject.split("\\.")[2]);
        assertThat(h.warden.audit().verify().intact()).isTrue();

        // A second exchange updates the same identity.
        assertThat(exchange(h.saToken(WORKLOAD)).status()).isEqualTo(200);
        assertThat(h.warden
                        .inventory()
                        .list(
                                new IdentityFilter(
                                        IdentityKind.WORKLOAD, null, null, null, null, null, null, null, null, null),
                                null,
                                10)
                        .items())
                .hasSize(1);
    }

    @Test
    void requested_scope_and_ttl_are_granted_within_policy() {
        start();
        Map<String, String> f = BrokerHarness.form(h.saToken(WORKLOAD));
        f.put("scope", "push pull");
        f.put("ttl", "7200");
        JsonNode j = h.post("/oauth2/token", f, null).json();
        assertThat(j.get("scope").asText()).isEqualTo("push pull");
        assertThat(j.get("expires_in").asLong()).isEqualTo(900);
    }

    @Test
    void es256_and_eddsa_subject_tokens_are_accepted() {
        start();
        assertThat(exchange(k8s.es256(claims())).status()).isEqualTo(200);
        assertThat(exchange(k8s.eddsa(claims())).status()).isEqualTo(200);
    }

    @Test
    void alg_none_is_refused() {
        start();
        oauthError(exchange(TestIssuer.unsigned(claims())), 400, "invalid_request", "alg none");
    }

    @Test
    void hs256_signed_with_the_issuers_public_key_is_refused() {
        start();
        oauthError(exchange(k8s.hs256WithPublicKey(claims())), 400, "invalid_request", "HMAC");
    }

    @Test
    void unknown_kid_is_refused() {
        start();
        String t = TestIssuer.sign(
                claims(),
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("gone").build(),
                k8s.rsa);
        oauthError(exchange(t), 400, "invalid_request", "no key with kid 'gone'");
    }

    @Test
    void expired_subject_token_is_refused() {
        start();
        String t = h.saToken(WORKLOAD);
        h.clock.advance(Duration.ofMinutes(11));
        oauthError(exchange(t), 400, "invalid_request", "expired");
    }

    @Test
    void not_yet_valid_subject_token_is_refused() {
        start();
        Map<String, Object> c = claims();
        c.put("nbf", h.clock.instant().plusSeconds(300).getEpochSecond());
        oauthError(exchange(k8s.rs256(c)), 400, "invalid_request", "not valid before");
    }

    @Test
    void wrong_issuer_is_refused() {
        start();
        Map<String, Object> c = claims();
        c.put("iss", "https://evil.example");
        oauthError(exchange(k8s.rs256(c)), 400, "invalid_request", "no attestor is configured for issuer");
    }

    @Test
    void wrong_audience_is_refused() {
        start();
        Map<String, Object> c = claims();
        c.put("aud", "not-warden");
        oauthError(exchange(k8s.rs256(c)), 400, "invalid_request", "audience");
    }

    @Test
    void replayed_jti_is_refused_audited_and_a_finding_on_the_workload() throws Exception {
        start();
        String t = h.saToken(WORKLOAD);
        assertThat(exchange(t).status()).isEqualTo(200);
        BrokerHarness.Response again = exchange(t);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().get("error").asText()).isEqualTo("invalid_request");
        assertThat(again.json().get("error_description").asText()).contains("already used");
        assertThat(issued()).isEqualTo(1);
        assertThat(h.warden.audit().list(0, 100).stream().map(AuditEntry::action))
                .contains("broker.replay");
        IdentityRecord id = h.warden.inventory().show(WORKLOAD, null).orElseThrow();
        assertThat(id.identity().tags()).containsKey("finding.token_replay");
        assertThat(id.identity().businessOwner()).isEqualTo("team-payments");
        try (var c = TestStores.connect(h.warden.db().url());
                var rs = c.createStatement().executeQuery("SELECT kind, identity_id FROM broker_findings")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("kind")).isEqualTo("token_replay");
            assertThat(rs.getString("identity_id")).isEqualTo(id.identity().id());
        }
        // posture reads the refusal as an NHI2 finding on the workload
        h.warden.posture().evaluate("test");
        assertThat(h.warden.posture().forIdentity(id.identity().id()))
                .anySatisfy(f -> assertThat(f.checkId()).isEqualTo("nhi2-token-replay"));
    }

    @Test
    void one_megabyte_token_is_refused_without_reading_it_all() {
        start();
        oauthError(exchange("a".repeat(1024 * 1024)), 400, "invalid_request", "larger than 65536 bytes");
    }

    @Test
    void token_over_the_subject_token_limit_is_refused() {
        start();
        oauthError(exchange("a".repeat(20_000) + ".b.c"), 400, "invalid_request", "larger than 16384 bytes");
    }

    @Test
    void garbage_base64_is_refused() {
        start();
        oauthError(exchange("%%%.&&&.***"), 400, "invalid_request", "not base64url");
        oauthError(exchange("eyJhbGciOiJSUzI1NiJ9"), 400, "invalid_request", "compact JWS");
    }

    @Test
    void json_with_duplicate_claims_is_refused() {
        start();
        long now = h.clock.instant().getEpochSecond();
        String payload = "{\"iss\":\"" + BrokerHarness.K8S + "\",\"sub\":\"system:serviceaccount:payments:x\","
                + "\"aud\":\"warden\",\"exp\":" + (now + 600) + ",\"sub\":\"system:serviceaccount:kube-system:admin\"}";
        oauthError(exchange(k8s.rs256Raw(payload)), 400, "invalid_request", "'sub' twice");
    }

    @Test
    void each_missing_form_field_is_named() {
        start();
        for (String field : List.of("grant_type", "subject_token", "subject_token_type")) {
            Map<String, String> f = BrokerHarness.form(h.saToken(WORKLOAD));
            f.remove(field);
            oauthError(h.post("/oauth2/token", f, null), 400, "invalid_request", field + " is required");
        }
        Map<String, String> f = BrokerHarness.form(h.saToken(WORKLOAD));
        f.remove("audience");
        oauthError(h.post("/oauth2/token", f, null), 400, "invalid_request", "audience or resource is required");
        oauthError(
                h.postRaw("/oauth2/token", "", "application/x-www-form-urlencoded", null),
                400,
                "invalid_request",
                "grant_type is required");
    }

    @Test
    void unknown_grant_type_is_refused() {
        start();
        Map<String, String> f = BrokerHarness.form(h.saToken(WORKLOAD));
        f.put("grant_type", "client_credentials");
        oauthError(h.post("/oauth2/token", f, null), 400, "unsupported_grant_type", "grant_type must be");
    }

    @Test
    void unsupported_token_types_are_refused() {
        start();
        Map<String, String> f = BrokerHarness.form(h.saToken(WORKLOAD));
        f.put("subject_token_type", "urn:ietf:params:oauth:token-type:saml2");
        oauthError(h.post("/oauth2/token", f, null), 400, "invalid_request", "unsupported subject_token_type");
        f = BrokerHarness.form(h.saToken(WORKLOAD));
        f.put("requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token");
        oauthError(h.post("/oauth2/token", f, null), 400, "invalid_request", "requested_token_type");
    }

    @Test
    void repeated_parameters_unknown_parameters_and_query_strings_are_refused() {
        start();
        String body = BrokerHarness.encode(BrokerHarness.form(h.saToken(WORKLOAD))) + "&audience=https%3A%2F%2Fother";
        oauthError(
                h.postRaw("/oauth2/token", body, "application/x-www-form-urlencoded", null),
                400,
                "invalid_request",
                "more than once");
        Map<String, String> f = BrokerHarness.form(h.saToken(WORKLOAD));
        f.put("client_secret", "x");
        oauthError(h.post("/oauth2/token", f, null), 400, "invalid_request", "unknown parameter 'client_secret'");
        oauthError(
                h.post("/oauth2/token?subject_token=x", BrokerHarness.form(h.saToken(WORKLOAD)), null),
                400,
                "invalid_request",
                "not in the URL");
        oauthError(
                h.postRaw("/oauth2/token", "{\"grant_type\":\"x\"}", "application/json", null),
                400,
                "invalid_request",
                "x-www-form-urlencoded");
        oauthError(
                h.postRaw("/oauth2/token", "grant_type=%zz", "application/x-www-form-urlencoded", null),
                400,
                "invalid_request",
                "percent-escape");
    }

    private String podToken(String pod) {
        Map<String, Object> c = claims();
        c.put("kubernetes.io", Map.of("namespace", "payments", "pod", Map.of("name", pod)));
        return k8s.rs256(c);
    }

    private Map<String, String> identityTags() {
        return h.warden
                .inventory()
                .show(WORKLOAD, null)
                .orElseThrow()
                .identity()
                .tags();
    }

    @Test
    void a_workload_identity_takes_a_new_pod_within_the_touch_period_and_every_issuance_at_once() {
        start();
        assertThat(exchange(podToken("deployer-a")).status()).isEqualTo(200);
        assertThat(identityTags()).containsEntry("attested.pod", "deployer-a");
        // Within the period the identity is not rewritten for a new pod; the issuance is recorded.
        h.clock.advance(Duration.ofSeconds(10));
        assertThat(exchange(podToken("deployer-b")).status()).isEqualTo(200);
        assertThat(identityTags()).containsEntry("attested.pod", "deployer-a");
        assertThat(issuedCount()).isEqualTo(2);
        // After it, the next exchange writes the pending version folded with its own.
        h.clock.advance(DecisionRecorder.TOUCH_EVERY);
        assertThat(exchange(podToken("deployer-c")).status()).isEqualTo(200);
        assertThat(identityTags()).containsEntry("attested.pod", "deployer-c");
        IdentityRecord id = h.warden.inventory().show(WORKLOAD, null).orElseThrow();
        assertThat(id.identity().lastSeen()).isEqualTo(h.clock.instant());
        assertThat(h.warden.broker().issuances().listSince(Instant.EPOCH, 10))
                .extracting(Issuance::identityId)
                .containsOnly(id.identity().id());
    }

    private int issuedCount() {
        return h.warden.broker().issuances().listSince(Instant.EPOCH, 1000).size();
    }

    @Test
    void policy_denials_map_to_rfc_8693_errors() {
        start();
        Map<String, String> f = BrokerHarness.form(h.saToken(WORKLOAD));
        f.put("audience", "https://db.example.com");
        oauthError(h.post("/oauth2/token", f, null), 400, "invalid_target", "does not grant target");
        f = BrokerHarness.form(h.saToken(WORKLOAD));
        f.put("scope", "admin");
        oauthError(h.post("/oauth2/token", f, null), 400, "invalid_scope", "does not grant scope 'admin'");
        oauthError(
                exchange(h.saToken("system:serviceaccount:web:frontend")), 400, "invalid_request", "no policy matches");
        f = BrokerHarness.form(h.saToken(WORKLOAD));
        f.put("scope", "bad\"scope");
        oauthError(h.post("/oauth2/token", f, null), 400, "invalid_scope", "3.3");
        f = BrokerHarness.form(h.saToken(WORKLOAD));
        f.remove("audience");
        f.put("resource", "not a uri#x");
        oauthError(h.post("/oauth2/token", f, null), 400, "invalid_target", "absolute URI");
        // Three policy denials from one source in one audit window: the first audited in full, the
        // others counted into the window's summary (see RateLimitApiTest).
        assertThat(h.warden.audit().list(0, 100).stream()
                        .filter(a -> a.action().equals("broker.deny"))
                        .toList())
                .singleElement()
                .satisfies(a -> assertThat(a.details())
                        .containsEntry(
                                "reason",
                                "policy payments-deployer does not" + " grant target 'https://db.example.com'"));
        h.clock.advance(Duration.ofMinutes(1));
        h.warden.broker().tick();
        assertThat(exchange(h.saToken(WORKLOAD)).status()).isEqualTo(200); // written after the summary
        assertThat(h.warden.audit().list(0, 100).stream()
                        .filter(a -> a.action().equals("broker.deny_summary"))
                        .toList())
                .singleElement()
                .satisfies(a -> assertThat(a.details()).containsEntry("suppressedDenials", "2"));
    }

    @Test
    void delegation_puts_the_actor_in_an_act_claim() throws Exception {
        start();
        Map<String, String> f = BrokerHarness.form(h.saToken(WORKLOAD));
        f.put("actor_token", h.saToken("system:serviceaccount:ci:runner"));
        f.put("actor_token_type", TokenExchange.TYPE_JWT);
        BrokerHarness.Response r = h.post("/oauth2/token", f, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        SignedJWT jwt = SignedJWT.parse(r.json().get("access_token").asText());
        assertThat(jwt.getJWTClaimsSet().getJSONObjectClaim("act"))
                .containsEntry("sub", "system:serviceaccount:ci:runner");
        f = BrokerHarness.form(h.saToken(WORKLOAD));
        f.put("actor_token", h.saToken("system:serviceaccount:web:intruder"));
        f.put("actor_token_type", TokenExchange.TYPE_JWT);
        assertThat(h.post("/oauth2/token", f, null)
                        .json()
                        .get("error_description")
                        .asText())
                .contains("act for");
    }

    @Test
    void introspection_and_revocation_follow_rfc_7662_and_7009() {
        start();
        String access = exchange(h.saToken(WORKLOAD)).json().get("access_token").asText();
        String admin = h.warden.tokens().create(Role.ADMIN, null, null, "test").token();
        String auditor =
                h.warden.tokens().create(Role.AUDITOR, null, null, "test").token();
        Map<String, String> form = Map.of("token", access);

        BrokerHarness.Response anon = h.post("/oauth2/introspect", form, null);
        assertThat(anon.status()).isEqualTo(401);
        assertThat(anon.json().get("error").asText()).isEqualTo("invalid_client");

        JsonNode active = h.post("/oauth2/introspect", form, auditor).json();
        assertThat(active.get("active").asBoolean()).isTrue();
        assertThat(active.get("sub").asText()).isEqualTo(WORKLOAD);
        assertThat(active.get("scope").asText()).isEqualTo("pull");

        assertThat(h.post("/oauth2/revoke", form, auditor).status()).isEqualTo(403);
        assertThat(h.post("/oauth2/revoke", form, admin).status()).isEqualTo(200);
        assertThat(h.post("/oauth2/introspect", form, auditor).json().toString())
                .isEqualTo("{\"active\":false}");
        assertThat(h.warden.audit().list(0, 100).stream().map(AuditEntry::action))
                .contains("broker.revoke");

        // Unknown tokens: inactive, and revocation still answers 200 (RFC 7009 section 2.2).
        assertThat(h.post("/oauth2/introspect", Map.of("token", "garbage"), auditor)
                        .json()
                        .get("active")
                        .asBoolean())
                .isFalse();
        assertThat(h.post("/oauth2/revoke", Map.of("token", "garbage"), admin).status())
                .isEqualTo(200);
        assertThat(h.post("/oauth2/revoke", Map.of("token", "x", "token_type_hint", "refresh_token"), admin)
                        .json()
                        .get("error")
                        .asText())
                .isEqualTo("unsupported_token_type");
    }

    @Test
    void expired_tokens_introspect_as_inactive() {
        start();
        String access = exchange(h.saToken(WORKLOAD)).json().get("access_token").asText();
        String auditor =
                h.warden.tokens().create(Role.AUDITOR, null, null, "test").token();
        h.clock.advance(Duration.ofMinutes(6));
        assertThat(h.post("/oauth2/introspect", Map.of("token", access), auditor)
                        .json()
                        .get("active")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void resource_servers_authenticate_with_their_own_exchanged_token() {
        start();
        String access = exchange(h.saToken(WORKLOAD)).json().get("access_token").asText();
        Map<String, String> f = BrokerHarness.form(h.saToken("system:serviceaccount:registry:server"));
        f.put("audience", BrokerHarness.ISSUER);
        f.put("scope", "warden:introspect");
        String rsToken =
                h.post("/oauth2/token", f, null).json().get("access_token").asText();
        JsonNode j =
                h.post("/oauth2/introspect", Map.of("token", access), rsToken).json();
        assertThat(j.get("active").asBoolean()).isTrue();
        // Its token does not carry warden:revoke, so it may not revoke others' tokens...
        assertThat(h.post("/oauth2/revoke", Map.of("token", access), rsToken).status())
                .isEqualTo(401);
        // ...but a holder may revoke its own token.
        assertThat(h.post("/oauth2/revoke", Map.of("token", access), access).status())
                .isEqualTo(200);
        assertThat(h.post("/oauth2/introspect", Map.of("token", access), rsToken)
                        .json()
                        .get("active")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void discovery_and_jwks_are_served() {
        start();
        JsonNode d = h.get("/.well-known/openid-configuration").json();
        assertThat(d.get("issuer").asText()).isEqualTo(BrokerHarness.ISSUER);
        assertThat(d.get("token_endpoint").asText()).isEqualTo(BrokerHarness.ISSUER + "/oauth2/token");
        assertThat(d.get("grant_types_supported").get(0).asText()).isEqualTo(TokenExchange.GRANT_TYPE);
        JsonNode jwks = h.get("/.well-known/jwks.json").json();
        assertThat(jwks.get("keys")).hasSize(1);
        assertThat(jwks.get("keys").get(0).has("d")).isFalse();
        assertThat(jwks.get("keys").get(0).get("alg").asText()).isEqualTo("ES256");
    }

    @Test
    void policies_reload_over_http_keeps_the_old_set_on_error() throws Exception {
        start();
        String admin = h.warden.tokens().create(Role.ADMIN, null, null, "test").token();
        String operator =
                h.warden.tokens().create(Role.OPERATOR, null, null, "test").token();
        assertThat(h.postRaw("/v1/policies/reload", "", null, operator).status())
                .isEqualTo(403);
        Path file = dir.resolve("policies/payments.yaml");
        Files.writeString(file, BrokerHarness.POLICY.replace("subject.attributes", "subject.nope"));
        BrokerHarness.Response bad = h.postRaw("/v1/policies/reload", "", null, admin);
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.json().get("detail").asText())
                .contains("payments.yaml:14:49:")
                .contains("undeclared reference");
        assertThat(exchange(h.saToken(WORKLOAD)).status()).isEqualTo(200); // the old set still decides
        Files.writeString(file, BrokerHarness.POLICY.replace("defaultTtl: 5m", "defaultTtl: 2m"));
        assertThat(h.postRaw("/v1/policies/reload", "", null, admin)
                        .json()
                        .get("policies")
                        .asInt())
                .isEqualTo(2);
        assertThat(exchange(h.saToken(WORKLOAD)).json().get("expires_in").asLong())
                .isEqualTo(120);
    }

    @Test
    void subject_claims_that_cannot_be_recorded_are_refused_cleanly() {
        start();
        Map<String, Object> c = new LinkedHashMap<>(claims());
        c.put("sub", "system:serviceaccount:payments:a\u0001b");
        BrokerHarness.Response r = exchange(k8s.rs256(c));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).doesNotContain("Exception");
        assertThat(issued()).isZero();
    }
}
