package dev.warden.usage.cloudtrail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.discovery.Fixture;
import dev.warden.input.Input;
import dev.warden.usage.UsageEvent;
import dev.warden.usage.UsageParser;
import dev.warden.usage.UsageParserContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloudTrailParserTest extends UsageParserContract {
    private static final String ACCOUNT = "arn:aws:iam::111122223333:";
    private static final String CI_DEPLOYER = ACCOUNT + "user/automation/ci-deployer";
    private static final String APP_ORDERS = ACCOUNT + "role/app-orders";

    private final CloudTrailParser parser = new CloudTrailParser(clock);

    @Override
    protected UsageParser parser() {
        return parser;
    }

    @Override
    protected Input sample() {
        return Fixture.input("usage/cloudtrail/api-calls.json");
    }

    @Override
    protected Input onlyUnusableRecords() {
        return Fixture.input("usage/cloudtrail/malformed-records.json");
    }

    @Override
    protected int unusableRecords() {
        return 11;
    }

    @Override
    protected String sourceType() {
        return "aws";
    }

    private List<UsageEvent> events(String fixture) {
        Parsed p = parse(Fixture.input("usage/cloudtrail/" + fixture));
        assertThat(p.skips().examples()).isEmpty();
        return p.events();
    }

    private static Input json(String name, String text) {
        return Input.content(name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void an_iam_user_call_is_the_user_arn_with_its_long_term_key_and_everything_the_record_says() {
        UsageEvent e = events("api-calls.json").get(0);
        assertThat(e.at()).isEqualTo(Instant.parse("2026-05-30T09:12:44Z"));
        assertThat(e.sourceType()).isEqualTo("aws");
        assertThat(e.scope()).isEqualTo("111122223333");
        assertThat(e.principal()).isEqualTo(CI_DEPLOYER);
        assertThat(e.credential()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
        assertThat(e.action()).isEqualTo("s3:GetObject");
        assertThat(e.resource()).isEqualTo("arn:aws:s3:::acme-artifacts/releases/shop-1.4.2.tar.gz");
        assertThat(e.sourceIp()).isEqualTo("203.0.113.10");
        assertThat(e.userAgent()).startsWith("[aws-cli/2.15.30 ");
        assertThat(e.type()).isEqualTo(UsageEvent.API);
        assertThat(e.errorCode()).isNull();
    }

    @Test
    void access_denied_is_an_error_of_the_call() {
        UsageEvent e = events("api-calls.json").get(1);
        assertThat(e.action()).isEqualTo("s3:PutObject");
        assertThat(e.errorCode()).isEqualTo("AccessDenied");
        assertThat(e.sourceIp()).isEqualTo("198.51.100.77");
    }

    @Test
    void assumed_role_sessions_are_their_role_with_the_session_key_as_credential() {
        List<UsageEvent> all = events("api-calls.json");
        UsageEvent withIssuer = all.get(2);
        UsageEvent withoutIssuer = all.get(3);
        for (UsageEvent e : List.of(withIssuer, withoutIssuer)) {
            assertThat(e.principal()).isEqualTo(APP_ORDERS);
            assertThat(e.scope()).isEqualTo("111122223333");
            assertThat(e.credential()).isEqualTo("ASIAIOSFODNN7EXAMPLE");
        }
        assertThat(withIssuer.action()).isEqualTo("secretsmanager:GetSecretValue");
        assertThat(withIssuer.resource())
                .isEqualTo("arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/orders/db-AbCdEf");
        assertThat(withoutIssuer.action()).isEqualTo("sts:GetCallerIdentity");
    }

    @Test
    void a_role_with_a_path_is_taken_from_the_session_issuer() {
        UsageEvent e = events("api-calls.json").get(4);
        assertThat(e.principal()).isEqualTo(ACCOUNT + "role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS");
        assertThat(e.credential()).isNull();
        assertThat(e.sourceIp()).isEqualTo("ecs.amazonaws.com");
        assertThat(e.action()).isEqualTo("ec2:DescribeNetworkInterfaces");
    }

    @Test
    void an_aws_service_call_is_the_service_in_the_recipient_account() {
        UsageEvent e = events("api-calls.json").get(5);
        assertThat(e.principal()).isEqualTo("cloudtrail.amazonaws.com");
        assertThat(e.scope()).isEqualTo("111122223333");
        assertThat(e.action()).isEqualTo("s3:GetBucketAcl");
        assertThat(e.resource()).isEqualTo("arn:aws:s3:::acme-cloudtrail-logs");
        assertThat(e.credential()).isNull();
    }

    @Test
    void root_is_the_account_root_and_a_console_session_key_is_not_its_credential() {
        UsageEvent e = events("api-calls.json").get(6);
        assertThat(e.principal()).isEqualTo(ACCOUNT + "root");
        assertThat(e.credential()).isNull();
        assertThat(e.action()).isEqualTo("iam:ListAccessKeys");
        assertThat(e.userAgent()).isEqualTo("AWS Internal");
    }

    @Test
    void versioned_event_names_and_the_cloudwatch_source_become_iam_action_names() {
        List<UsageEvent> all = events("api-calls.json");
        assertThat(all.get(7).action()).isEqualTo("lambda:UpdateFunctionCode");
        assertThat(all.get(7).resource()).isEqualTo("arn:aws:lambda:eu-west-1:111122223333:function:shop-checkout");
        assertThat(all.get(9).action()).isEqualTo("cloudwatch:PutMetricData");
        assertThat(CloudTrailRecords.action("lambda.amazonaws.com", "ListFunctions20150331"))
                .isEqualTo("lambda:ListFunctions");
        assertThat(CloudTrailRecords.action("cloudfront.amazonaws.com", "UpdateDistribution2017_03_25"))
                .isEqualTo("cloudfront:UpdateDistribution");
        assertThat(CloudTrailRecords.action("s3.amazonaws.com", "ListObjectsV2"))
                .isEqualTo("s3:ListObjectsV2");
    }

    @Test
    void an_oidc_role_denied_an_action_records_the_error_against_the_role() {
        UsageEvent e = events("api-calls.json").get(8);
        assertThat(e.principal()).isEqualTo(ACCOUNT + "role/github-deploy");
        assertThat(e.credential()).isEqualTo("ASIAY34FZKBOKMUTVV7A");
        assertThat(e.action()).isEqualTo("iam:CreateUser");
        assertThat(e.errorCode()).isEqualTo("AccessDenied");
    }

    @Test
    void console_sign_ins_are_console_logins_and_a_failed_one_is_an_error() {
        List<UsageEvent> all = events("console-signin.json");
        assertThat(all).hasSize(4).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(UsageEvent.CONSOLE_LOGIN);
            assertThat(e.action()).isEqualTo("signin:ConsoleLogin");
            assertThat(e.userAgent()).startsWith("Mozilla/5.0");
        });
        assertThat(all.get(0).principal()).isEqualTo(ACCOUNT + "user/legacy-reporting");
        assertThat(all.get(0).errorCode()).isNull();
        assertThat(all.get(1).principal())
                .as("a failed sign-in names no ARN; it is built from account and user name")
                .isEqualTo(ACCOUNT + "user/legacy-reporting");
        assertThat(all.get(1).errorCode()).isEqualTo("Failure");
        assertThat(all.get(2).principal()).isEqualTo(ACCOUNT + "root");
        assertThat(all.get(3).principal())
                .as("without a session issuer the role comes from the assumed-role ARN, without its path")
                .isEqualTo(ACCOUNT + "role/AWSReservedSSO_AdministratorAccess_0123456789abcdef");
    }

    @Test
    void federated_and_cross_account_callers_are_kept_as_far_as_the_record_names_them() {
        List<UsageEvent> all = events("federation.json");
        assertThat(all)
                .extracting(UsageEvent::principal, UsageEvent::scope, UsageEvent::credential)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ACCOUNT + "role/github-deploy", "111122223333", null),
                        org.assertj.core.groups.Tuple.tuple(
                                ACCOUNT
                                        + "oidc-provider/token.actions.githubusercontent.com:sts.amazonaws.com:repo:acme/shop:ref:refs/heads/main",
                                "111122223333",
                                null),
                        org.assertj.core.groups.Tuple.tuple(
                                ACCOUNT + "role/SAMLTestRoleShibboleth", "111122223333", null),
                        org.assertj.core.groups.Tuple.tuple(
                                "SampleUkh1i4+ExamplexL/jEvs=:SamlExample", "111122223333", null),
                        org.assertj.core.groups.Tuple.tuple(
                                ACCOUNT + "user/legacy-reporting", "111122223333", "ASIAEXAMPLEFEDKEY001"),
                        org.assertj.core.groups.Tuple.tuple(
                                "AROAEXAMPLEPARTNER001:etl-2026-05-31", "444455556666", null));
        assertThat(all.get(1).action()).isEqualTo("sts:AssumeRoleWithWebIdentity");
        assertThat(all.get(1).resource()).isEqualTo(ACCOUNT + "role/github-deploy");
        assertThat(all.get(0).resource())
                .as("the role a web identity assumed is used, by that workload")
                .isEqualTo(ACCOUNT + "role/github-deploy");
        assertThat(all.get(5).resource()).isEqualTo("arn:aws:s3:::acme-partner-exchange/exports/orders-2026-05-30.csv");
        assertThat(all.get(5).target())
                .as("a partner's call lands in the recipient account, not its own")
                .isEqualTo("111122223333");
    }

    @Test
    void each_unusable_record_is_skipped_with_its_index_and_reason() {
        Input bad = onlyUnusableRecords();
        String n = bad.name();
        assertThat(parse(bad).skips().examples())
                .containsExactly(
                        n + " Records[0]: missing eventTime",
                        n + " Records[1]: missing eventName, userIdentity",
                        n + " Records[2]: eventTime 'yesterday at noon' is not an RFC 3339 instant",
                        n + " Records[3]: eventTime timestamp 1970-01-01T00:00:00Z is before 2006-01-01T00:00:00Z",
                        n + " Records[4]: eventTime timestamp 2031-01-01T00:00:00Z is more than a day in the future",
                        n + " Records[5]: not a JSON object",
                        n + " Records[6]: IdentityCenterUser is a person signed in through IAM Identity Center, not a"
                                + " machine identity",
                        n + " Records[7]: IAMUser without an ARN or a usable userName",
                        n + " Records[8]: eventName 'GetObject'; DROP TABLE usage_daily; --' is not an API name",
                        n + " Records[9]: eventTime is not a string",
                        n + " Records[10]: userIdentity.arn 'arn:aws:iam::111122223333:user/not-a-session' is not an"
                                + " assumed-role ARN");
    }

    @Test
    void an_unusable_record_is_skipped_and_the_rest_of_the_file_applies() {
        String good = "{\"eventTime\":\"2026-05-31T10:00:00Z\",\"eventSource\":\"sqs.amazonaws.com\","
                + "\"eventName\":\"SendMessage\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"" + CI_DEPLOYER
                + "\",\"accountId\":\"111122223333\",\"accessKeyId\":\"AKIAIOSFODNN7EXAMPLE\"}}";
        Parsed p = parse(json(
                "mixed.json", "{\"Records\":[" + good + ",{\"eventTime\":\"2026-05-31T10:00:01Z\"}," + good + "]}"));
        assertThat(p.events()).hasSize(2).allSatisfy(e -> assertThat(e.action()).isEqualTo("sqs:SendMessage"));
        assertThat(p.skips().examples())
                .containsExactly("mixed.json Records[1]: missing eventSource, eventName, userIdentity");
    }

    @Test
    void the_future_is_judged_by_the_injected_clock() {
        String at23h = NOW.plus(Duration.ofHours(23)).toString();
        String at25h = NOW.plus(Duration.ofHours(25)).toString();
        String record =
                "{\"eventTime\":\"%s\",\"eventSource\":\"sts.amazonaws.com\",\"eventName\":\"GetCallerIdentity\","
                        + "\"userIdentity\":{\"type\":\"Root\",\"accountId\":\"111122223333\"}}";
        Parsed p = parse(json(
                "skew.json",
                "{\"Records\":[" + String.format(record, at23h) + "," + String.format(record, at25h) + "]}"));
        assertThat(p.events()).extracting(UsageEvent::at).containsExactly(Instant.parse(at23h));
        assertThat(p.skips().examples()).singleElement().asString().contains("Records[1]", "in the future");
    }

    @Test
    void digest_and_insights_files_hold_no_usage_and_are_not_errors() {
        String base = "usage/cloudtrail/AWSLogs/111122223333/";
        for (String f : List.of(
                base + "CloudTrail-Digest/eu-west-1/2026/05/30/"
                        + "111122223333_CloudTrail-Digest_eu-west-1_acme-trail_us-east-1_20260530T100000Z.json.gz",
                base + "CloudTrail-Insight/eu-west-1/2026/05/31/"
                        + "111122223333_CloudTrail-Insight_eu-west-1_20260531T1200Z_Ab12Cd34Ef56Gh78.json.gz")) {
            Parsed p = parse(Fixture.input(f));
            assertThat(p.events()).isEmpty();
            assertThat(p.skips().count()).isZero();
        }
    }

    @Test
    void a_delivered_log_file_is_gzip_on_one_line() {
        Parsed p = parse(Fixture.input("usage/cloudtrail/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/05/30/"
                + "111122223333_CloudTrail_eu-west-1_20260530T0915Z_k3Xy9Qw2Rt7UvB1n.json.gz"));
        assertThat(p.events())
                .extracting(UsageEvent::action)
                .containsExactly("ecr:GetAuthorizationToken", "ecr:GetAuthorizationToken", "ecs:UpdateService");
        assertThat(p.events()).allSatisfy(e -> assertThat(e.principal()).isEqualTo(CI_DEPLOYER));
    }
}
