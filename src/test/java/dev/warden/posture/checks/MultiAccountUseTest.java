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

class MultiAccountUseTest extends CheckContract {
    private static final String HOME = Build.ACCOUNT;
    private static final String PROD = "999988887777";

    @Override
    protected Check check() {
        return new MultiAccountUse();
    }

    private static Sample crossing() {
        Build b = Build.awsRole("etl");
        return Sample.of(b, b.eventIn(HOME, 3, "s3:GetObject"), b.eventIn(PROD, 2, "s3:PutObject"));
    }

    @Override
    protected List<Sample> firing() {
        return List.of(crossing());
    }

    @Override
    protected List<Sample> silent() {
        Build home = Build.awsRole("local");
        Build old = Build.awsRole("retired-crossing");
        Build quiet = Build.awsRole("no-logs");
        return List.of(
                Sample.of(
                        home, home.eventIn(HOME, 1, "s3:GetObject"), home.event(1, "s3:ListBucket", null, null, null)),
                // the other account was last used before the usage window (90 days)
                Sample.of(old, old.eventIn(HOME, 1, "s3:GetObject"), old.eventIn(PROD, 120, "s3:PutObject")),
                Sample.of(quiet));
    }

    @Test
    void the_accounts_are_the_evidence_and_a_production_mix_is_high() {
        Finding f = only(crossing());
        assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(f.evidence()).containsEntry("accounts", List.of(HOME, PROD)).containsEntry("homeAccount", HOME);
        try (var h = harness(List.of(crossing()))) {
            h.policy(PosturePolicy.parse("nhi8:\n  productionAccounts: ['" + PROD + "']\n", "p.yaml", null));
            List<Finding> high = findings(h, crossing().externalId());
            assertThat(high)
                    .singleElement()
                    .satisfies(x -> assertThat(x.severity()).isEqualTo(Severity.HIGH));
        }
    }
}
