package dev.warden.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policies that grant X.509-SVIDs: the spiffeId template, DNS names, and their compile errors. */
class SvidPolicyTest {
    private static final String POLICY = """
            policies:
              - name: k8s-svids
                match: {workloads: ["system:serviceaccount:*"]}
                grant:
                  spiffeId: 'spiffe://example.org/ns/{{subject.attributes["namespace"]}}/sa/{{subject.attributes["serviceaccount"]}}'
                  dnsNames: ["*.svc.cluster.local"]
                  maxTtl: 20m
                condition: request.credential == "x509-svid"
            """;

    private static PolicyInput input(String workload, Duration ttl, String credential) {
        return new PolicyInput(
                new PolicyInput.Subject(
                        workload,
                        "k8s",
                        "oidc",
                        "https://k8s.test",
                        null,
                        Map.of(),
                        Map.of("namespace", "payments", "serviceaccount", "api")),
                credential.equals("x509-svid")
                        ? PolicyInput.Request.x509Svid(ttl)
                        : new PolicyInput.Request("https://x", null, List.of(), ttl, null),
                new PolicyInput.Context(Fixtures.T0, "127.0.0.1", "prod"));
    }

    @Test
    void a_spiffe_id_template_renders_from_the_attested_attributes() {
        PolicySet set = PolicyLoader.compile(Map.of("p.yaml", POLICY));
        Decision d = set.decideSvid(input("system:serviceaccount:payments:api", null, "x509-svid"), List.of());
        assertThat(d.allowed()).as(d.reason()).isTrue();
        assertThat(d.spiffeId()).isEqualTo("spiffe://example.org/ns/payments/sa/api");
        assertThat(d.ttl()).isEqualTo(Duration.ofMinutes(20));
    }

    @Test
    void dns_names_must_match_the_policy_globs() {
        PolicySet set = PolicyLoader.compile(Map.of("p.yaml", POLICY));
        PolicyInput in = input("system:serviceaccount:payments:api", Duration.ofMinutes(5), "x509-svid");
        assertThat(set.decideSvid(in, List.of("api.payments.svc.cluster.local")).allowed())
                .isTrue();
        Decision d = set.decideSvid(in, List.of("api.example.com"));
        assertThat(d.allowed()).isFalse();
        assertThat(d.outcome()).isEqualTo(Decision.Outcome.DNS_NOT_GRANTED);
        assertThat(d.reason()).contains("does not allow DNS name 'api.example.com'");
    }

    @Test
    void an_svid_only_policy_grants_no_token() {
        PolicySet set = PolicyLoader.compile(Map.of("p.yaml", POLICY));
        Decision d = set.decide(input("system:serviceaccount:payments:api", null, "token"));
        assertThat(d.allowed()).isFalse();
        assertThat(d.outcome()).isEqualTo(Decision.Outcome.TARGET_NOT_GRANTED);
    }

    @Test
    void a_token_policy_grants_no_svid() {
        PolicySet set = PolicyLoader.compile(Map.of("p.yaml", """
                policies:
                  - name: tokens
                    match: {workloads: ["*"]}
                    grant: {audiences: ["https://x"]}
                """));
        Decision d = set.decideSvid(input("w", null, "x509-svid"), List.of());
        assertThat(d.outcome()).isEqualTo(Decision.Outcome.SVID_NOT_GRANTED);
        assertThat(d.reason()).contains("grants no X.509-SVID");
    }

    @Test
    void policy_test_fixtures_can_check_svid_requests_and_their_spiffe_id(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("p.yaml"), POLICY);
        Files.writeString(dir.resolve("p_test.yaml"), """
                cases:
                  - name: api gets its svid
                    subject: {id: "system:serviceaccount:payments:api", attributes: {namespace: payments, serviceaccount: api}}
                    request: {credential: x509-svid, dnsNames: [api.payments.svc.cluster.local]}
                    expect: allow
                    spiffeId: spiffe://example.org/ns/payments/sa/api
                  - name: no foreign dns names
                    subject: {id: "system:serviceaccount:payments:api", attributes: {namespace: payments, serviceaccount: api}}
                    request: {credential: x509-svid, dnsNames: evil.example.com}
                    expect: deny
                  - name: a wrong expectation fails
                    subject: {id: "system:serviceaccount:payments:api", attributes: {namespace: payments, serviceaccount: api}}
                    request: {credential: x509-svid}
                    expect: allow
                    spiffeId: spiffe://example.org/other
                """);
        List<PolicyTests.Result> results = PolicyTests.run(PolicyLoader.load(dir), dir, Fixtures.T0);
        assertThat(results).extracting(PolicyTests.Result::passed).containsExactly(true, true, false);
    }

    @Test
    void bad_spiffe_id_templates_fail_to_compile_with_their_position() {
        assertThatThrownBy(() -> PolicyLoader.compile(Map.of("p.yaml", """
                        policies:
                          - name: a
                            match: {workloads: ["*"]}
                            grant: {spiffeId: "spiffe://example.org/{{subject.nope}}"}
                          - name: b
                            match: {workloads: ["*"]}
                            grant: {spiffeId: "spiffe://example.org/{{subject.id"}
                          - name: c
                            match: {workloads: ["*"]}
                            grant: {spiffeId: "https://example.org/x"}
                          - name: d
                            match: {workloads: ["*"]}
                            grant: {audiences: ["x"], dnsNames: ["a.example.com"]}
                        """)))
                .isInstanceOf(PolicyException.class)
                .satisfies(e -> assertThat(((PolicyException) e).problems())
                        .anyMatch(p -> p.startsWith("p.yaml:4:") && p.contains("subject.nope"))
                        .anyMatch(p -> p.startsWith("p.yaml:7:") && p.contains("without a closing"))
                        .anyMatch(p -> p.startsWith("p.yaml:10:") && p.contains("must start with spiffe://"))
                        .anyMatch(p -> p.startsWith("p.yaml:13:") && p.contains("dnsNames needs spiffeId")));
    }
}
