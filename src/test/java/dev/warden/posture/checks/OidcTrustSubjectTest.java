package dev.warden.posture.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.posture.Build;
import dev.warden.posture.Check;
import dev.warden.posture.CheckContract;
import dev.warden.posture.Finding;
import dev.warden.posture.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class OidcTrustSubjectTest extends CheckContract {
    private static final String GITHUB = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
    private static final String EKS =
            "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF";
    private static final String AUD = "\"token.actions.githubusercontent.com:aud\":\"sts.amazonaws.com\"";

    static Build role(String name, String provider, String condition) {
        return Build.awsRole(name).trust("federated", provider, "sts:AssumeRoleWithWebIdentity", condition);
    }

    @Override
    protected Check check() {
        return new OidcTrustSubject();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(
                Sample.of(role("gh-no-sub", GITHUB, "{\"StringEquals\":{" + AUD + "}}")),
                Sample.of(role(
                        "gh-org-wide",
                        GITHUB,
                        "{\"StringEquals\":{" + AUD + "},\"StringLike\":{\"token.actions.githubusercontent.com:sub\":"
                                + "\"repo:acme/*\"}}")),
                Sample.of(role(
                        "gh-any-branch",
                        GITHUB,
                        "{\"StringLike\":{\"token.actions.githubusercontent.com:sub\":[\"repo:acme/app:*\"]}}")),
                Sample.of(role("eks-no-sub", EKS, null)));
    }

    @Override
    protected List<Sample> silent() {
        return List.of(
                Sample.of(role(
                        "gh-pinned",
                        GITHUB,
                        "{\"StringEquals\":{" + AUD + ",\"token.actions.githubusercontent.com:sub\":"
                                + "\"repo:acme/app:ref:refs/heads/main\"}}")),
                Sample.of(role(
                        "gh-literal-star",
                        GITHUB,
                        "{\"StringEquals\":{\"token.actions.githubusercontent.com:sub\":\"repo:acme/*\"}}")),
                Sample.of(Build.awsRole("sso")
                        .trust(
                                "federated",
                                "arn:aws:iam::111122223333:saml-provider/Okta",
                                "sts:AssumeRoleWithWebIdentity",
                                null)),
                Sample.of(Build.awsRole("ec2").trust("service", "ec2.amazonaws.com", "sts:AssumeRole", null)));
    }

    @Test
    void severity_follows_how_open_the_subject_is() {
        Finding none = only(firing().get(0));
        assertThat(none.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(none.evidence()).containsEntry("publicIssuer", true).containsEntry("reason", "no sub condition");
        assertThat(only(firing().get(1)).severity()).isEqualTo(Severity.HIGH);
        assertThat(only(firing().get(2)).severity()).isEqualTo(Severity.MEDIUM);
        assertThat(only(firing().get(3)).severity()).isEqualTo(Severity.HIGH);
        assertThat(only(Sample.of(role(
                                "star",
                                GITHUB,
                                "{\"StringLike\":{\"token.actions.githubusercontent.com:sub\":\"*\"}}")))
                        .severity())
                .isEqualTo(Severity.CRITICAL);
    }

    @Test
    void the_imported_github_deploy_role_trusts_all_of_github() {
        try (var h = harness(List.of())) {
            h.importAws("authorization-details.json");
            assertThat(findings(h, "arn:aws:iam::111122223333:role/github-deploy"))
                    .singleElement()
                    .satisfies(f -> {
                        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
                        assertThat(f.evidence()).containsEntry("provider", "token.actions.githubusercontent.com");
                    });
        }
    }
}
