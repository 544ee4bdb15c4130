package dev.warden.broker.issue.svid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.audit.AuditLog;
import dev.warden.broker.ca.CaConfig;
import dev.warden.broker.ca.CertificateAuthority;
import dev.warden.broker.ca.Pem;
import dev.warden.broker.issue.IssueRequest;
import dev.warden.broker.issue.Issued;
import dev.warden.broker.issue.Issuer;
import dev.warden.broker.issue.IssuerContract;
import dev.warden.keys.SecretBox;
import dev.warden.store.Database;
import dev.warden.store.Dialect;
import dev.warden.testing.TestCsr;
import dev.warden.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The shared issuer contract against the real CA on a real SQLite store: a certificate "exists"
 * while it is recorded, unrevoked and unexpired; usable means it validates (PKIX) against the CA's
 * trust anchors and carries the SPIFFE ID asked for.
 */
class SvidIssuerContractTest extends IssuerContract {
    private final Database db;
    private final SvidIssuer issuer;

    SvidIssuerContractTest() throws Exception {
        Path dir = Files.createTempDirectory("svid-contract");
        db = Database.open(TestStores.fresh(Dialect.SQLITE, dir));
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        Clock clock = Clock.systemUTC();
        CertificateAuthority ca = new CertificateAuthority(
                CaConfig.selfSigned("example.org"), db, SecretBox.of(kek), new AuditLog(db, clock), clock);
        issuer = new SvidIssuer(ca, db, clock);
    }

    @Override
    protected Issuer issuer() {
        return issuer;
    }

    @Override
    protected IssueRequest request() {
        return new IssueRequest(
                null,
                null,
                Map.of("spiffe_id", "spiffe://example.org/contract", "dns_names", "a.example.org"),
                TestCsr.der(TestCsr.p256(), (String) null, "a.example.org"));
    }

    @Override
    protected boolean exists(String handle) {
        return issuer.live(handle);
    }

    @Override
    protected void assertUsable(Issued issued) throws Exception {
        List<X509Certificate> chain = Pem.certificates(issued.material().get("certificate_chain"));
        assertThat(chain.get(0).getSubjectAlternativeNames().stream()
                        .map(n -> (Object) n.get(1))
                        .collect(Collectors.toList()))
                .containsExactly((Object) "spiffe://example.org/contract", "a.example.org");
        PKIXParameters p = new PKIXParameters(issuer.ca().anchors().stream()
                .map(a -> new TrustAnchor(a, null))
                .collect(Collectors.toSet()));
        p.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), p);
        assertThat(issued.externalId()).isEqualTo(Pem.sha256(chain.get(0)));
        assertThat(issued.attributes()).containsKeys("spiffe_id", "serial", "fingerprint_sha256");
    }
}
