package dev.warden.usage.cloudtrail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.discovery.Fixture;
import dev.warden.testing.TestClock;
import dev.warden.usage.Skips;
import dev.warden.usage.UsageEvent;
import dev.warden.usage.UsageOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every container CloudTrail records arrive in, as the tool that writes it does (see
 * {@code src/test/resources/usage/cloudtrail/variants/README.md} for where each comes from), with
 * the events and skips it must give.
 */
class CloudTrailVariantsTest {
    private static final String ACCOUNT = "arn:aws:iam::111122223333:";
    private static final String CI_DEPLOYER = ACCOUNT + "user/automation/ci-deployer";

    private final CloudTrailParser parser = new CloudTrailParser(new TestClock(Instant.parse("2026-06-01T12:00:00Z")));

    static Stream<Arguments> variants() {
        String s3 = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/05/30/"
                + "111122223333_CloudTrail_eu-west-1_20260530T0915Z_k3Xy9Qw2Rt7UvB1n.json.gz";
        return Stream.of(
                Arguments.of("S3 delivery file, pretty-printed", "api-calls.json", 10, 0),
                Arguments.of("S3 delivery file, gzip, one line", s3, 3, 0),
                Arguments.of("bare JSON array", "variants/bare-array.json", 3, 0),
                Arguments.of("NDJSON (CloudTrail Lake, Athena, SIEM)", "variants/lake-export.ndjson", 3, 0),
                Arguments.of("NDJSON, gzip", "variants/lake-export.ndjson.gz", 3, 0),
                Arguments.of("jq '.Records[]': concatenated pretty objects", "variants/jq-records.json", 3, 0),
                Arguments.of("lookup-events, AWS CLI v2 (+01:00)", "variants/lookup-events-v2.json", 3, 0),
                Arguments.of("lookup-events, AWS CLI v1 (epoch)", "variants/lookup-events-v1.json", 3, 0),
                Arguments.of("lookup-events --output text (tabs)", "variants/lookup-events-text.json", 3, 0),
                Arguments.of(
                        "lookup-events --query ...CloudTrailEvent (strings)",
                        "variants/lookup-events-strings.json",
                        3,
                        0),
                Arguments.of("EventBridge envelope", "variants/eventbridge.json", 1, 0),
                Arguments.of(
                        "EventBridge via Firehose, }{ and a non-CloudTrail event",
                        "variants/eventbridge-firehose.json",
                        3,
                        1),
                Arguments.of("CloudWatch Logs filter-log-events", "variants/cloudwatch-filter-log-events.json", 3, 0),
                Arguments.of("CloudWatch subscription via Firehose", "variants/cloudwatch-firehose.json", 3, 0),
                Arguments.of("every principal type", "variants/principals.json", 13, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void each_container_gives_its_events(String variant, String fixture, int events, int skipped) {
        List<UsageEvent> out = new ArrayList<>();
        Skips skips = new Skips();
        parser.parse(Fixture.input("usage/cloudtrail/" + fixture), UsageOptions.NONE, out::add, skips);
        assertThat(out).as(variant + " events").hasSize(events);
        assertThat(skips.count()).as(variant + " skips " + skips.examples()).isEqualTo(skipped);
        if (fixture.startsWith("variants/") && !fixture.contains("principals")) {
            assertThat(out).allSatisfy(e -> {
                assertThat(e.principal()).isEqualTo(CI_DEPLOYER);
                assertThat(e.credential()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
                assertThat(e.action()).isEqualTo("s3:GetObject");
            });
            assertThat(out.get(0).at()).isEqualTo(Instant.parse("2026-05-31T10:00:00Z"));
            if (out.size() > 1) {
                assertThat(out.get(out.size() - 1).at()).isEqualTo(Instant.parse("2026-05-31T10:02:00Z"));
            }
        }
    }

    @Test
    void every_principal_type_is_attributed_or_skipped_with_why() {
        List<UsageEvent> out = new ArrayList<>();
        Skips skips = new Skips();
        parser.parse(Fixture.input("usage/cloudtrail/variants/principals.json"), UsageOptions.NONE, out::add, skips);
        String oidc = ACCOUNT + "oidc-provider/";
        assertThat(out)
                .extracting(UsageEvent::principal)
                .containsExactly(
                        ACCOUNT + "role/shop-checkout-fn",
                        ACCOUNT + "role/app-orders",
                        ACCOUNT + "role/app-orders",
                        ACCOUNT + "role/github-deploy",
                        oidc
                                + "token.actions.githubusercontent.com:sts.amazonaws.com:repo:acme/shop:ref:refs/heads/main",
                        ACCOUNT + "role/eks-cluster-autoscaler",
                        oidc + "oidc.eks.eu-west-1.amazonaws.com/id/07BEE85D60FDEXAMPLE:sts.amazonaws.com:"
                                + "system:serviceaccount:kube-system:cluster-autoscaler",
                        ACCOUNT + "role/github-deploy",
                        "anonymous",
                        "ec2.amazonaws.com",
                        "AWS Internal",
                        ACCOUNT + "role/OrganizationAccountAccessRole",
                        ACCOUNT + "role/config-recorder");
        assertThat(out.get(2).resource())
                .as("role chaining: the role assumed")
                .isEqualTo(ACCOUNT + "role/reporting-reader");
        assertThat(out.get(8).resource()).isEqualTo("arn:aws:s3:::acme-public-assets/logo.svg");
        assertThat(out.get(8).scope())
                .as("anonymous access is the bucket owner's")
                .isEqualTo("111122223333");
        assertThat(out.get(12).scope())
                .as("no recipientAccountId: from resources[]")
                .isEqualTo("111122223333");
        assertThat(skips.examples())
                .extracting(x -> x.substring(x.indexOf("Records[")))
                .containsExactly(
                        "Records[10]: userIdentity.type Unknown without an ARN names no principal",
                        "Records[11]: IdentityCenterUser is a person signed in through IAM Identity Center, not a"
                                + " machine identity");
    }
}
