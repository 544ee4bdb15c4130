package dev.warden.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.auth.Role;
import dev.warden.inventory.IdentityRecord;
import dev.warden.posture.Build;
import dev.warden.store.Dialect;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestStores;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code /v1/findings} and the findings on {@code /v1/identities/{id}}, over real HTTP. */
class FindingsApiTest {
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    @TempDir
    Path dir;

    private Warden warden;
    private ApiClient api;
    private String admin;
    private String operator;
    private String auditor;

    private void start(Dialect dialect) {
        warden = Warden.open(new StoreLocation(dir, TestStores.fresh(dialect, dir)), new TestClock(NOW));
        List<IdentityRecord> records = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            records.add(Build.awsRole("r" + i)
                    .owners(i % 3 == 0 ? null : "team-" + (i % 2), null)
                    .env(i % 2 == 0 ? "prod" : "dev")
                    .build());
        }
        records.add(Build.awsRole("admin")
                .owners("team-1", null)
                .env("prod")
                .allow("*", "*", "inline")
                .build());
        warden.inventory().load(records, "test", "inventory.load", Map.of());
        admin = warden.tokens().create(Role.ADMIN, null, "admin", "test").token();
        operator = warden.tokens().create(Role.OPERATOR, null, "op", "test").token();
        auditor = warden.tokens().create(Role.AUDITOR, null, "aud", "test").token();
        api = new ApiClient(warden.serve("127.0.0.1", 0).port());
    }

    @AfterEach
    void stop() {
        if (warden != null) {
            warden.close();
        }
    }

    private static void assertProblem(ApiClient.Response r, int status, String fragment) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asText()).containsIgnoringCase(fragment);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.warden");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private JsonNode evaluate(String token) {
        ApiClient.Response r = api.post("/v1/findings/evaluate", token, null, "");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void evaluate_then_list_filter_page_and_show(Dialect dialect) {
        start(dialect);
        assertThat(api.get("/v1/findings", auditor).json().get("items")).isEmpty();
        JsonNode e = evaluate(operator);
        assertThat(e.get("persisted").asBoolean()).isTrue();
        assertThat(e.get("evaluated").asLong()).isEqualTo(13);
        long open = e.get("open").asLong();
        assertThat(open).isPositive();

        Set<String> ids = new HashSet<>();
        String cursor = null;
        int lastRank = 5;
        do {
            JsonNode page = api.get("/v1/findings?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), auditor)
                    .json();
            for (JsonNode f : page.get("items")) {
                assertThat(ids.add(f.get("id").asText())).isTrue();
                int rank = List.of("info", "low", "medium", "high", "critical")
                        .indexOf(f.get("severity").asText());
                assertThat(rank).isLessThanOrEqualTo(lastRank);
                lastRank = rank;
            }
            cursor = page.get("nextCursor").isNull()
                    ? null
                    : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(ids).hasSize((int) open);

        JsonNode critical =
                api.get("/v1/findings?risk=nhi5&severity=critical", auditor).json();
        assertThat(critical.get("items")).singleElement().satisfies(f -> {
            assertThat(f.get("checkId").asText()).isEqualTo("nhi5-admin");
            assertThat(f.get("risk").asText()).isEqualTo("NHI5");
            assertThat(f.get("nist").get(0).asText()).isEqualTo("PR.AA-05");
            assertThat(f.get("identity").get("name").asText()).isEqualTo("admin");
            assertThat(f.get("evidence").get("grantedVia").get(0).asText()).isEqualTo("inline");
            assertThat(f.get("remediation").asText()).isNotBlank();
            assertThat(f.get("firstSeen").asText()).isEqualTo("2026-11-22T12:00:00Z");
        });
        String identityId =
                critical.get("items").get(0).get("identity").get("id").asText();
        assertThat(api.get("/v1/findings?identity=" + identityId, auditor)
                        .json()
                        .get("items"))
                .allSatisfy(
                        f -> assertThat(f.get("identity").get("id").asText()).isEqualTo(identityId));
        assertThat(api.get("/v1/findings?status=resolved", auditor).json().get("items"))
                .isEmpty();

        String id = critical.get("items").get(0).get("id").asText();
        assertThat(api.get("/v1/findings/" + id, auditor).json().get("id").asText())
                .isEqualTo(id);
        assertProblem(api.get("/v1/findings/" + identityId + "-0123456789abcdef", auditor), 404, "no finding");
        assertProblem(api.get("/v1/findings/" + enc("' OR 1=1 --"), auditor), 404, "no finding");

        JsonNode shown = api.get("/v1/identities/" + identityId, auditor).json();
        assertThat(shown.get("identity").get("id").asText()).isEqualTo(identityId);
        assertThat(shown.has("credentials") && shown.has("entitlements") && shown.has("trusts"))
                .isTrue();
        assertThat(shown.get("findings"))
                .isNotEmpty()
                .anySatisfy(f -> assertThat(f.get("id").asText()).isEqualTo(id));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void as_of_evaluates_without_writing(Dialect dialect) {
        start(dialect);
        evaluate(admin);
        int evaluations = warden.posture().evaluations(100).size();
        JsonNode a = api.get("/v1/findings?asOf=2026-11-20", auditor).json();
        JsonNode b =
                api.get("/v1/findings?asOf=2026-11-20T23:59:59.999Z", auditor).json();
        assertThat(a).isEqualTo(b);
        assertThat(a.get("items"))
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f.get("lastSeen").asText()).isEqualTo("2026-11-20T23:59:59.999Z"));
        assertThat(api.get("/v1/findings?asOf=2026-11-20&limit=1", auditor)
                        .json()
                        .get("nextCursor")
                        .isNull())
                .isFalse();
        assertThat(warden.posture().evaluations(100)).hasSize(evaluations);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void accept_records_an_exception_under_the_rules(Dialect dialect) {
        start(dialect);
        evaluate(admin);
        String id = api.get("/v1/findings?risk=NHI1", auditor)
                .json()
                .get("items")
                .get(0)
                .get("id")
                .asText();
        String path = "/v1/findings/" + id + "/accept";
        assertProblem(
                api.post(path, auditor, "application/json", "{\"reason\":\"r\",\"until\":\"2026-12-01\"}"),
                403,
                "may not");
        assertProblem(
                api.post(path, operator, "application/json", "{\"until\":\"2026-12-01\"}"), 400, "reason is required");
        assertProblem(api.post(path, operator, "application/json", "{\"reason\":\"r\"}"), 400, "expiry is required");
        assertProblem(
                api.post(path, operator, "application/json", "{\"reason\":\"r\",\"until\":\"2027-12-01\"}"),
                400,
                "more than 180 days");
        assertProblem(
                api.post(path, operator, "application/json", "{\"reason\":\"r\",\"until\":\"2020-01-01\"}"),
                400,
                "in the past");
        assertProblem(
                api.post(path, operator, "application/json", "{\"reason\":\"r\",\"until\":\"soon\"}"),
                400,
                "not an ISO-8601");
        assertProblem(
                api.post(
                        path, operator, "application/json", "{\"reason\":\"r\",\"until\":\"2026-12-01\",\"by\":\"x\"}"),
                400,
                "unknown field");
        assertProblem(api.post(path, operator, "application/json", "{\"reason\":"), 400, "malformed JSON");
        assertProblem(api.post(path, operator, "text/plain", "reason"), 415, "application/json");
        assertProblem(
                api.post(
                        "/v1/findings/nope/accept",
                        operator,
                        "application/json",
                        "{\"reason\":\"r\",\"until\":\"2026-12-01\"}"),
                404,
                "no finding");
        assertProblem(
                api.post(
                        "/v1/findings/01234567-89ab-7def-8123-456789abcdef-0123456789abcdef/accept",
                        operator,
                        "application/json",
                        "{\"reason\":\"r\",\"until\":\"2026-12-01\"}"),
                404,
                "no finding");
        assertThat(warden.audit().list(0, 1000)).noneMatch(a -> a.action().equals("finding.accept"));

        ApiClient.Response ok = api.post(
                path, operator, "application/json", "{\"reason\":\"vendor, reviewed\",\"until\":\"2026-12-31\"}");
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().get("status").asText()).isEqualTo("accepted");
        assertThat(ok.json().get("acceptance").get("approvedBy").asText()).startsWith("token:");
        assertThat(ok.json().get("acceptance").get("until").asText()).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(api.get("/v1/findings?status=accepted", auditor).json().get("items"))
                .hasSize(1);
        assertThat(evaluate(admin).get("accepted").asLong()).isEqualTo(1);
    }

    @Test
    void bad_query_parameters_are_400s_and_roles_apply() {
        start(Dialect.SQLITE);
        assertProblem(api.get("/v1/findings?risk=NHI11", auditor), 400, "unknown risk");
        assertProblem(api.get("/v1/findings?severity=urgent", auditor), 400, "unknown severity");
        assertProblem(api.get("/v1/findings?status=closed", auditor), 400, "unknown status");
        assertProblem(
                api.get("/v1/findings?identity=" + enc("'; DROP TABLE findings;--"), auditor), 400, "identity must be");
        assertProblem(api.get("/v1/findings?asOf=yesterday", auditor), 400, "not an ISO-8601");
        assertProblem(api.get("/v1/findings?asOf=1999-12-31", auditor), 400, "before 2000");
        assertProblem(api.get("/v1/findings?asOf=2030-01-01", auditor), 400, "in the future");
        assertProblem(api.get("/v1/findings?asOf=" + "9".repeat(100), auditor), 400, "asOf");
        assertProblem(api.get("/v1/findings?cursor=garbage", auditor), 400, "invalid cursor");
        assertProblem(api.get("/v1/findings?limit=0", auditor), 400, "limit");
        assertProblem(api.get("/v1/findings?sort=asc", auditor), 400, "unknown query parameter");
        assertProblem(api.post("/v1/findings/evaluate", auditor, null, ""), 403, "may not");
        String team =
                warden.tokens().create(Role.OPERATOR, "team-1", null, "test").token();
        assertProblem(api.post("/v1/findings/evaluate", team, null, ""), 403, "team token");
        assertThat(warden.posture().evaluations(10)).isEmpty();

        evaluate(admin);
        JsonNode mine = api.get("/v1/findings", team).json();
        assertThat(mine.get("items")).isNotEmpty().allSatisfy(f -> {
            String owner = warden.inventory()
                    .show(f.get("identity").get("id").asText(), null)
                    .orElseThrow()
                    .identity()
                    .businessOwner();
            assertThat(owner).isEqualTo("team-1");
        });
        String other = api.get("/v1/findings?risk=NHI1", admin)
                .json()
                .get("items")
                .get(0)
                .get("id")
                .asText();
        assertProblem(api.get("/v1/findings/" + other, team), 404, "no finding");
    }
}
