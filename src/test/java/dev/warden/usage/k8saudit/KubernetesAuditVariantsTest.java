package dev.warden.usage.k8saudit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.warden.discovery.Fixture;
import dev.warden.input.Input;
import dev.warden.testing.TestClock;
import dev.warden.usage.Skips;
import dev.warden.usage.UsageEvent;
import dev.warden.usage.UsageException;
import dev.warden.usage.UsageOptions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every real-world variant of a Kubernetes audit log, with the events and skips it gives. */
class KubernetesAuditVariantsTest {
    private static final String ORDERS = "system:serviceaccount:shop:orders-api";

    private final KubernetesAuditParser parser =
            new KubernetesAuditParser(new TestClock(Instant.parse("2026-06-01T12:00:00Z")));

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("v1beta1-2017.log", 2, 0, List.of("kubecfg", "system:serviceaccount:ci:deployer")),
                Arguments.of("no-typemeta.log", 2, 0, List.of(ORDERS)),
                Arguments.of("eventlist.json", 2, 0, List.of(ORDERS)),
                Arguments.of("pretty-single.json", 1, 0, List.of(ORDERS)),
                Arguments.of("pretty-concatenated.json", 2, 0, List.of(ORDERS)),
                Arguments.of("array.json", 2, 0, List.of(ORDERS)),
                Arguments.of("impersonation.log", 1, 0, List.of("system:serviceaccount:team-a:deployer")),
                Arguments.of(
                        "gke-gcloud-read.json",
                        3,
                        0,
                        List.of(ORDERS, "ci-deployer@acme-prod.iam.gserviceaccount.com", "alice@example.com")),
                Arguments.of("gke-sink.json", 2, 0, List.of(ORDERS, "ci-deployer@acme-prod.iam.gserviceaccount.com")),
                Arguments.of("aks-PT1H.json", 2, 1, List.of(ORDERS)),
                Arguments.of("aks-parsed-log.json", 2, 0, List.of(ORDERS)),
                Arguments.of("aks-eventhub.json", 2, 0, List.of(ORDERS)),
                Arguments.of("eks-filter-log-events.json", 2, 0, List.of(ORDERS)),
                Arguments.of("eks-export-000000", 2, 0, List.of(ORDERS)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void each_variant_gives_its_events_from_its_principals(
            String file, int events, int skips, List<String> principals) {
        List<UsageEvent> got = new ArrayList<>();
        Skips s = new Skips();
        parser.parse(Fixture.input("usage/k8s-audit/variants/" + file), new UsageOptions("prod-eu-1"), got::add, s);
        assertThat(got).hasSize(events);
        assertThat(s.count()).as("skips %s", s.examples()).isEqualTo(skips);
        assertThat(got).extracting(UsageEvent::principal).containsOnlyElementsOf(principals);
        assertThat(got).allSatisfy(e -> {
            assertThat(e.scope()).isEqualTo("prod-eu-1");
            assertThat(e.action()).isNotBlank();
            assertThat(e.resource()).isNotBlank();
        });
    }

    private List<UsageEvent> events(String file) {
        List<UsageEvent> got = new ArrayList<>();
        parser.parse(
                Fixture.input("usage/k8s-audit/variants/" + file),
                new UsageOptions("prod-eu-1"),
                got::add,
                new Skips());
        return got;
    }

    private static Input text(String name, String s) {
        return Input.content(name, s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_gke_entry_maps_method_and_resource_name_to_the_rbac_action_and_namespace() {
        List<UsageEvent> got = events("gke-gcloud-read.json");
        assertThat(got)
                .extracting(UsageEvent::action, UsageEvent::resource, UsageEvent::errorCode)
                .containsExactly(
                        tuple("get configmaps", "namespace/shop", null),
                        tuple("update apps/deployments/scale", "namespace/shop", null),
                        tuple("create pods", "namespace/default", "400"));
        assertThat(got.get(0).sourceIp()).isEqualTo("10.8.0.12");
        assertThat(got.get(0).at()).isEqualTo(Instant.parse("2026-05-30T05:13:08.760303Z"));
    }

    @Test
    void an_impersonated_request_is_the_impersonated_identitys_use() {
        UsageEvent e = events("impersonation.log").get(0);
        assertThat(e.principal()).isEqualTo("system:serviceaccount:team-a:deployer");
        assertThat(e.action()).isEqualTo("create apps/deployments");
        assertThat(e.resource()).isEqualTo("namespace/team-a");
    }

    @Test
    void a_v1beta1_event_with_only_timestamp_is_dated_by_it() {
        assertThat(events("v1beta1-2017.log").get(0).at()).isEqualTo(Instant.parse("2026-05-30T10:04:55Z"));
    }

    @Test
    void a_pretty_printed_document_that_breaks_off_is_refused_naming_the_line() {
        String cut = Fixture.text("usage/k8s-audit/variants/array.json");
        Input in = text("cut.json", cut.substring(0, cut.length() / 2));
        assertThatThrownBy(() -> parser.parse(in, new UsageOptions("c"), e -> {}, new Skips()))
                .isInstanceOf(UsageException.class)
                .hasMessageMatching("cut\\.json:\\d+: not JSON: .*");
    }

    @Test
    void a_wrapped_message_that_is_not_json_is_skipped_and_the_rest_imports() {
        String ok = Fixture.text("usage/k8s-audit/variants/no-typemeta.log")
                .lines()
                .findFirst()
                .orElseThrow();
        String body = "{\"events\":[{\"message\":\"{\\\"kind\\\":\\\"Ev\"},{\"message\":"
                + new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(ok) + "}]}";
        List<UsageEvent> got = new ArrayList<>();
        Skips s = new Skips();
        parser.parse(text("page.json", body), new UsageOptions("c"), got::add, s);
        assertThat(s.examples()).containsExactly("page.json:1: message is not JSON (truncated?)");
        assertThat(got).hasSize(1);
    }

    @Test
    void the_legacy_text_format_is_refused_by_name() {
        Input in = text(
                "legacy.log",
                "2017-03-21T03:57:09.106841886-04:00 AUDIT: id=\"c939d2a7\" stage=\"ResponseComplete\"\n");
        assertThatThrownBy(() -> parser.parse(in, new UsageOptions("c"), e -> {}, new Skips()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("legacy text format");
    }

    @Test
    void a_top_level_scalar_is_refused_and_a_scalar_in_an_array_skipped() {
        assertThatThrownBy(() -> parser.parse(text("n.json", "42\n"), new UsageOptions("c"), e -> {}, new Skips()))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("n.json:1: not a Kubernetes audit log");
        Skips s = new Skips();
        parser.parse(text("a.json", "[\n  1\n]\n"), new UsageOptions("c"), e -> {}, s);
        assertThat(s.examples()).containsExactly("a.json:2: not a JSON object");
    }
}
