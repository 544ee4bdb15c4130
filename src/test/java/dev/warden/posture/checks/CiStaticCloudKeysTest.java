package dev.warden.posture.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.posture.Build;
import dev.warden.posture.Check;
import dev.warden.posture.CheckContract;
import dev.warden.posture.Finding;
import dev.warden.posture.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Records carry the attributes the GitHub connector writes (auth, clouds, cloudCredential, ...). */
class CiStaticCloudKeysTest extends CheckContract {
    static Credential secret(String name, String repo, boolean cloud) {
        return new Credential(
                null,
                null,
                CredentialKind.ACCESS_KEY,
                "secrets." + name + "@" + repo,
                null,
                null,
                null,
                null,
                null,
                CredentialStatus.ACTIVE,
                cloud
                        ? Map.of("cloudCredential", "true", "longLived", "true", "usedAs", "aws-access-key-id")
                        : Map.of("longLived", "true", "usedAs", "run"));
    }

    @Override
    protected Check check() {
        return new CiStaticCloudKeys();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(
                Sample.of(Build.workflow("acme/payments", "deploy-static.yml")
                        .attr("auth", "static-secret")
                        .attr("clouds", "aws")
                        .credential(secret("AWS_ACCESS_KEY_ID", "acme/payments", true))),
                Sample.of(Build.workflow("acme/payments", "inline.yml")
                        .attr("auth", "static-secret")
                        .attr("inlineCredentials", "AWS_SECRET_ACCESS_KEY (job deploy)")),
                Sample.of(Build.workflow("acme/web", "mixed.yml").attr("auth", "mixed")),
                ciUser("ci-deployer", CI_AGENT));
    }

    /** research §2.4: the action's own STS call, as CloudTrail records it (V). */
    static final String CI_AGENT =
            "aws-sdk-nodejs/2.1112.0 linux/v20.19.0 configure-aws-credentials-for-github-actions promise";

    static Sample ciUser(String name, String agent) {
        Build b = Build.awsUser(name).accessKey("AKIACIDEPLOYER000001", 30, 1);
        return Sample.of(
                b, b.event(1, "sts:GetCallerIdentity", "52.154.133.36", agent, dev.warden.usage.UsageEvent.API));
    }

    @Override
    protected List<Sample> silent() {
        return List.of(
                Sample.of(Build.workflow("acme/payments", "deploy-oidc.yml")
                        .attr("auth", "oidc")
                        .credential(secret("SLACK_TOKEN", "acme/payments", false))),
                Sample.of(Build.awsRole("not-ci").attr("auth", "static-secret")),
                ciUser("laptop-user", "aws-cli/2.15.0 Python/3.11.6 Darwin/23.1.0 exe/x86_64"));
    }

    @Test
    void an_iam_user_key_cloudtrail_shows_used_by_configure_aws_credentials_is_a_ci_static_key_finding_on_the_key() {
        Finding f = only(firing().get(3));
        assertThat(f.severity()).isEqualTo(Severity.HIGH);
        assertThat(f.credential()).isNotNull();
        assertThat(f.evidence().get("userAgents").toString()).contains("configure-aws-credentials-for-github-actions");
    }

    @Test
    void high_and_critical_when_a_credential_is_inline_or_forks_may_reach_it() {
        Finding f = only(firing().get(0));
        assertThat(f.severity()).isEqualTo(Severity.HIGH);
        assertThat(f.evidence().get("cloudSecrets").toString()).contains("secrets.AWS_ACCESS_KEY_ID@acme/payments");
        assertThat(only(firing().get(1)).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(only(Sample.of(Build.workflow("acme/x", "prt.yml")
                                .attr("auth", "static-secret")
                                .attr("pullRequestTarget", "true")))
                        .severity())
                .isEqualTo(Severity.CRITICAL);
    }
}
