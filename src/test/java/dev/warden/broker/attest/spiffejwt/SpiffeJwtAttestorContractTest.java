package dev.warden.broker.attest.spiffejwt;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import dev.warden.broker.attest.Attestor;
import dev.warden.broker.attest.AttestorContract;
import dev.warden.broker.attest.JwtParts;
import dev.warden.broker.attest.Proof;
import dev.warden.testing.Fixtures;
import dev.warden.testing.TestConfig;
import dev.warden.testing.TestIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The JWT-SVID attestor keeps the attestor contract against a SPIFFE bundle file. */
class SpiffeJwtAttestorContractTest extends AttestorContract {
    @TempDir
    Path dir;

    private final TestIssuer spire = new TestIssuer(null);
    private final TestIssuer stranger = new TestIssuer(null);

    @Override
    protected Attestor attestor() throws Exception {
        // A SPIFFE bundle: the JWT-SVID key marked use=jwt-svid, plus an x509-svid entry to ignore.
        JWK jwtSvid = new com.nimbusds.jose.jwk.ECKey.Builder(spire.ec.toPublicJWK())
                .keyUse(new KeyUse("jwt-svid"))
                .build();
        Path bundle = dir.resolve("bundle.json");
        Files.writeString(bundle, new JWKSet(List.of(jwtSvid)).toString(true));
        return SpiffeJwtAttestor.fromConfig(
                "spire",
                TestConfig.node(
                        "broker.attestors[0]",
                        "{trustDomain: example.org, audiences: [warden], bundleFile: '" + bundle + "'}"),
                clock);
    }

    private static Map<String, Object> svid(TestIssuer i, String sub) {
        Map<String, Object> c = i.claims(sub, "warden", Fixtures.T0);
        c.remove("iss");
        return c;
    }

    @Override
    protected Proof valid() throws Exception {
        return new Proof.Jwt(JwtParts.parse(spire.es256(svid(spire, expectedWorkload()))));
    }

    @Override
    protected String expectedWorkload() {
        return "spiffe://example.org/ns/payments/sa/deployer";
    }

    @Override
    protected Proof untrusted() throws Exception {
        return new Proof.Jwt(JwtParts.parse(stranger.es256(svid(stranger, expectedWorkload()))));
    }

    @Override
    protected Proof foreign() throws Exception {
        return new Proof.Jwt(JwtParts.parse(spire.es256(svid(spire, "spiffe://other.org/x"))));
    }
}
