package dev.warden.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.audit.AuditEntry;
import dev.warden.store.DbUrl;
import dev.warden.testing.Fixtures;
import dev.warden.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policy files: loading, compile errors with file and position, decisions, reload. */
class PolicyTest {
    @TempDir
    Path dir;

    static final String DEPLOYER = """
            policies:
              - name: payments-deployer
                description: the payments deployer pushes images
                owner: team-payments
                technicalOwner: platform
                match:
                  attestors: [k8s-prod]
                  workloads: ["system:serviceaccount:payments:*"]
                grant:
                  audiences: ["https://registry.example.com"]
                  scopes: [pull, push]
                  defaultScopes: [pull]
                  maxTtl: 15m
                  defaultTtl: 5m
                condition: |
                  context.environment == "prod" &&
                  subject.claims["kubernetes.io"]["namespace"] == "payments" &&
                  request.ttl <= duration("15m")
            """;

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static PolicyInput input(String workload, String audience, List<String> scopes, String env) {
        return new PolicyInput(
                new PolicyInput.Subject(
                        workload,
                        "k8s-prod",
                        "oidc",
                        "https://k8s",
                        null,
                        Map.of("kubernetes.io", Map.of("namespace", "payments")),
                        Map.of("namespace", "payments")),
                new PolicyInput.Request(audience, null, scopes, null, null),
                new PolicyInput.Context(Fixtures.T0, "10.0.0.7", env));
    }

    private PolicySet load() {
        return PolicyLoader.load(dir);
    }

    private String problems(String file, String text) throws Exception {
        write(file, text);
        try {
            load();
        } catch (PolicyException e) {
            return String.join("\n", e.problems());
        }
        throw new AssertionError("policies compiled but should not have");
    }

    @Test
    void a_matching_policy_allows_with_its_defaults_and_owner() throws Exception {
        write("deploy.yaml", DEPLOYER);
        Decision d = load().decide(input(
                "system:serviceaccount:payments:deployer", "https://registry.example.com", List.of(), "prod"));
        assertThat(d.allowed()).isTrue();
        assertThat(d.policy()).endsWith("deploy.yaml#payments-deployer");
        assertThat(d.scopes()).containsExactly("pull");
        assertThat(d.ttl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.owner()).isEqualTo("team-payments");
        assertThat(d.technicalOwner()).isEqualTo("platform");
    }

    @Test
    void everything_is_denied_by_default() {
        Decision d = PolicySet.empty().decide(input("system:serviceaccount:payments:deployer", "x", List.of(), "prod"));
        assertThat(d.allowed()).isFalse();
        assertThat(d.outcome()).isEqualTo(Decision.Outcome.NO_MATCHING_POLICY);
        assertThat(d.oauthError()).isEqualTo("invalid_request");
    }

    @Test
    void denials_say_how_far_the_request_got() throws Exception {
        write("deploy.yaml", DEPLOYER);
        PolicySet s = load();
        assertThat(s.decide(input("system:serviceaccount:web:api", "https://registry.example.com", List.of(), "prod"))
                        .outcome())
                .isEqualTo(Decision.Outcome.NO_MATCHING_POLICY);
        Decision target =
                s.decide(input("system:serviceaccount:payments:x", "https://db.example.com", List.of(), "prod"));
        assertThat(target.oauthError()).isEqualTo("invalid_target");
        assertThat(target.reason()).contains("does not grant target 'https://db.example.com'");
        Decision scope = s.decide(
                input("system:serviceaccount:payments:x", "https://registry.example.com", List.of("admin"), "prod"));
        assertThat(scope.oauthError()).isEqualTo("invalid_scope");
        Decision cond =
                s.decide(input("system:serviceaccount:payments:x", "https://registry.example.com", List.of(), "dev"));
        assertThat(cond.outcome()).isEqualTo(Decision.Outcome.CONDITION_FALSE);
        assertThat(cond.reason()).contains("condition is false");
    }

    @Test
    void requested_ttl_is_capped_at_the_policy_maximum() throws Exception {
        write("deploy.yaml", DEPLOYER);
        PolicyInput in = new PolicyInput(
                input("system:serviceaccount:payments:x", "", List.of(), "prod").subject(),
                new PolicyInput.Request(
                        "https://registry.example.com", null, List.of("push"), Duration.ofHours(2), null),
                new PolicyInput.Context(Fixtures.T0, "", "prod"));
        Decision d = load().decide(in);
        assertThat(d.allowed()).isTrue();
        assertThat(d.ttl()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void a_missing_claim_denies_instead_of_failing() throws Exception {
        write("p.yaml", """
                policies:
                  - name: needs-claim
                    match: {workloads: ["*"]}
                    grant: {audiences: [a]}
                    condition: subject.claims["groups"].exists(g, g == "deployers")
                """);
        Decision d = load().decide(input("w", "a", List.of(), "prod"));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("condition failed");
    }

    @Test
    void the_first_allowing_policy_in_file_order_decides_and_explain_shows_every_verdict() throws Exception {
        write("a.yaml", """
                policies:
                  - name: dev-only
                    match: {workloads: ["*"]}
                    grant: {audiences: [a]}
                    condition: context.environment == "dev"
                """);
        write("b.yaml", """
                policies:
                  - name: anyone
                    owner: team-b
                    match: {workloads: ["*"]}
                    grant: {audiences: [a], maxTtl: 1h}
                """);
        write("c_test.yaml", "cases: []\n");
        Decision d = load().decide(input("w", "a", List.of(), "prod"), true);
        assertThat(d.policy()).endsWith("b.yaml#anyone");
        assertThat(d.trace()).hasSize(2);
        assertThat(d.trace().get(0)).contains("a.yaml#dev-only").contains("condition is false");
        assertThat(d.trace().get(1)).contains("ALLOWS");
    }

    @Test
    void delegation_needs_the_actor_to_be_granted() throws Exception {
        write("p.yaml", """
                policies:
                  - name: ci-for-deployer
                    match: {workloads: ["deployer"]}
                    grant: {audiences: [a], actors: ["repo:acme/*"]}
                """);
        PolicySet s = load();
        PolicyInput.Subject sub = new PolicyInput.Subject("deployer", "k", "oidc", "i", null, Map.of(), Map.of());
        PolicyInput.Context ctx = new PolicyInput.Context(Fixtures.T0, "", "");
        assertThat(s.decide(new PolicyInput(
                                sub, new PolicyInput.Request("a", null, List.of(), null, "repo:acme/app"), ctx))
                        .allowed())
                .isTrue();
        Decision d =
                s.decide(new PolicyInput(sub, new PolicyInput.Request("a", null, List.of(), null, "repo:evil/x"), ctx));
        assertThat(d.outcome()).isEqualTo(Decision.Outcome.ACTOR_NOT_GRANTED);
    }

    @Test
    void a_syntax_error_is_reported_with_file_line_and_column() throws Exception {
        String p = problems("deploy.yaml", DEPLOYER.replace("request.ttl <= duration(\"15m\")", "request.ttl <= "));
        // The condition ends on line 18; CEL reports the missing operand at the end of input (line 19).
        assertThat(p).contains("deploy.yaml:19:1: condition: mismatched input");
    }

    @Test
    void a_reference_to_an_unknown_field_is_a_compile_error_at_its_position() throws Exception {
        String p = problems("deploy.yaml", DEPLOYER.replace("context.environment ==", "context.region =="));
        assertThat(p).contains("deploy.yaml:16:7: condition: undeclared reference to 'context'");
    }

    @Test
    void a_single_line_condition_error_points_into_the_line() throws Exception {
        String p = problems("p.yaml", """
                policies:
                  - name: x
                    match: {workloads: ["*"]}
                    grant: {audiences: [a]}
                    condition: request.scope.size() > 0 && request.nope
                """);
        assertThat(p).contains("p.yaml:5:44: condition: undeclared reference to 'request'");
    }

    @Test
    void a_non_boolean_condition_is_refused() throws Exception {
        String p = problems("p.yaml", """
                policies:
                  - name: x
                    match: {workloads: ["*"]}
                    grant: {audiences: [a]}
                    condition: request.ttl
                """);
        assertThat(p).contains("p.yaml:5:").contains("expected type 'bool'");
    }

    @Test
    void structural_errors_name_file_line_and_key() throws Exception {
        String p = problems("p.yaml", """
                policies:
                  - name: x
                    match: {workloads: ["*"], namespaces: [a]}
                    grant: {audiences: [a], maxTtl: 2h, scopes: ["bad scope"]}
                    owner: [not, a, string]
                  - name: x
                    grant: {audiences: []}
                """);
        assertThat(p)
                .contains("p.yaml:3:31: unknown key 'namespaces'")
                .contains("maxTtl must be between 1s and 1h")
                .contains("is not a valid OAuth scope token")
                .contains("p.yaml:5:12: 'owner' must be a non-empty string")
                .contains("p.yaml:6:5: policy needs a 'match' section")
                .contains("'audiences' must not be empty");
    }

    @Test
    void invalid_yaml_is_reported_with_its_position() throws Exception {
        String p = problems("p.yaml", "policies:\n  - name: x\n    match: {workloads: [\"*\"\n");
        assertThat(p).startsWith(dir.resolve("p.yaml") + ":").contains("invalid YAML");
    }

    @Test
    void duplicate_policy_names_across_files_are_refused() throws Exception {
        write("a.yaml", "policies:\n  - name: same\n    match: {workloads: [x]}\n    grant: {audiences: [a]}\n");
        String p = problems(
                "b.yaml", "policies:\n  - name: same\n    match: {workloads: [y]}\n    grant: {audiences: [a]}\n");
        assertThat(p)
                .contains("b.yaml:2:11: policy name 'same' is already used in")
                .contains("a.yaml:2");
    }

    @Test
    void sighup_reloads_the_policies() throws Exception {
        write("deploy.yaml", DEPLOYER);
        try (Warden w =
                Warden.open(new StoreLocation(dir, DbUrl.sqlite(dir.resolve("w.db"))), new TestClock(Fixtures.T0))) {
            PolicyEngine engine = new PolicyEngine(dir, w.audit());
            assertThat(SighupReload.install(engine)).isTrue();
            write("deploy.yaml", DEPLOYER.replace("payments-deployer", "after-hup"));
            sun.misc.Signal.raise(new sun.misc.Signal("HUP"));
            for (int i = 0;
                    i < 500 && !engine.current().policies().get(0).name().equals("after-hup");
                    i++) {
                Thread.sleep(20); // the handler runs on its own thread
            }
            assertThat(engine.current().policies().get(0).name()).isEqualTo("after-hup");
        }
    }

    @Test
    void a_failed_reload_keeps_the_old_set_and_both_outcomes_are_audited() throws Exception {
        write("deploy.yaml", DEPLOYER);
        try (Warden w =
                Warden.open(new StoreLocation(dir, DbUrl.sqlite(dir.resolve("w.db"))), new TestClock(Fixtures.T0))) {
            PolicyEngine engine = new PolicyEngine(dir, w.audit());
            String digest = engine.current().digest();
            write("deploy.yaml", DEPLOYER.replace("context.environment", "context.nope"));
            assertThatThrownBy(() -> engine.reload("test")).isInstanceOf(PolicyException.class);
            assertThat(engine.current().digest()).isEqualTo(digest);
            assertThat(engine.current().policies()).hasSize(1);
            write("deploy.yaml", DEPLOYER.replace("payments-deployer", "renamed"));
            assertThat(engine.reload("test").policies().get(0).name()).isEqualTo("renamed");
            List<String> actions =
                    w.audit().list(0, 100).stream().map(AuditEntry::action).toList();
            assertThat(actions).containsSubsequence("policy.reload_failed", "policy.reload");
        }
    }
}
