package dev.warden.posture.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.posture.Build;
import dev.warden.posture.Check;
import dev.warden.posture.CheckContract;
import dev.warden.posture.Finding;
import dev.warden.posture.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateValidityTest extends CheckContract {
    @Override
    protected Check check() {
        return new CertificateValidity();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(
                Sample.of(Build.certificate("long.example.com", "/etc/ssl").cert(Days.ago(100), Days.ahead(725))));
    }

    @Override
    protected List<Sample> silent() {
        return List.of(
                Sample.of(Build.certificate("ok.example.com", "/etc/ssl").cert(Days.ago(100), Days.ahead(297))),
                Sample.of(Build.certificate("Issuing CA", "/etc/ssl")
                        .attr("is_ca", "true")
                        .cert(Days.ago(1000), Days.ahead(2650))),
                Sample.of(Build.certificate("expired.example.com", "/etc/ssl").cert(Days.ago(900), Days.ago(75))));
    }

    @Test
    void says_how_long_it_is_valid_against_the_limit() {
        Finding f = only(firing().get(0));
        assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(f.evidence()).containsEntry("validityDays", 825L).containsEntry("maxCertificateValidityDays", 398L);
    }
}
