package dev.warden.broker.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.testing.Fixtures;
import dev.warden.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Attestor} keeps (see its javadoc). Each implementation's test extends
 * this class and supplies a configured attestor, a valid proof, a proof signed by a key the
 * attestor does not trust, and a proof meant for a different attestor.
 */
public abstract class AttestorContract {
    protected final TestClock clock = new TestClock(Fixtures.T0);

    /** The attestor under test, configured to trust the test's keys, reading {@link #clock}. */
    protected abstract Attestor attestor() throws Exception;

    /** A proof the attestor accepts, valid for at most 24 hours from {@link Fixtures#T0}. */
    protected abstract Proof valid() throws Exception;

    /** The workload id {@link #valid()} attests to. */
    protected abstract String expectedWorkload();

    /** A well-formed proof of the same kind signed by a key the attestor does not trust. */
    protected abstract Proof untrusted() throws Exception;

    /** A proof of another kind or issuer, which this attestor must not claim. */
    protected abstract Proof foreign() throws Exception;

    @Test
    void valid_proof_attests_to_the_expected_workload() throws Exception {
        Attestor a = attestor();
        Proof p = valid();
        assertThat(a.handles(p)).isTrue();
        Attestation at = a.attest(p);
        assertThat(at.workload()).isEqualTo(expectedWorkload());
        assertThat(at.attestor()).isEqualTo(a.name());
        assertThat(at.kind()).isEqualTo(a.kind());
        assertThat(at.issuer()).isNotBlank();
        assertThat(at.proofExpiresAt()).isAfter(clock.instant());
    }

    @Test
    void foreign_proofs_are_not_claimed() throws Exception {
        assertThat(attestor().handles(foreign())).isFalse();
    }

    @Test
    void proof_signed_by_an_untrusted_key_is_rejected() throws Exception {
        Attestor a = attestor();
        Proof p = untrusted();
        assertThatThrownBy(() -> a.attest(p))
                .isInstanceOf(AttestationException.class)
                .satisfies(e -> assertThat(((AttestationException) e).code()).isNotBlank());
    }

    @Test
    void proof_is_rejected_once_expired_by_the_injected_clock() throws Exception {
        Attestor a = attestor();
        Proof p = valid();
        a.attest(p);
        clock.advance(Duration.ofDays(400));
        assertThatThrownBy(() -> a.attest(p)).isInstanceOf(AttestationException.class);
    }

    @Test
    void rejections_are_lower_case_and_never_echo_the_proof() throws Exception {
        Attestor a = attestor();
        Proof p = untrusted();
        try {
            a.attest(p);
        } catch (AttestationException e) {
            assertThat(e.getMessage()).isNotBlank();
            assertThat(Character.isLowerCase(e.getMessage().charAt(0)))
                    .as(e.getMessage())
                    .isTrue();
            if (p instanceof Proof.Jwt jwt) {
                assertThat(e.getMessage())
                        .doesNotContain(
                                new String(jwt.parts().signingInput(), java.nio.charset.StandardCharsets.US_ASCII));
            }
            return;
        }
        throw new AssertionError("untrusted proof was accepted");
    }

    @Test
    void concurrent_attestations_agree() throws Exception {
        Attestor a = attestor();
        Proof p = valid();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Attestation>> fs = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                fs.add(pool.submit(() -> a.attest(p)));
            }
            for (Future<Attestation> f : fs) {
                assertThat(f.get().workload()).isEqualTo(expectedWorkload());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
