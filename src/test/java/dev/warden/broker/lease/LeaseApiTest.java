package dev.warden.broker.lease;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.app.WardenConfig;
import dev.warden.auth.Role;
import dev.warden.broker.BrokerHarness;
import dev.warden.broker.issue.postgresql.PgTarget;
import dev.warden.inventory.IdentityRecord;
import dev.warden.store.Dialect;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestIssuer;
import dev.warden.testing.TestStores;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lease routes on a real server over loopback, against a real target PostgreSQL. */
class LeaseApiTest {
    static final String POLICY = """
            policies:
              - name: payments-db
                owner: team-payments
                match:
                  attestors: [k8s-prod]
                  workloads: ["system:serviceaccount:payments:*"]
                grant:
                  audiences: ["urn:warden:creds:postgresql:readonly"]
                  maxTtl: 1h
                  defaultTtl: 30m
            """;

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    private final HttpClient http = HttpClient.newHttpClient();
    private TestIssuer k8s;
    private PgTarget target;
    private Warden warden;
    private String base;
    private String admin;
    private String auditor;

    @BeforeEach
    void start() throws Exception {
        k8s = new TestIssuer(BrokerHarness.K8S);
        target = PgTarget.create();
        Files.createDirectories(dir.resolve("policies"));
        Files.writeString(dir.resolve("policies/db.yaml"), POLICY);
        String pg = target.yaml().indent(6).stripTrailing().replaceFirst("^ {6}name:", "    - name:");
        String down = """
                    - name: down-db
                      adminUrlEnv: DOWN_URL
                      rolePrefix: wdown_
                      connectTimeout: 1s
                      roles:
                        - name: reporting
                          creation: ["CREATE ROLE {{name}} LOGIN PASSWORD {{password}} VALID UNTIL {{expiration}}"]
                """;
        Files.writeString(dir.resolve("warden.yaml"), """
                broker:
                  issuer: https://warden.test
                  environment: prod
                  policies: policies
                  attestors:
                    - name: k8s-prod
                      kind: oidc
                      issuer: %s
                      profile: kubernetes
                      audiences: [warden]
                      algorithms: [RS256]
                      jwksUrl: %s
                  leases: {reaperInterval: 1s, backoff: 1s}
                  postgresql:
                %s
                %s""".formatted(BrokerHarness.K8S, k8s.serveJwks(), pg, down));
        WardenConfig config = WardenConfig.load(
                dir.resolve("warden.yaml"),
                Map.of(PgTarget.ENV, target.adminUrl, "DOWN_URL", "postgresql://nobody@127.0.0.1:1/none")::get);
        warden = Warden.open(new StoreLocation(dir, TestStores.fresh(Dialect.SQLITE, dir)), clock, config);
        base = "http://127.0.0.1:" + warden.serve("127.0.0.1", 0).port();
        admin = warden.tokens().create(Role.OPERATOR, null, "ci", "test").token();
        auditor = warden.tokens().create(Role.AUDITOR, null, "audit", "test").token();
    }

    @AfterEach
    void stop() {
        warden.close();
        k8s.close();
    }

    record Res(int status, String contentType, JsonNode json) {}

    private Res call(String method, String path, String body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json =
                r.body().isEmpty() ? null : dev.warden.config.Json.mapper().readTree(r.body());
        return new Res(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), json);
    }

    @Test
    void an_operator_token_gets_a_login_that_works_with_jdbc_and_psql() throws Exception {
        Res r = call("POST", "/v1/creds/postgresql/readonly", "{\"ttl\": \"15m\", \"workload\": \"batch-job\"}", admin);
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(201);
        String user = r.json().get("username").asText();
        String password = r.json().get("password").asText();
        assertThat(r.json().get("ttl").asLong()).isEqualTo(900);
        assertThat(user).startsWith(target.prefix);
        try (Connection c = target.login(user, password);
                ResultSet rs = c.createStatement().executeQuery("SELECT item FROM orders")) {
            assertThat(rs.next()).isTrue();
        }
        var u = dev.warden.store.DbUrl.parse(target.adminUrl);
        URI jdbc = URI.create(u.jdbcUrl().substring(5));
        ProcessBuilder pb = new ProcessBuilder(
                        "psql",
                        "-h",
                        jdbc.getHost(),
                        "-p",
                        Integer.toString(jdbc.getPort()),
                        "-U",
                        user,
                        "-d",
                        target.database,
                        "-tAc",
                        "SELECT item FROM orders")
                .redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", password);
        if (Files.isExecutable(Path.of("/usr/bin/psql"))) {
            Process p = pb.start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip())
                    .isEqualTo("tea");
            assertThat(p.exitValue()).isZero();
        }
        Res lease = call("GET", "/v1/leases/" + r.json().get("leaseId").asText(), null, auditor);
        assertThat(lease.json().get("state").asText()).isEqualTo("active");
        assertThat(lease.json().get("workload").asText()).isEqualTo("batch-job");
        assertThat(lease.json().toString()).doesNotContain(password);
    }

    @Test
    void a_workload_whose_policy_grants_the_role_gets_a_login_recorded_on_its_identity() throws Exception {
        String sa = k8s.rs256(k8s.claims("system:serviceaccount:payments:api", "warden", clock.instant()));
        Res r = call("POST", "/v1/creds/postgresql/readonly", null, sa);
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(201);
        assertThat(r.json().get("ttl").asLong()).isEqualTo(1800); // the policy's default
        Lease l = warden.leases().get(r.json().get("leaseId").asText()).orElseThrow();
        assertThat(l.workload()).isEqualTo("system:serviceaccount:payments:api");
        IdentityRecord id = warden.inventory().show(l.identityId(), null).orElseThrow();
        assertThat(id.credentials())
                .singleElement()
                .satisfies(c -> assertThat(c.externalId()).endsWith("/" + l.handle()));
        // Replaying the same subject token is refused.
        assertThat(call("POST", "/v1/creds/postgresql/readonly", null, sa).status())
                .isEqualTo(400);
        // A workload the policy does not cover is refused, as is a role it does not grant.
        String other = k8s.rs256(k8s.claims("system:serviceaccount:shop:web", "warden", clock.instant()));
        assertThat(call("POST", "/v1/creds/postgresql/readonly", null, other).status())
                .isEqualTo(403);
        String sa2 = k8s.rs256(k8s.claims("system:serviceaccount:payments:api", "warden", clock.instant()));
        assertThat(call("POST", "/v1/creds/postgresql/stuck", null, sa2).status())
                .isEqualTo(403);
        assertThat(call("POST", "/v1/creds/postgresql/readonly", null, "not-a-jwt")
                        .status())
                .isEqualTo(401);
    }

    @Test
    void bad_requests_are_clear_problems_and_create_nothing() throws Exception {
        assertThat(call("POST", "/v1/creds/postgresql/readonly", null, null).status())
                .isEqualTo(401);
        assertThat(call("POST", "/v1/creds/postgresql/readonly", null, auditor).status())
                .isEqualTo(403);
        Res unknown = call("POST", "/v1/creds/postgresql/superuser", null, admin);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        String injection = URLEncoder.encode("readonly\"; DROP TABLE orders; --", StandardCharsets.UTF_8)
                .replace("+", "%20");
        assertThat(call("POST", "/v1/creds/postgresql/" + injection, null, admin)
                        .status())
                .isEqualTo(404);
        Res tooLong = call("POST", "/v1/creds/postgresql/readonly", "{\"ttl\": \"25h\"}", admin);
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("detail").asText()).contains("above the max ttl");
        assertThat(call("POST", "/v1/creds/postgresql/readonly", "{\"ttl\": -5}", admin)
                        .status())
                .isEqualTo(400);
        assertThat(call("POST", "/v1/creds/postgresql/readonly", "{\"ttl\": \"soon\"}", admin)
                        .status())
                .isEqualTo(400);
        assertThat(call("POST", "/v1/creds/postgresql/readonly", "{\"password\": \"x\"}", admin)
                        .status())
                .isEqualTo(400);
        assertThat(call("GET", "/v1/leases?state=zombie", null, admin).status()).isEqualTo(400);
        assertThat(call("GET", "/v1/leases?cursor=abc", null, admin).status()).isEqualTo(400);
        assertThat(call("POST", "/v1/leases/not-a-uuid/revoke", null, admin).status())
                .isEqualTo(404);
        assertThat(target.managedRoles()).isEmpty();
        assertThat(target.roleExists("postgres")).isTrue();
        target.sql("SELECT 1 FROM orders");
    }

    @Test
    void an_unreachable_database_answers_503_and_the_lease_is_rolled_back() throws Exception {
        Res r = call("POST", "/v1/creds/postgresql/reporting", null, admin);
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asText())
                .contains("down-db")
                .contains("unreachable")
                .contains("rolled back")
                .doesNotContain("nobody@");
        Res leases = call("GET", "/v1/leases?kind=postgresql", null, admin);
        assertThat(leases.json().get("items"))
                .singleElement()
                .satisfies(l -> assertThat(l.get("state").asText()).isIn("revoking", "rolled_back"));
    }

    @Test
    void leases_are_listed_renewed_revoked_and_revoked_by_prefix_over_http() throws Exception {
        String a = call("POST", "/v1/creds/postgresql/readonly", "{\"workload\": \"team-a:api\", \"ttl\": 3600}", admin)
                .json()
                .get("leaseId")
                .asText();
        String b = call("POST", "/v1/creds/postgresql/readonly", "{\"workload\": \"team-a:batch\"}", admin)
                .json()
                .get("leaseId")
                .asText();
        String c = call("POST", "/v1/creds/postgresql/readonly", "{\"workload\": \"team-b:web\"}", admin)
                .json()
                .get("leaseId")
                .asText();
        Res page = call("GET", "/v1/leases?limit=2", null, auditor);
        assertThat(page.json().get("items")).hasSize(2);
        Res next = call(
                "GET",
                "/v1/leases?limit=2&cursor=" + page.json().get("nextCursor").asText(),
                null,
                auditor);
        assertThat(next.json().get("items"))
                .singleElement()
                .satisfies(l -> assertThat(l.get("id").asText()).isEqualTo(a));
        assertThat(call("GET", "/v1/leases?workload=team-a:*&state=active", null, auditor)
                        .json()
                        .get("items"))
                .hasSize(2);

        Res renewed = call("POST", "/v1/leases/" + a + "/renew", "{\"increment\": \"2h\"}", admin);
        assertThat(renewed.status()).isEqualTo(200);
        assertThat(renewed.json().get("renewals").asInt()).isEqualTo(1);
        Res past = call("POST", "/v1/leases/" + a + "/renew", "{\"increment\": \"48h\"}", admin);
        assertThat(past.status()).isEqualTo(409);
        assertThat(past.json().get("detail").asText()).contains("max ttl");
        assertThat(call("POST", "/v1/leases/" + a + "/renew", null, auditor).status())
                .isEqualTo(403);

        Res revoked = call("POST", "/v1/leases/" + c + "/revoke", null, admin);
        assertThat(revoked.json().get("state").asText()).isEqualTo("revoked");
        Res prefix = call("POST", "/v1/leases/revoke-prefix", "{\"workload\": \"team-a:*\"}", admin);
        assertThat(prefix.json().get("matched").asInt()).isEqualTo(2);
        assertThat(call("GET", "/v1/leases/" + b, null, auditor)
                        .json()
                        .get("state")
                        .asText())
                .isEqualTo("revoked");
        assertThat(target.managedRoles()).isEmpty();
        assertThat(call("POST", "/v1/leases/revoke-prefix", "{}", admin).status())
                .isEqualTo(400);
    }
}
