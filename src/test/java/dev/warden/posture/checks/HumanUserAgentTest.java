package dev.warden.posture.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.posture.Build;
import dev.warden.posture.Check;
import dev.warden.posture.CheckContract;
import dev.warden.posture.Finding;
import dev.warden.posture.Severity;
import dev.warden.usage.UsageEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class HumanUserAgentTest extends CheckContract {
    private static final String BROWSER =
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15";
    private static final String CLI_MAC =
            "aws-cli/2.15.0 Python/3.11.6 Darwin/23.1.0 exe/x86_64 prompt/off command/s3.ls";
    private static final String SDK_LINUX = "aws-sdk-java/2.20.0 Linux/5.10.0 OpenJDK_64-Bit_Server_VM/17.0.9";

    static Sample used(Build b, long daysAgo, String ua) {
        return Sample.of(b, b.event(daysAgo, "s3:ListBucket", "10.0.0.9", ua, UsageEvent.API));
    }

    @Override
    protected Check check() {
        return new HumanUserAgent();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(
                used(Build.awsRole("browsed"), 2, BROWSER),
                used(Build.awsUser("laptop"), 2, CLI_MAC),
                used(
                        Build.serviceAccount("prod-1", "shop", "kubectl-linux"),
                        2,
                        "kubectl/v1.29.0 (linux/amd64) kubernetes/3f7a50f"),
                used(
                        Build.serviceAccount("prod-1", "shop", "kubectl-mac"),
                        2,
                        "kubectl/v1.29.0 (darwin/arm64) kubernetes/3f7a50f"));
    }

    @Override
    protected List<Sample> silent() {
        return List.of(
                used(Build.awsRole("sdk"), 2, SDK_LINUX),
                used(Build.awsRole("browsed-long-ago"), 200, BROWSER),
                used(
                        Build.serviceAccount("prod-1", "kube-system", "controller"),
                        1,
                        "kube-controller-manager/v1.29.0 (linux/amd64)"),
                Sample.of(Build.awsRole("no-usage")));
    }

    @Test
    void browsers_are_high_workstations_medium_kubectl_high_from_a_laptop() {
        assertThat(only(firing().get(0)).severity()).isEqualTo(Severity.HIGH);
        Finding laptop = only(firing().get(1));
        assertThat(laptop.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(laptop.evidence().get("userAgents").toString()).contains("Darwin/23.1.0");
        assertThat(only(firing().get(2)).severity()).isEqualTo(Severity.MEDIUM);
        Finding mac = only(firing().get(3));
        assertThat(mac.severity()).isEqualTo(Severity.HIGH);
        assertThat(mac.summary()).contains("kubectl from a workstation");
    }
}
