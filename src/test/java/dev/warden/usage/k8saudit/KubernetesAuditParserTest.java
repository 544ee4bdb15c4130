package dev.warden.usage.k8saudit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.discovery.Fixture;
import dev.warden.input.Input;
import dev.warden.usage.Skips;
import dev.warden.usage.UsageEvent;
import dev.warden.usage.UsageException;
import dev.warden.usage.UsageOptions;
import dev.warden.usage.UsageParser;
import dev.warden.usage.UsageParserContract;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KubernetesAuditParserTest extends UsageParserContract {
    private static final String ORDERS = "system:serviceaccount:shop:orders-api";
    private static final String DEPLOYER = "system:serviceaccount:ci:deployer";
    private static final String PROMETHEUS = "system:serviceaccount:monitoring:prometheus";
    private static final String ARGOCD = "system:serviceaccount:argocd:argocd-application-controller";

    private final KubernetesAuditParser parser = new KubernetesAuditParser(clock);

    @Override
    protected UsageParser parser() {
        return parser;
    }

    @Override
    protected Input sample() {
        return Fixture.input("usage/k8s-audit/audit.log");
    }

    @Override
    protected Input onlyUnusableRecords() {
        return Fixture.input("usage/k8s-audit/malformed.log");
    }

    @Override
    protected int unusableRecords() {
        return 9;
    }

    @Override
    protected String sourceType() {
        return "kubernetes";
    }

    @Override
    protected UsageOptions options() {
        return new UsageOptions("prod-eu-1");
    }

    private List<UsageEvent> sampleEvents() {
        return parse(sample()).events();
    }

    private static Input lines(String name, String text) {
        return Input.content(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String event(String auditId, String stage, String username, String time) {
        return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"" + auditId
                + "\",\"stage\":\"" + stage
                + "\",\"requestURI\":\"/api/v1/namespaces/shop/configmaps\",\"verb\":\"list\","
                + "\"user\":{\"username\":\"" + username + "\"},\"sourceIPs\":[\"10.0.2.14\"],"
                + "\"objectRef\":{\"resource\":\"configmaps\",\"namespace\":\"shop\",\"apiVersion\":\"v1\"},"
                + "\"requestReceivedTimestamp\":\"" + time + "\",\"stageTimestamp\":\"" + time + "\"}";
    }

    @Test
    void a_service_account_request_is_the_account_in_the_named_cluster_with_what_it_did() {
        UsageEvent e = sampleEvents().stream()
                .filter(x -> x.principal().equals(ORDERS) && x.action().equals("get pods"))
                .findFirst()
                .orElseThrow();
        assertThat(e.sourceType()).isEqualTo("kubernetes");
        assertThat(e.scope()).isEqualTo("prod-eu-1");
        assertThat(e.resource()).isEqualTo("namespace/shop");
        assertThat(e.at()).isEqualTo(Instant.parse("2026-05-31T10:16:40.502113Z"));
        assertThat(e.sourceIp()).isEqualTo("10.0.2.14");
        assertThat(e.userAgent()).isEqualTo("orders-api/1.4.2 (linux/amd64) kubernetes/v1.30.1");
        assertThat(e.credential()).isNull();
        assertThat(e.errorCode()).isNull();
        assertThat(e.type()).isEqualTo(UsageEvent.API);
    }

    @Test
    void actions_are_qualified_by_api_group_and_subresource_as_rbac_grants_them() {
        assertThat(sampleEvents())
                .extracting(e -> e.principal() + " " + e.action() + " @ " + e.resource())
                .containsExactly(
                        ARGOCD + " list apps/deployments @ namespace/shop",
                        ORDERS + " get pods @ namespace/shop",
                        ORDERS + " get secrets @ namespace/shop",
                        DEPLOYER + " create pods/exec @ namespace/shop",
                        "alice@example.com get pods/log @ namespace/shop",
                        PROMETHEUS + " get /metrics @ cluster",
                        DEPLOYER + " patch apps/deployments/scale @ namespace/shop",
                        PROMETHEUS + " watch pods @ cluster");
    }

    @Test
    void each_request_counts_once_at_its_final_stage_or_else_its_last_one_at_the_end() {
        List<UsageEvent> all = sampleEvents();
        assertThat(all)
                .filteredOn(e -> e.action().equals("create pods/exec"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.sourceIp()).as("the first of sourceIPs").isEqualTo("192.0.2.61");
                    assertThat(e.errorCode())
                            .as("101 Switching Protocols is no error")
                            .isNull();
                });
        assertThat(all)
                .filteredOn(e -> e.action().equals("list apps/deployments"))
                .hasSize(1);
        assertThat(all.get(all.size() - 1).action())
                .as("a watch the file never saw complete counts at its last stage, at the end")
                .isEqualTo("watch pods");
    }

    @Test
    void a_forbidden_response_is_an_error() {
        assertThat(sampleEvents())
                .filteredOn(e -> e.action().equals("get secrets"))
                .singleElement()
                .satisfies(e -> assertThat(e.errorCode()).isEqualTo("403"));
    }

    @Test
    void people_are_counted_by_user_name_and_control_plane_components_not_at_all() {
        assertThat(sampleEvents())
                .extracting(UsageEvent::principal)
                .containsOnly(ARGOCD, ORDERS, DEPLOYER, PROMETHEUS, "alice@example.com")
                .noneMatch(p -> p.startsWith("system:node:") || p.equals("system:kube-scheduler"))
                .doesNotContain("system:anonymous");
    }

    @Test
    void the_cluster_must_be_named() {
        assertThatThrownBy(() -> parser.parse(sample(), UsageOptions.NONE, e -> {}, new Skips()))
                .isInstanceOf(IllegalArgumentException.class)
                .isNotInstanceOf(UsageException.class)
                .hasMessageContaining("--cluster");
        assertThatThrownBy(() -> new UsageOptions("prod cluster; rm -rf"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster must be");
    }

    @Test
    void each_unusable_line_is_skipped_with_its_number_and_reason() {
        Input bad = onlyUnusableRecords();
        String n = bad.name();
        List<String> examples = parse(bad).skips().examples();
        assertThat(examples.get(0))
                .isEqualTo(n + ":1: missing auditID, stage, verb, user.username, requestReceivedTimestamp");
        assertThat(examples.get(1)).startsWith(n + ":2: not JSON: ");
        assertThat(examples.get(2)).startsWith(n + ":3: not JSON: ");
        assertThat(examples.get(3)).isEqualTo(n + ":4: not an audit.k8s.io/v1 Event (kind 'Pod', apiVersion 'v1')");
        assertThat(examples.get(4)).startsWith(n + ":5: requestReceivedTimestamp timestamp 1999-12-31");
        assertThat(examples.get(5)).isEqualTo(n + ":6: not a JSON object");
        assertThat(examples.get(6))
                .isEqualTo(n
                        + ":7: user.username 'system:serviceaccount:Shop_NS:orders api' is not a service account name");
        assertThat(examples.get(7)).isEqualTo(n + ":8: stage 'Done' is not an audit stage");
        assertThat(examples.get(8)).startsWith(n + ":9: ").endsWith("is more than a day in the future");
    }

    @Test
    void a_line_over_the_limit_is_skipped_with_its_number_and_the_rest_applies() {
        String t = "2026-05-31T10:00:00.000001Z";
        String huge = event("b", "ResponseComplete", ORDERS, t)
                .replace("\"level\"", "\"pad\":\"" + "x".repeat(KubernetesAuditParser.MAX_LINE_BYTES) + "\",\"level\"");
        Parsed p = parse(lines(
                "big.log",
                event("a", "ResponseComplete", ORDERS, t) + "\n" + huge + "\n"
                        + event("c", "ResponseComplete", ORDERS, t)));
        assertThat(p.events()).hasSize(2);
        assertThat(p.skips().examples()).containsExactly("big.log:2: line longer than 1024 KiB");
    }

    @Test
    void crlf_endings_blank_lines_and_a_byte_order_mark_are_fine() {
        String t = "2026-05-31T10:00:00Z";
        Parsed p = parse(lines(
                "crlf.log",
                "\uFEFF" + event("a", "ResponseComplete", ORDERS, t) + "\r\n\r\n   \r\n"
                        + event("b", "ResponseComplete", ORDERS, t) + "\r\n"));
        assertThat(p.events()).hasSize(2);
        assertThat(p.skips().count()).isZero();
    }

    @Test
    void a_file_whose_first_line_is_not_a_json_object_is_refused_naming_file_and_line() {
        assertThatThrownBy(() -> parse(lines("syslog.log", "\n\nMay 31 10:00:00 node kubelet[912]: started\n")))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("syslog.log:3: not a Kubernetes audit log");
    }

    @Test
    void an_empty_log_is_a_log_with_nothing_in_it() {
        Parsed p = parse(lines("empty.log", ""));
        assertThat(p.events()).isEmpty();
        assertThat(p.skips().count()).isZero();
    }

    @Test
    void requests_held_open_beyond_the_bound_are_counted_early_and_never_twice() {
        int n = KubernetesAuditParser.MAX_OPEN_REQUESTS + 50;
        String t = "2026-05-31T10:00:00Z";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(event("r" + i, "RequestReceived", ORDERS, t)).append('\n');
        }
        for (int i = 0; i < n; i++) {
            b.append(event("r" + i, "ResponseComplete", ORDERS, t)).append('\n');
        }
        List<UsageEvent> events = new ArrayList<>();
        parser.parse(lines("open.log", b.toString()), options(), events::add, new Skips());
        assertThat(events).hasSize(n);
    }
}
