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
import dev.warden.usage.UsageEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleUseTest extends CheckContract {
    static Credential consolePassword(String arn) {
        return new Credential(
                null,
                null,
                CredentialKind.PASSWORD,
                arn + "#console-password",
                null,
                Days.ago(50),
                Days.ago(50),
                null,
                Days.ago(3),
                CredentialStatus.ACTIVE,
                Map.of("use", "AWS console sign-in"));
    }

    @Override
    protected Check check() {
        return new ConsoleUse();
    }

    @Override
    protected List<Sample> firing() {
        Build signedIn = Build.awsRole("break-glass");
        return List.of(
                Sample.of(Build.awsUser("svc-report")
                        .attr("consolePassword", "true")
                        .credential(consolePassword("arn:aws:iam::111122223333:user/svc-report"))),
                Sample.of(
                        signedIn,
                        signedIn.event(
                                4, "signin:ConsoleLogin", "198.51.100.7", "Mozilla/5.0", UsageEvent.CONSOLE_LOGIN)));
    }

    @Override
    protected List<Sample> silent() {
        Build longAgo = Build.awsRole("long-ago");
        return List.of(
                Sample.of(Build.awsUser("svc-keys").attr("consolePassword", "false")),
                Sample.of(
                        longAgo,
                        longAgo.event(
                                200, "signin:ConsoleLogin", "198.51.100.7", "Mozilla/5.0", UsageEvent.CONSOLE_LOGIN)),
                Sample.of(Build.awsRole("api-only")));
    }

    @Test
    void a_sign_in_is_high_a_password_medium() {
        Finding password = only(firing().get(0));
        assertThat(password.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(password.evidence()).containsEntry("consolePassword", true);
        Finding login = only(firing().get(1));
        assertThat(login.severity()).isEqualTo(Severity.HIGH);
        assertThat(login.evidence()).containsEntry("consoleSignIns", 1L);
    }
}
