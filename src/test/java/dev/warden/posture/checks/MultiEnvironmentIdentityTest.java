package dev.warden.posture.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.posture.Build;
import dev.warden.posture.Check;
import dev.warden.posture.CheckContract;
import dev.warden.posture.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultiEnvironmentIdentityTest extends CheckContract {
    @Override
    protected Check check() {
        return new MultiEnvironmentIdentity();
    }

    @Override
    protected List<Sample> firing() {
        return List.of(
                Sample.of(Build.workflow("acme/app", "deploy.yml").attr("environments", "staging,production")),
                Sample.of(Build.workflow("acme/app", "preview.yml").attr("environments", "dev, staging")));
    }

    @Override
    protected List<Sample> silent() {
        return List.of(
                Sample.of(Build.workflow("acme/app", "prod.yml").attr("environments", "prod")),
                Sample.of(Build.workflow("acme/app", "ci.yml")),
                Sample.of(Build.workflow("acme/app", "dup.yml").attr("environments", "prod,PROD")));
    }

    @Test
    void production_with_non_production_is_high() {
        assertThat(only(firing().get(0)).severity()).isEqualTo(Severity.HIGH);
        assertThat(only(firing().get(0)).evidence()).containsEntry("environments", List.of("production", "staging"));
        assertThat(only(firing().get(1)).severity()).isEqualTo(Severity.MEDIUM);
    }
}
