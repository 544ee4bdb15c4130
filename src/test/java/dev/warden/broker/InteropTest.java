package dev.warden.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.token.TypelessToken;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import dev.warden.store.Dialect;
import dev.warden.testing.TestIssuer;
import dev.warden.testing.TestStores;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with code nobody here wrote: tokens are obtained with a standard OAuth client
 * library (Nimbus OAuth 2.0 SDK's TokenExchangeGrant) and verified by node's {@code jose} package
 * (installed from the npm registry into target/node-jose), which fetches Warden's JWKS over HTTP.
 */
class InteropTest {
    private static final String WORKLOAD = "system:serviceaccount:payments:deployer";
    private static final Path NODE_DIR = Path.of("target", "node-jose").toAbsolutePath();
    private static TestIssuer k8s;

    @TempDir
    Path dir;

    @BeforeAll
    static void issuer() {
        k8s = new TestIssuer(BrokerHarness.K8S);
    }

    @AfterAll
    static void stop() {
        k8s.close();
    }

    private static String obtainWithOAuthSdk(BrokerHarness h) throws Exception {
        TokenExchangeGrant grant = new TokenExchangeGrant(
                new TypelessToken(h.saToken(WORKLOAD)),
                TokenTypeURI.JWT,
                null,
                null,
                TokenTypeURI.ACCESS_TOKEN,
                List.of(new Audience(BrokerHarness.AUDIENCE)));
        TokenRequest request = new TokenRequest(URI.create(h.base + "/oauth2/token"), grant, new Scope("pull", "push"));
        HTTPResponse http = request.toHTTPRequest().send();
        TokenResponse response = TokenResponse.parse(http);
        assertThat(response.indicatesSuccess()).as(http.getBody()).isTrue();
        AccessTokenResponse ok = response.toSuccessResponse();
        assertThat(ok.getTokens().getAccessToken().getLifetime()).isEqualTo(300);
        assertThat(ok.getTokens().getAccessToken().getScope()).isEqualTo(new Scope("push", "pull"));
        assertThat(ok.getTokens().getAccessToken().getIssuedTokenType()).isEqualTo(TokenTypeURI.ACCESS_TOKEN);
        return ok.getTokens().getAccessToken().getValue();
    }

    @Test
    void a_standard_oauth_client_obtains_a_token_and_reads_errors() throws Exception {
        try (BrokerHarness h = new BrokerHarness(dir, TestStores.fresh(Dialect.SQLITE, dir), k8s)) {
            assertThat(obtainWithOAuthSdk(h)).contains(".");
            TokenExchangeGrant bad = new TokenExchangeGrant(new TypelessToken("not.a.token"), TokenTypeURI.JWT);
            TokenResponse err = TokenResponse.parse(new TokenRequest(URI.create(h.base + "/oauth2/token"), bad, null)
                    .toHTTPRequest()
                    .send());
            assertThat(err.indicatesSuccess()).isFalse();
            TokenErrorResponse e = err.toErrorResponse();
            assertThat(e.getErrorObject().getCode()).isEqualTo("invalid_request");
            assertThat(e.getErrorObject().getHTTPStatusCode()).isEqualTo(400);
        }
    }

    @Test
    void node_jose_verifies_es256_tokens_against_the_served_jwks() throws Exception {
        try (BrokerHarness h = new BrokerHarness(dir, TestStores.fresh(Dialect.SQLITE, dir), k8s)) {
            JsonNode payload = nodeVerify(obtainWithOAuthSdk(h), h.base + "/.well-known/jwks.json");
            assertThat(payload.get("protectedHeader").get("alg").asText()).isEqualTo("ES256");
            assertThat(payload.get("payload").get("sub").asText()).isEqualTo(WORKLOAD);
            assertThat(payload.get("payload").get("scope").asText()).isEqualTo("pull push");
        }
    }

    @Test
    void node_jose_verifies_eddsa_tokens_against_the_served_jwks() throws Exception {
        try (BrokerHarness h =
                new BrokerHarness(dir, TestStores.fresh(Dialect.SQLITE, dir), k8s, "signing: {algorithm: EdDSA}")) {
            JsonNode payload = nodeVerify(obtainWithOAuthSdk(h), h.base + "/.well-known/jwks.json");
            assertThat(payload.get("protectedHeader").get("alg").asText()).isEqualTo("EdDSA");
            assertThat(payload.get("payload").get("aud").asText()).isEqualTo(BrokerHarness.AUDIENCE);
        }
    }

    /** Runs node's jose: jwtVerify with a remote JWKS, issuer and audience; returns its result. */
    private static JsonNode nodeVerify(String token, String jwksUrl) throws Exception {
        Path script = installJose();
        Process p = new ProcessBuilder(
                        "node", script.toString(), token, jwksUrl, BrokerHarness.ISSUER, BrokerHarness.AUDIENCE)
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.exitValue()).as("node jose verification: " + out).isZero();
        return new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElse(""));
    }

    private static synchronized Path installJose() throws IOException, InterruptedException {
        boolean haveNode = onPath("node") && onPath("npm");
        if (!haveNode) {
            String msg =
                    "node and npm are needed for the JOSE interoperability test (Debian: apt-get install nodejs npm;"
                            + " .ci/run installs them)";
            if (System.getenv("CI") != null) {
                throw new AssertionError(msg);
            }
            Assumptions.abort(msg);
        }
        Files.createDirectories(NODE_DIR);
        if (!Files.exists(NODE_DIR.resolve("node_modules/jose/package.json"))) {
            Process npm = new ProcessBuilder(
                            "npm",
                            "install",
                            "--prefix",
                            NODE_DIR.toString(),
                            "--no-audit",
                            "--no-fund",
                            "--loglevel=error",
                            "jose@5")
                    .redirectErrorStream(true)
                    .start();
            boolean done = npm.waitFor(300, TimeUnit.SECONDS);
            String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!done || npm.exitValue() != 0) {
                throw new AssertionError("npm install jose failed (the npm registry must be reachable): " + out);
            }
        }
        Path script = NODE_DIR.resolve("verify.mjs");
        Files.writeString(script, """
                import { createRemoteJWKSet, jwtVerify } from 'jose';
                const [token, jwksUrl, issuer, audience] = process.argv.slice(2);
                const jwks = createRemoteJWKSet(new URL(jwksUrl));
                const { payload, protectedHeader } = await jwtVerify(token, jwks, {
                  issuer, audience, typ: 'at+jwt', algorithms: ['ES256', 'EdDSA'], currentDate: new Date(payloadIat(token) * 1000),
                });
                console.log(JSON.stringify({ payload, protectedHeader }));
                function payloadIat(t) { return JSON.parse(Buffer.from(t.split('.')[1], 'base64url')).iat; }
                """);
        return script;
    }

    private static boolean onPath(String cmd) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, cmd))) {
                return true;
            }
        }
        return false;
    }
}
