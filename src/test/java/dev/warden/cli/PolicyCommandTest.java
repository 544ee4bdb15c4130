package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code warden policy test} and {@code warden policy explain} as a user runs them. */
class PolicyCommandTest {
    @TempDir
    Path dir;

    private static final String POLICY = """
            policies:
              - name: payments-deployer
                owner: team-payments
                match: {attestors: [k8s-prod], workloads: ["system:serviceaccount:payments:*"]}
                grant: {audiences: ["https://registry.example.com"], scopes: [pull, push], defaultScopes: [pull], maxTtl: 15m}
                condition: context.environment == "prod"
            """;

    private static final String CASES = """
            cases:
              - name: deployer pushes in prod
                subject: {id: "system:serviceaccount:payments:deployer", attestor: k8s-prod}
                request: {audience: "https://registry.example.com", scope: push, ttl: 10m}
                context: {environment: prod}
                expect: allow
                policy: payments-deployer
              - name: deployer may not go to the database
                subject: {id: "system:serviceaccount:payments:deployer", attestor: k8s-prod}
                request: {audience: "https://db.example.com"}
                context: {environment: prod}
                expect: deny
                error: invalid_target
              - name: nothing in dev
                subject: {id: "system:serviceaccount:payments:deployer", attestor: k8s-prod}
                request: {audience: "https://registry.example.com"}
                context: {environment: dev}
                expect: deny
            """;

    record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void the_shipped_example_policies_pass_their_fixtures_and_config_loads() {
        Run r = run("policy", "test", "examples/broker/policies");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("2 policies, 4 cases: 4 passed, 0 failed");
        assertThat(dev.warden.app.WardenConfig.load(Path.of("examples/broker/warden.yaml"))
                        .broker()
                        .attestors())
                .hasSize(2);
    }

    @Test
    void passing_fixtures_exit_0_with_a_summary() throws Exception {
        Files.writeString(dir.resolve("payments.yaml"), POLICY);
        Files.writeString(dir.resolve("payments_test.yaml"), CASES);
        Run r = run("policy", "test", dir.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("1 policies, 3 cases: 3 passed, 0 failed");
    }

    @Test
    void a_failing_fixture_exits_1_and_says_why() throws Exception {
        Files.writeString(dir.resolve("payments.yaml"), POLICY);
        Files.writeString(
                dir.resolve("payments_test.yaml"), CASES.replace("error: invalid_target", "error: invalid_scope"));
        Run r = run("policy", "test", dir.toString(), "--verbose");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL").contains("does not grant target").contains("1 failed");
        Run json = run("policy", "test", dir.toString(), "--format", "json");
        assertThat(json.out()).contains("\"failed\" : 1");
    }

    @Test
    void a_policy_that_does_not_compile_exits_2_naming_file_and_position() throws Exception {
        Files.writeString(dir.resolve("payments.yaml"), POLICY.replace("context.environment", "context.env"));
        Run r = run("policy", "test", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("payments.yaml:6:").contains("undeclared reference to 'context'");
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void explain_shows_the_deciding_policy_and_every_verdict() throws Exception {
        Files.writeString(dir.resolve("payments.yaml"), POLICY);
        Path input =
                Files.writeString(Files.createDirectories(dir.resolve("inputs")).resolve("input.yaml"), """
                subject: {id: "system:serviceaccount:payments:deployer", attestor: k8s-prod, claims: {groups: [a]}}
                request: {audience: "https://registry.example.com", scope: "pull push"}
                context: {environment: prod, sourceAddress: 10.1.2.3}
                """);
        Run r = run("policy", "explain", dir.toString(), input.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("decision: ALLOW")
                .contains("payments.yaml#payments-deployer")
                .contains("ALLOWS");
        Files.writeString(input, "subject: {id: someone}\nrequest: {audience: x}\n");
        Run denied = run("policy", "explain", dir.toString(), input.toString(), "--format", "json");
        assertThat(denied.code()).isEqualTo(1);
        assertThat(denied.out()).contains("\"decision\" : \"deny\"").contains("no policy matches");
    }

    @Test
    void a_malformed_fixture_is_a_usage_error_naming_the_case() throws Exception {
        Files.writeString(dir.resolve("payments.yaml"), POLICY);
        Files.writeString(dir.resolve("x_test.yaml"), "cases:\n  - name: a\n    expect: maybe\n    subject: {id: x}\n");
        Run r = run("policy", "test", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("x_test.yaml: cases[0].expect: must be allow or deny");
    }

    @Test
    void serve_refuses_a_bad_config_naming_the_key() throws Exception {
        Path cfg = Files.writeString(dir.resolve("warden.yaml"), """
                broker:
                  issuer: https://warden.test
                  policies: policies
                  attestors:
                    - {name: gh, kind: oidc, issuer: "https://token.actions.githubusercontent.com", audiences: [warden]}
                """);
        Files.createDirectories(dir.resolve("policies"));
        Run r = run(
                "serve",
                "--config",
                cfg.toString(),
                "--data-dir",
                dir.resolve("data").toString(),
                "--port",
                "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("broker.attestors[0]").contains("jwksUrl and jwksFile");
        Files.writeString(cfg, "broker:\n  isuer: x\n");
        r = run(
                "serve",
                "--config",
                cfg.toString(),
                "--data-dir",
                dir.resolve("data").toString(),
                "--port",
                "0");
        assertThat(r.err()).contains("broker.isuer: unknown key");
    }
}
