package dev.warden.posture.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.posture.Build;
import dev.warden.posture.Check;
import dev.warden.posture.CheckContract;
import dev.warden.posture.Finding;
import dev.warden.posture.PosturePolicy;
import dev.warden.posture.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records carry the attributes the certificate connector writes (key_algorithm, key_size, ...). */
class WeakCertificateTest extends CheckContract {
    static Build cert(String cn, String alg, String bits, String sig) {
        Build b = Build.certificate(cn, "/etc/ssl")
                .attr("key_algorithm", alg)
                .attr("signature_algorithm", sig)
                .attr("subject", "CN=" + cn)
                .attr("issuer", "CN=Acme Issuing CA")
                .attr("is_ca", "false")
                .attr("self_signed", "false")
                .cert(Days.ago(30), Days.ahead(300));
        return bits == null ? b : b.attr("key_size", bits);
    }

    @Override
    protected Check check() {
        return new WeakCertificate();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(
                Sample.of(cert("rsa1024.example.com", "RSA", "1024", "SHA256withRSA")),
                Sample.of(cert("sha1.example.com", "RSA", "2048", "SHA1withRSA")),
                Sample.of(cert("ec160.example.com", "EC", "160", "SHA256withECDSA")),
                Sample.of(cert("md5.example.com", "RSA", "2048", "MD5withRSA")));
    }

    @Override
    protected List<Sample> silent() {
        return List.of(
                Sample.of(cert("good.example.com", "RSA", "2048", "SHA256withRSA")),
                Sample.of(cert("p256.example.com", "EC", "256", "SHA256withECDSA")),
                Sample.of(cert("Old Root CA", "RSA", "4096", "SHA1withRSA")
                        .attr("is_ca", "true")
                        .attr("self_signed", "true")),
                Sample.of(
                        Build.awsRole("not-a-cert").attr("key_algorithm", "RSA").attr("key_size", "512")));
    }

    @Test
    void key_and_signature_are_two_findings_with_their_own_ids_and_severities() {
        List<Finding> f = all(Sample.of(cert("both.example.com", "RSA", "1024", "SHA1withRSA")));
        assertThat(f).hasSize(2);
        assertThat(f.get(0).severity()).isEqualTo(Severity.HIGH);
        assertThat(f.get(0).summary()).isEqualTo("weak key: RSA 1024-bit (minimum 2048)");
        assertThat(f.get(1).severity()).isEqualTo(Severity.MEDIUM);
        assertThat(f.get(1).evidence()).containsEntry("signatureAlgorithm", "SHA1withRSA");
        assertThat(f.get(0).id()).isNotEqualTo(f.get(1).id());
        assertThat(f.get(0).credential()).isNotNull();
    }

    @Test
    void the_minimum_key_size_comes_from_the_policy() {
        try (var h = harness(List.of(Sample.of(cert("c.example.com", "RSA", "2048", "SHA256withRSA"))))) {
            h.policy(PosturePolicy.parse("nhi4: {minRsaBits: 3072}", "p.yaml", null));
            assertThat(h.view()).anySatisfy(f -> assertThat(f.summary()).contains("minimum 3072"));
        }
    }
}
