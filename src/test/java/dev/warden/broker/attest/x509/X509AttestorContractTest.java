package dev.warden.broker.attest.x509;

import dev.warden.broker.attest.Attestor;
import dev.warden.broker.attest.AttestorContract;
import dev.warden.broker.attest.JwtParts;
import dev.warden.broker.attest.Proof;
import dev.warden.testing.Fixtures;
import dev.warden.testing.TestConfig;
import dev.warden.testing.TestIssuer;
import dev.warden.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The x509 attestor keeps the attestor contract with a real CA and X.509-SVID client certificates. */
class X509AttestorContractTest extends AttestorContract {
    @TempDir
    Path dir;

    private final TestPki pki = new TestPki("test ca", Fixtures.T0);
    private final TestPki stranger = new TestPki("other ca", Fixtures.T0);

    @Override
    protected Attestor attestor() {
        Path ca = TestPki.writePem(dir.resolve("ca.pem"), pki.ca);
        return X509Attestor.fromConfig(
                "mtls",
                TestConfig.node("broker.attestors[0]", "{trustDomain: example.org, caFile: '" + ca + "'}"),
                clock);
    }

    @Override
    protected Proof valid() throws Exception {
        return Proof.Certificate.of(List.of(
                pki.client(expectedWorkload(), Fixtures.T0, Duration.ofHours(1)).cert()));
    }

    @Override
    protected String expectedWorkload() {
        return "spiffe://example.org/billing/api";
    }

    @Override
    protected Proof untrusted() throws Exception {
        return Proof.Certificate.of(List.of(stranger.client(expectedWorkload(), Fixtures.T0, Duration.ofHours(1))
                .cert()));
    }

    @Override
    protected Proof foreign() throws Exception {
        TestIssuer i = new TestIssuer("https://issuer.test");
        return new Proof.Jwt(JwtParts.parse(i.es256(i.claims("x", "warden", Fixtures.T0))));
    }
}
