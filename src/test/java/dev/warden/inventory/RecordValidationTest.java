package dev.warden.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.store.Ids;
import dev.warden.testing.Fixtures;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Records refuse invalid values at construction, with the field named. */
class RecordValidationTest {
    private static Identity identity(
            String name, String externalId, Map<String, String> tags, Instant first, Instant last) {
        return new Identity(
                null,
                IdentityKind.WORKLOAD,
                name,
                externalId,
                Source.of("spiffe", "td"),
                null,
                null,
                null,
                null,
                null,
                null,
                IdentityStatus.ACTIVE,
                null,
                tags,
                null,
                first,
                last);
    }

    @Test
    void identities_need_a_name_an_external_id_and_sane_times() {
        Instant t = Fixtures.T0;
        assertThatThrownBy(() -> identity(" ", "x", Map.of(), t, t)).hasMessage("name is required");
        assertThatThrownBy(() -> identity("n", null, Map.of(), t, t)).hasMessage("externalId is required");
        assertThatThrownBy(() -> identity("n\u0000", "x", Map.of(), t, t))
                .hasMessage("name contains a control character");
        assertThatThrownBy(() -> identity("n".repeat(3000), "x", Map.of(), t, t))
                .hasMessageContaining("name is longer than");
        assertThatThrownBy(() -> identity("n", "x", Map.of(), t, t.minusSeconds(1)))
                .hasMessage("lastSeen is before firstSeen");
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            many.put("k" + i, "v");
        }
        assertThatThrownBy(() -> identity("n", "x", many, t, t)).hasMessageContaining("more than 128");
        assertThatThrownBy(() -> Source.of("AWS; DROP", "")).hasMessageContaining("source type");
        assertThatThrownBy(() -> new Credential(
                        null,
                        null,
                        CredentialKind.TOKEN,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        CredentialStatus.ACTIVE,
                        Map.of()))
                .hasMessageContaining("externalId or a fingerprint");
        assertThatThrownBy(() -> new Credential(
                        "not-an-id",
                        null,
                        CredentialKind.TOKEN,
                        "x",
                        null,
                        null,
                        null,
                        null,
                        null,
                        CredentialStatus.ACTIVE,
                        Map.of()))
                .hasMessageContaining("not a valid id");
    }

    @Test
    void enums_parse_their_wire_form_and_name_the_choices_when_wrong() {
        assertThat(IdentityKind.parse("kubernetes-service-account")).isEqualTo(IdentityKind.KUBERNETES_SERVICE_ACCOUNT);
        assertThat(IdentityKind.parse("CLOUD_ROLE")).isEqualTo(IdentityKind.CLOUD_ROLE);
        assertThatThrownBy(() -> IdentityKind.parse("robot"))
                .hasMessageContaining("unknown identity kind 'robot'")
                .hasMessageContaining("cloud_user");
        assertThatThrownBy(() -> CredentialStatus.parse(null)).hasMessageContaining("unknown credential status");
    }

    @Test
    void canonical_external_ids_follow_each_source() {
        assertThat(ExternalIds.kubernetesServiceAccount("kube-system", "default"))
                .isEqualTo("system:serviceaccount:kube-system:default");
        assertThat(ExternalIds.postgresRole("DB.Example.com", 5432, "app"))
                .isEqualTo("postgresql://db.example.com:5432/app");
        assertThat(ExternalIds.certificate(new byte[] {1, 2, 3}))
                .isEqualTo("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81");
        assertThat(ExternalIds.awsPrincipal("arn:aws:iam::123456789012:role/deploy"))
                .isEqualTo("arn:aws:iam::123456789012:role/deploy");
        assertThatThrownBy(() -> ExternalIds.awsPrincipal("role/deploy")).hasMessageContaining("not an AWS ARN");
        assertThatThrownBy(() -> ExternalIds.awsAccessKey("akia123")).hasMessageContaining("not an AWS access key id");
        assertThatThrownBy(() -> ExternalIds.kubernetesServiceAccount("Bad_NS", "x"))
                .hasMessageContaining("not a valid Kubernetes name");
    }

    @Property
    void cursors_round_trip_and_anything_else_is_refused(@ForAll String garbage) {
        String id = Ids.next();
        assertThat(Cursor.decode(Cursor.encode(id))).isEqualTo(id);
        try {
            String decoded = Cursor.decode(garbage);
            assertThat(Ids.isValid(decoded)).isTrue();
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isEqualTo("invalid cursor");
        }
    }
}
