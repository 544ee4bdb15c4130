package dev.warden.posture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --fail-on}: open findings at or above the threshold fail the gate, stored or as of an instant. */
class FindingsGateTest {
    @TempDir
    Path dir;

    @Test
    void an_open_finding_at_or_above_the_threshold_fails_the_gate_stored_and_as_of() {
        try (PostureHarness h = new PostureHarness(dir)) {
            h.load(Build.awsRole("orphan").owners(null, null).build());
            h.evaluate();
            Severity worst = worstOpen(h.stored());
            FindingsGate at = new FindingsGate(worst);
            Posture.View now =
                    h.posture.evaluateAsOf(h.clock.instant(), PosturePolicy.defaults(), FindingFilter.CURRENT);

            assertThat(at.failedBy(h.posture, FindingFilter.CURRENT)).isTrue();
            assertThat(at.failedBy(now)).isTrue();
            assertThat(FindingsGate.parse("info").failedBy(h.posture, FindingFilter.CURRENT))
                    .isTrue();
            if (worst != Severity.CRITICAL) {
                FindingsGate above = new FindingsGate(worst.raised());
                assertThat(above.failedBy(h.posture, FindingFilter.CURRENT)).isFalse();
                assertThat(above.failedBy(now)).isFalse();
            }
        }
    }

    @Test
    void accepted_and_resolved_findings_and_filters_without_open_ones_never_fail_it() {
        try (PostureHarness h = new PostureHarness(dir)) {
            h.load(Build.awsRole("orphan").owners(null, null).build());
            h.evaluate();
            FindingsGate info = FindingsGate.parse("info");
            FindingFilter resolved = new FindingFilter(null, null, EnumSet.of(FindingStatus.RESOLVED), null, null);
            assertThat(info.failedBy(h.posture, resolved)).isFalse();

            assertThat(info.failedBy(h.posture, FindingFilter.CURRENT)).isTrue();
            for (Finding f : h.stored()) {
                h.posture.accept(f.id(), "known and tracked", "2026-12-01", "alice", null);
            }

            assertThat(info.failedBy(h.posture, FindingFilter.CURRENT)).isFalse();
            assertThat(info.failedBy(
                            h.posture.evaluateAsOf(h.clock.instant(), PosturePolicy.defaults(), FindingFilter.CURRENT)))
                    .isFalse();
        }
    }

    @Test
    void a_threshold_that_is_not_a_severity_is_refused() {
        assertThatThrownBy(() -> FindingsGate.parse("meh"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown severity 'meh'");
    }

    private static Severity worstOpen(List<Finding> findings) {
        return findings.stream()
                .filter(f -> f.status() == FindingStatus.OPEN)
                .map(Finding::severity)
                .reduce(Severity::max)
                .orElseThrow(() -> new AssertionError("no open finding in " + findings));
    }
}
