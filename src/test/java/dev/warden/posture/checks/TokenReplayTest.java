package dev.warden.posture.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.posture.Build;
import dev.warden.posture.Check;
import dev.warden.posture.CheckContract;
import dev.warden.posture.Finding;
import dev.warden.posture.PostureHarness;
import dev.warden.posture.Severity;
import dev.warden.posture.Signal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * NHI2 token replay reads the broker's refused replays as signals. These tests fill the harness's
 * list-backed source with events shaped as {@code broker_findings} rows; TokenExchangeApiTest drives
 * a real replay through /oauth2/token into a finding.
 */
class TokenReplayTest extends CheckContract {
    private static final String REPLAYED = "system:serviceaccount:payments:api";

    @Override
    protected Check check() {
        return new TokenReplay();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(Sample.of(Build.serviceAccount("prod-1", "payments", "api")));
    }

    @Override
    protected List<Sample> silent() {
        return List.of(Sample.of(Build.serviceAccount("prod-1", "payments", "quiet")));
    }

    @Override
    protected void afterLoad(PostureHarness h) {
        if (h.warden.inventory().show(REPLAYED, null).isPresent()) {
            h.signals.add(replay(h.id(REPLAYED), "r1", 2, "10.0.0.7"));
        }
    }

    private static Signal replay(String identityId, String key, long daysAgo, String source) {
        return new Signal(
                identityId,
                TokenReplay.KIND,
                key,
                Days.ago(daysAgo),
                Map.of("sourceAddress", source, "attestor", "kubernetes", "jtiFingerprint", "f".repeat(64)));
    }

    @Test
    void replays_from_several_addresses_are_one_critical_finding_with_their_count() {
        try (PostureHarness h = harness(firing())) {
            String id = h.id(REPLAYED);
            h.signals.add(replay(id, "r2", 1, "203.0.113.9"));
            h.signals.add(replay(id, "r3", 1, "203.0.113.9"));
            List<Finding> f = findings(h, REPLAYED);
            assertThat(f).singleElement().satisfies(x -> {
                assertThat(x.severity()).isEqualTo(Severity.CRITICAL);
                assertThat(x.evidence())
                        .containsEntry("replays", 3L)
                        .containsEntry("sourceAddresses", "10.0.0.7 203.0.113.9");
            });
        }
    }

    @Test
    void a_replay_older_than_the_window_or_of_another_kind_is_silent() {
        try (PostureHarness h = harness(silent())) {
            String id = h.id("system:serviceaccount:payments:quiet");
            h.signals.add(replay(id, "old", 31, "10.0.0.7"));
            h.signals.add(new Signal(id, "something_else", "x", Days.ago(1), Map.of()));
            assertThat(findings(h, "system:serviceaccount:payments:quiet")).isEmpty();
        }
    }

    @Test
    void a_replay_after_the_as_of_instant_is_not_known_then() {
        try (PostureHarness h = harness(firing())) {
            String id = h.id(REPLAYED);
            assertThat(PostureHarness.of(h.viewAsOf(Days.ago(1)), check().id(), id))
                    .hasSize(1);
            assertThat(PostureHarness.of(h.viewAsOf(Days.ago(3)), check().id(), id))
                    .isEmpty();
        }
    }
}
