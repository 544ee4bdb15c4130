package dev.warden.posture.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.posture.Build;
import dev.warden.posture.Check;
import dev.warden.posture.CheckContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenWithoutExpiryTest extends CheckContract {
    private static Credential token(CredentialKind kind, String id, boolean dated, Map<String, String> attrs) {
        return new Credential(
                null,
                null,
                kind,
                id,
                null,
                dated ? Days.ago(20) : null,
                null,
                null,
                null,
                CredentialStatus.ACTIVE,
                attrs);
    }

    @Override
    protected Check check() {
        return new TokenWithoutExpiry();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(
                Sample.of(Build.serviceAccount("prod-1", "ci", "legacy")
                        .credential(
                                UnusedServiceAccountTest.legacyToken("ci/legacy-token", 20, CredentialStatus.ACTIVE))),
                Sample.of(Build.workflow("acme/app", "release.yml")
                        .credential(token(
                                CredentialKind.API_KEY,
                                "secrets.NPM_API_KEY@acme/app",
                                false,
                                Map.of("longLived", "true")))),
                Sample.of(Build.of(
                                dev.warden.inventory.IdentityKind.API_KEY,
                                "pd",
                                "saas:pagerduty/key/1",
                                dev.warden.inventory.Source.of("saas", "pagerduty"))
                        .credential(token(CredentialKind.TOKEN, "pd-token-1", true, Map.of()))));
    }

    @Override
    protected List<Sample> silent() {
        Credential expiring = new Credential(
                null,
                null,
                CredentialKind.TOKEN,
                "exp",
                null,
                Days.ago(1),
                null,
                Days.ahead(1),
                null,
                CredentialStatus.ACTIVE,
                Map.of());
        Credential revoked = new Credential(
                null,
                null,
                CredentialKind.TOKEN,
                "rev",
                null,
                Days.ago(1),
                null,
                null,
                null,
                CredentialStatus.REVOKED,
                Map.of("expires", "never"));
        return List.of(
                Sample.of(Build.awsRole("expiring").credential(expiring)),
                Sample.of(Build.awsRole("revoked").credential(revoked)),
                Sample.of(Build.awsUser("keys").accessKey("AKIANOEXPIRY00000001", 10, 1)),
                Sample.of(Build.awsRole("undated").credential(token(CredentialKind.TOKEN, "u", false, Map.of()))));
    }

    @Test
    void says_why_it_knows_the_token_never_expires() {
        assertThat(only(firing().get(0)).evidence()).containsEntry("why", "source: expires=never");
        assertThat(only(firing().get(1)).evidence()).containsEntry("why", "source: longLived");
        assertThat(only(firing().get(2)).evidence()).containsEntry("why", "no expiry recorded");
    }
}
