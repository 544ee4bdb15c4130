package dev.warden.broker.attest.oidc;

import dev.warden.broker.attest.Attestor;
import dev.warden.broker.attest.AttestorContract;
import dev.warden.broker.attest.JwtParts;
import dev.warden.broker.attest.Proof;
import dev.warden.testing.Fixtures;
import dev.warden.testing.TestConfig;
import dev.warden.testing.TestIssuer;
import org.junit.jupiter.api.AfterEach;

/** The OIDC attestor keeps the attestor contract, with its JWKS served over real HTTP. */
class OidcAttestorContractTest extends AttestorContract {
    private final TestIssuer issuer = new TestIssuer("https://issuer.test");
    private final TestIssuer stranger = new TestIssuer("https://issuer.test");
    private final String url = issuer.serveJwks();

    @AfterEach
    void stop() {
        issuer.close();
    }

    @Override
    protected Attestor attestor() {
        return OidcAttestor.fromConfig(
                "k8s",
                TestConfig.node(
                        "broker.attestors[0]",
                        "{issuer: 'https://issuer.test', profile: kubernetes, audiences: [warden], jwksUrl: '" + url
                                + "'}"),
                clock);
    }

    @Override
    protected Proof valid() throws Exception {
        return new Proof.Jwt(JwtParts.parse(issuer.rs256(issuer.claims(expectedWorkload(), "warden", Fixtures.T0))));
    }

    @Override
    protected String expectedWorkload() {
        return "system:serviceaccount:payments:deployer";
    }

    @Override
    protected Proof untrusted() throws Exception {
        return new Proof.Jwt(
                JwtParts.parse(stranger.rs256(stranger.claims(expectedWorkload(), "warden", Fixtures.T0))));
    }

    @Override
    protected Proof foreign() throws Exception {
        TestIssuer other = new TestIssuer("https://other.test");
        return new Proof.Jwt(JwtParts.parse(other.es256(other.claims("x", "warden", Fixtures.T0))));
    }
}
