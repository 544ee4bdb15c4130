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

class UnusedEntitlementsTest extends CheckContract {
    private static UsageEvent call(Build b, long daysAgo, String action) {
        return b.event(daysAgo, action, "10.0.0.1", "aws-sdk-java/2.20", UsageEvent.API);
    }

    @Override
    protected Check check() {
        return new UnusedEntitlements();
    }

    @Override
    protected List<Sample> firing() {
        Build orders = Build.awsRole("orders")
                .allow("s3:GetObject", "arn:aws:s3:::orders/*", "inline")
                .allow("dynamodb:PutItem", "arn:aws:dynamodb:eu-west-1:111122223333:table/orders", "inline");
        Build sa = Build.serviceAccount("prod-1", "shop", "api")
                .allow("get pods", "namespace/shop", "rolebinding/shop/a -> role/a")
                .allow("delete pods", "namespace/shop", "rolebinding/shop/a -> role/a");
        return List.of(
                Sample.of(orders, call(orders, 60, "s3:GetObject"), call(orders, 2, "s3:GetObject")),
                Sample.of(sa, call(sa, 50, "get pods"), call(sa, 1, "get pods")));
    }

    @Override
    protected List<Sample> silent() {
        Build wildcard = Build.awsRole("wild").allow("s3:*", "*", "inline");
        Build fresh = Build.awsRole("fresh").allow("sqs:SendMessage", "*", "inline");
        Build k8s = Build.serviceAccount("prod-1", "shop", "lister").allow("* pods", "namespace/shop", "rb");
        return List.of(
                Sample.of(wildcard, call(wildcard, 80, "s3:PutObject"), call(wildcard, 3, "s3:ListBucket")),
                Sample.of(Build.awsRole("no-usage").allow("s3:GetObject", "*", "inline")),
                Sample.of(fresh, call(fresh, 10, "s3:GetObject")),
                Sample.of(k8s, call(k8s, 40, "list pods")));
    }

    @Test
    void reports_which_grants_went_unused_and_is_medium_when_one_writes() {
        Finding f = only(firing().get(0));
        assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(f.summary()).isEqualTo("1 of 2 grants unused in 90 days");
        assertThat(f.evidence().get("unused").toString())
                .contains("dynamodb:PutItem")
                .doesNotContain("s3:GetObject");
        assertThat(f.evidence()).containsEntry("usedActions", List.of("s3:GetObject"));
    }

    @Test
    void a_grant_last_used_before_the_window_counts_as_unused() {
        Build old = Build.awsRole("old")
                .allow("s3:GetObject", "arn:aws:s3:::b/*", "inline")
                .allow("sqs:ReceiveMessage", "arn:aws:sqs:eu-west-1:111122223333:q", "inline");
        Finding f = only(Sample.of(old, call(old, 120, "s3:GetObject"), call(old, 5, "sqs:ReceiveMessage")));
        assertThat(f.evidence().get("unused").toString()).contains("s3:GetObject");
        assertThat(f.severity()).isEqualTo(Severity.LOW);
    }

    @Test
    void wildcard_grants_match_case_insensitively_like_iam() {
        Build b = Build.awsRole("mixed").allow("S3:get*", "*", "inline");
        assertThat(all(Sample.of(b, call(b, 60, "s3:GetObject"), call(b, 1, "s3:GetObject"))))
                .isEmpty();
    }
}
