package dev.warden.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.app.WardenConfig;
import dev.warden.audit.AuditEntry;
import dev.warden.config.ConfigException;
import dev.warden.store.Dialect;
import dev.warden.testing.TestIssuer;
import dev.warden.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a refused workload is told: by default a generic description that names no policy, attestor,
 * issuer or key — the caller is not authenticated — while the audit log keeps the reason; with
 * {@code broker.verboseErrors: true} the reason itself.
 */
class RefusalDetailTest {
    private static final String WORKLOAD = "system:serviceaccount:payments:deployer";
    private static TestIssuer k8s;
    private static TestIssuer stranger;

    @TempDir
    Path dir;

    private BrokerHarness h;

    @BeforeAll
    static void issuers() {
        k8s = new TestIssuer(BrokerHarness.K8S);
        stranger = new TestIssuer("https://elsewhere.test");
    }

    @AfterAll
    static void stopIssuers() {
        k8s.close();
        stranger.close();
    }

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    /** A policy whose condition never holds, tried before the harness's own (file names are ordered). */
    private static final String NEVER = """
            policies:
              - name: ledger-reader
                owner: team-ledger
                match: {workloads: ["system:serviceaccount:ledger:*"]}
                grant: {audiences: ["https://ledger.example.com"]}
                condition: context.environment == "nowhere"
            """;

    private void start(String extraYaml) throws Exception {
        Files.createDirectories(dir.resolve("policies"));
        Files.writeString(dir.resolve("policies/ledger.yaml"), NEVER);
        h = new BrokerHarness(dir, TestStores.fresh(Dialect.SQLITE, dir), k8s, extraYaml);
    }

    private Map<String, String> form(String workload, String param, String value) {
        Map<String, String> f = BrokerHarness.form(h.saToken(workload));
        if (param != null) {
            f.put(param, value);
        }
        return f;
    }

    /**
     * Refusals of every kind — a condition, a target, a scope, no policy, a bad signature, another
     * issuer — one per audit window, so that each is audited in full; then an allowed exchange, which
     * is answered after the queued denials are written.
     */
    private List<JsonNode> refusals() {
        List<Supplier<Map<String, String>>> forms = List.of(
                () -> form("system:serviceaccount:ledger:reader", "audience", "https://ledger.example.com"),
                () -> form(WORKLOAD, "audience", "https://db.example.com"),
                () -> form(WORKLOAD, "scope", "admin"),
                () -> form("system:serviceaccount:web:frontend", null, null),
                () -> {
                    String t = h.saToken(WORKLOAD);
                    int dot = t.lastIndexOf('.');
                    return BrokerHarness.form(t.substring(0, dot + 1) + "AAAA" + t.substring(dot + 5));
                },
                () -> BrokerHarness.form(stranger.rs256(stranger.claims(WORKLOAD, "warden", h.clock.instant()))));
        List<JsonNode> answers = new ArrayList<>();
        for (Supplier<Map<String, String>> f : forms) {
            h.clock.advance(Duration.ofSeconds(61));
            BrokerHarness.Response r = h.post("/oauth2/token", f.get(), null);
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            answers.add(r.json());
        }
        assertThat(h.post("/oauth2/token", BrokerHarness.form(h.saToken(WORKLOAD)), null)
                        .status())
                .isEqualTo(200);
        return answers;
    }

    @Test
    void refusals_name_no_policy_attestor_or_issuer_unless_verbose_errors_are_on() throws Exception {
        start(null);
        List<JsonNode> answers = refusals();
        assertThat(answers)
                .extracting(j -> j.get("error").asText())
                .containsExactly(
                        "invalid_request",
                        "invalid_target",
                        "invalid_scope",
                        "invalid_request",
                        "invalid_request",
                        "invalid_request");
        assertThat(answers)
                .extracting(j -> j.get("error_description").asText())
                .containsExactly(
                        "no policy allows this request",
                        "no policy grants this audience or resource to this workload",
                        "no policy grants the requested scope to this workload",
                        "no policy allows this request",
                        "subject_token: not accepted (bad signature)",
                        "subject_token: not accepted (unknown issuer)");
        for (JsonNode a : answers) {
            assertThat(a.toString())
                    .doesNotContain("ledger-reader")
                    .doesNotContain("payments-deployer")
                    .doesNotContain("k8s-prod")
                    .doesNotContain("condition")
                    .doesNotContain("elsewhere.test")
                    .doesNotContain("k8s.test");
        }
        String reasons = h.warden.audit().list(0, 1000).stream()
                .filter(e -> e.action().equals("broker.deny"))
                .map(AuditEntry::details)
                .map(d -> d.get("reason"))
                .collect(Collectors.joining("\n"));
        assertThat(reasons)
                .contains("policy ledger-reader: condition is false")
                .contains("payments-deployer does not grant target")
                .contains("bad_signature")
                .contains("elsewhere.test");
    }

    @Test
    void verbose_errors_tell_the_caller_the_reason() throws Exception {
        start("verboseErrors: true");
        List<JsonNode> answers = refusals();
        assertThat(answers.get(0).get("error_description").asText())
                .contains("ledger-reader")
                .contains("condition");
        assertThat(answers.get(1).get("error_description").asText()).contains("payments-deployer");
        assertThat(answers.get(5).get("error_description").asText()).contains("elsewhere.test");
    }

    @Test
    void verbose_errors_is_a_boolean_off_by_default_and_on_in_the_demo() throws Exception {
        Path policies = Files.createDirectories(dir.resolve("policies"));
        String base = "broker:\n  issuer: https://w.test\n  policies: policies\n  attestors:\n"
                + "    - {name: k, kind: oidc, issuer: https://k.test, audiences: [w], jwksFile: jwks.json}\n";
        Files.writeString(dir.resolve("jwks.json"), k8s.jwksJson());
        assertThat(policies).exists();
        Path off = Files.writeString(dir.resolve("off.yaml"), base);
        Path on = Files.writeString(dir.resolve("on.yaml"), base + "  verboseErrors: true\n");
        Path no = Files.writeString(dir.resolve("no.yaml"), base + "  verboseErrors: false\n");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), base + "  verboseErrors: sometimes\n");
        assertThat(WardenConfig.load(off).broker().verbose()).isFalse();
        assertThat(WardenConfig.load(on).broker().verbose()).isTrue();
        assertThat(WardenConfig.load(off)
                        .broker()
                        .withVerboseErrorsDefault(true)
                        .verbose())
                .isTrue();
        assertThat(WardenConfig.load(no).broker().withVerboseErrorsDefault(true).verbose())
                .isFalse();
        assertThatThrownBy(() -> WardenConfig.load(bad))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("broker.verboseErrors: must be true or false");
    }
}
