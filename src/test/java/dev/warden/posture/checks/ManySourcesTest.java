package dev.warden.posture.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.posture.Build;
import dev.warden.posture.Check;
import dev.warden.posture.CheckContract;
import dev.warden.posture.Finding;
import dev.warden.posture.Severity;
import dev.warden.usage.UsageEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManySourcesTest extends CheckContract {
    static Sample from(Build b, int ips, int agents, long daysAgo, String ipPrefix) {
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < Math.max(ips, agents); i++) {
            events.add(b.event(
                    daysAgo,
                    "s3:GetObject",
                    ipPrefix + (i % Math.max(1, ips)),
                    "app/1." + (i % Math.max(1, agents)),
                    UsageEvent.API));
        }
        return Sample.of(b, events.toArray(UsageEvent[]::new));
    }

    @Override
    protected Check check() {
        return new ManySources();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(
                from(Build.awsUser("copied"), 12, 1, 3, "203.0.113."),
                from(Build.awsRole("agents"), 1, 7, 3, "10.0.0."));
    }

    @Override
    protected List<Sample> silent() {
        return List.of(
                from(Build.awsUser("ten"), 10, 5, 3, "203.0.113."),
                from(Build.awsUser("long-ago"), 15, 8, 120, "198.51.100."),
                from(Build.awsRole("services"), 15, 1, 3, "svc.amazonaws.com-"));
    }

    @Test
    void source_addresses_are_medium_user_agents_low() {
        Finding ips = only(firing().get(0));
        assertThat(ips.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(ips.evidence()).containsEntry("distinctSourceIps", 12L).containsEntry("maxSourceIps", 10L);
        Finding agents = only(firing().get(1));
        assertThat(agents.severity()).isEqualTo(Severity.LOW);
        assertThat(agents.evidence()).containsEntry("distinctUserAgents", 7L);
    }
}
