package dev.warden.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.auth.Role;
import dev.warden.inventory.IdentityRecord;
import dev.warden.store.Dialect;
import dev.warden.testing.Fixtures;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestStores;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The REST API over real HTTP on loopback, on SQLite and on PostgreSQL. */
class ApiTest {
    @TempDir
    Path dir;

    private Warden warden;
    private ApiClient api;
    private String admin;

    private void start(Dialect dialect) {
        warden = Warden.open(new StoreLocation(dir, TestStores.fresh(dialect, dir)), new TestClock(Fixtures.T0));
        List<IdentityRecord> records = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            records.add(
                    Fixtures.awsUser("svc-" + i, i % 5 == 0 ? null : "team-" + (i % 2), i % 2 == 0 ? "prod" : "dev"));
        }
        records.add(Fixtures.serviceAccount("prod-1", "web", "api", "team-web"));
        warden.inventory().load(records, "test", "inventory.load", Map.of());
        admin = warden.tokens().create(Role.ADMIN, null, "test admin", "test").token();
        api = new ApiClient(warden.serve("127.0.0.1", 0).port());
    }

    @AfterEach
    void stop() {
        if (warden != null) {
            warden.close();
        }
    }

    private String token(Role role, String team) {
        return warden.tokens().create(role, team, null, "test").token();
    }

    private static void assertProblem(ApiClient.Response r, int status, String detailFragment) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("title").asText()).isEqualTo(Problem.title(status));
        assertThat(p.get("detail").asText()).containsIgnoringCase(detailFragment);
        assertThat(r.body())
                .doesNotContain("Exception")
                .doesNotContain("at dev.warden")
                .doesNotContain("at io.javalin");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void lists_filters_and_pages_identities(Dialect dialect) {
        start(dialect);
        ApiClient.Response all = api.get("/v1/identities", admin);
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.contentType()).startsWith("application/json");
        assertThat(all.json().get("items")).hasSize(26);
        assertThat(all.json().get("nextCursor").isNull()).isTrue();

        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            JsonNode page = api.get("/v1/identities?limit=4" + (cursor == null ? "" : "&cursor=" + cursor), admin)
                    .json();
            page.get("items")
                    .forEach(i -> assertThat(ids.add(i.get("id").asText())).isTrue());
            cursor = page.get("nextCursor").isNull()
                    ? null
                    : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(ids).hasSize(26);

        JsonNode prodTeam1 = api.get(
                        "/v1/identities?kind=cloud_user&environment=dev&owner=team-1&source=aws:111122223333", admin)
                .json();
        assertThat(prodTeam1.get("items")).isNotEmpty().allSatisfy(i -> {
            assertThat(i.get("environment").asText()).isEqualTo("dev");
            assertThat(i.get("businessOwner").asText()).isEqualTo("team-1");
        });
        assertThat(api.get("/v1/identities?owned=false", admin).json().get("items"))
                .hasSize(5);
        JsonNode sa = api.get("/v1/identities?externalId=" + enc("system:serviceaccount:web:api"), admin)
                .json();
        assertThat(sa.get("items"))
                .singleElement()
                .satisfies(
                        i -> assertThat(i.get("source").get("scope").asText()).isEqualTo("prod-1"));
        assertThat(api.get("/v1/identities?q=SVC-1", admin).json().get("items")).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void shows_one_identity_with_credentials_and_entitlements(Dialect dialect) {
        start(dialect);
        String id = api.get("/v1/identities?q=svc-3&limit=1", admin)
                .json()
                .get("items")
                .get(0)
                .get("id")
                .asText();
        ApiClient.Response r = api.get("/v1/identities/" + id, admin);
        assertThat(r.status()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("identity").get("id").asText()).isEqualTo(id);
        assertThat(body.get("identity").get("externalId").asText()).startsWith("arn:aws:iam::111122223333:user/svc-3");
        assertThat(body.get("credentials")).singleElement().satisfies(c -> {
            assertThat(c.get("kind").asText()).isEqualTo("access_key");
            assertThat(c.get("createdAt").asText()).endsWith("Z");
        });
        assertThat(body.get("entitlements")).hasSize(2);

        assertProblem(api.get("/v1/identities/01234567-89ab-7def-8123-456789abcdef", admin), 404, "no identity");
        assertProblem(api.get("/v1/identities/not-a-uuid", admin), 404, "no identity");
        assertProblem(api.get("/v1/identities/" + enc("' OR 1=1 --"), admin), 404, "no identity");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void stats_count_the_inventory_and_accept_filters(Dialect dialect) {
        start(dialect);
        JsonNode s = api.get("/v1/stats", admin).json();
        assertThat(s.get("total").asLong()).isEqualTo(26);
        assertThat(s.get("byKind").get("cloud_user").asLong()).isEqualTo(25);
        assertThat(s.get("byKind").get("kubernetes_service_account").asLong()).isEqualTo(1);
        assertThat(s.get("bySource").get("aws").asLong()).isEqualTo(25);
        assertThat(s.get("owner").get("present").asLong()).isEqualTo(21);
        assertThat(s.get("owner").get("absent").asLong()).isEqualTo(5);
        assertThat(api.get("/v1/stats?environment=dev", admin)
                        .json()
                        .get("total")
                        .asLong())
                .isEqualTo(12);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void malformed_query_parameters_are_problem_400s(Dialect dialect) {
        start(dialect);
        for (String limit : List.of("-1", "0", "1001", "abc", "1e3", "99999999999999999999")) {
            assertProblem(api.get("/v1/identities?limit=" + limit, admin), 400, "limit");
        }
        assertProblem(api.get("/v1/identities?cursor=garbage", admin), 400, "invalid cursor");
        assertProblem(api.get("/v1/identities?cursor=" + enc("' OR 1=1 --"), admin), 400, "invalid cursor");
        assertProblem(api.get("/v1/identities?kind=robot", admin), 400, "unknown identity kind");
        assertProblem(api.get("/v1/identities?status=zombie", admin), 400, "unknown identity status");
        assertProblem(api.get("/v1/identities?owned=maybe", admin), 400, "owned");
        assertProblem(api.get("/v1/identities?knd=cloud_user", admin), 400, "unknown query parameter 'knd'");
        assertProblem(api.get("/v1/identities?kind=cloud_user&kind=api_key", admin), 400, "more than once");
        assertProblem(api.get("/v1/identities?q=" + "x".repeat(300), admin), 400, "longer than");
        assertProblem(api.get("/v1/identities?q=%00abc", admin), 400, "control character");
        assertProblem(api.get("/v1/stats?limit=5", admin), 400, "unknown query parameter");

        for (String hostile : List.of("' OR '1'='1", "\"; DROP TABLE identities; --", "%", "_", "!")) {
            ApiClient.Response r = api.get("/v1/identities?q=" + enc(hostile) + "&owner=" + enc(hostile), admin);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("items")).isEmpty();
        }
        assertThat(api.get("/v1/stats", admin).json().get("total").asLong()).isEqualTo(26);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void every_route_but_health_and_metrics_needs_a_valid_token(Dialect dialect) {
        start(dialect);
        HttpServer server = warden.httpServer();
        String revoked = token(Role.ADMIN, null);
        String revokedId =
                warden.tokens().list().get(warden.tokens().list().size() - 1).id();
        assertThat(warden.tokens().revoke(revokedId, "test")).isTrue();
        for (Route route : server.routes()) {
            String path = route.path().replaceAll("\\{[a-z]+}", "01234567-89ab-7def-8123-456789abcdef");
            String method = route.method().name();
            if (route.ownAuth()) {
                continue; // authenticates its callers itself (OAuth introspection/revocation): see the broker's tests
            }
            if (route.permission() == null) {
                int status = api.raw(method, path, null).status();
                if (path.startsWith("/oauth2/")
                        || path.startsWith("/.well-known/")
                        || path.startsWith("/v1/svid/")
                        || path.equals("/v1/bundle")) {
                    // The broker is off in this server: public, but nothing to serve.
                    assertThat(status).as(path).isNotIn(401, 403);
                } else {
                    assertThat(status).as(path).isEqualTo(200);
                }
                continue;
            }
            for (String auth : new String[] {
                null,
                "Bearer",
                "Basic YWRtaW46YWRtaW4=",
                "Bearer wdn_short",
                "Bearer " + admin + "x",
                "Bearer " + admin.substring(0, admin.length() - 1) + (admin.endsWith("A") ? "B" : "A"),
                "Bearer " + revoked
            }) {
                ApiClient.Response r = api.raw(method, path, auth);
                assertThat(r.status()).as(method + " " + path + " with " + auth).isEqualTo(401);
                assertThat(r.contentType()).startsWith("application/problem+json");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void roles_limit_what_a_token_may_do(Dialect dialect) {
        start(dialect);
        String operator = token(Role.OPERATOR, null);
        String auditor = token(Role.AUDITOR, null);
        assertThat(api.get("/v1/identities", operator).status()).isEqualTo(200);
        assertThat(api.get("/v1/identities", auditor).status()).isEqualTo(200);
        assertProblem(api.get("/v1/audit", operator), 403, "role 'operator' may not read audit");
        assertThat(api.get("/v1/audit", auditor).status()).isEqualTo(200);
        assertProblem(api.get("/v1/tokens", operator), 403, "manage tokens");
        assertProblem(
                api.post("/v1/tokens", auditor, "application/json", "{\"role\":\"admin\"}"), 403, "manage tokens");
        assertProblem(api.delete("/v1/tokens/01234567-89ab-7def-8123-456789abcdef", auditor), 403, "manage tokens");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_team_token_sees_only_its_team(Dialect dialect) {
        start(dialect);
        String team1 = token(Role.AUDITOR, "team-1");
        JsonNode items = api.get("/v1/identities", team1).json().get("items");
        assertThat(items)
                .isNotEmpty()
                .allSatisfy(i -> assertThat(i.get("businessOwner").asText()).isEqualTo("team-1"));
        assertThat(api.get("/v1/stats", team1).json().get("total").asLong()).isEqualTo(items.size());
        String other = api.get("/v1/identities?owner=team-0&limit=1", admin)
                .json()
                .get("items")
                .get(0)
                .get("id")
                .asText();
        assertProblem(api.get("/v1/identities/" + other, team1), 404, "no identity");
        assertThat(api.get("/v1/identities?owner=team-0", team1).json().get("items"))
                .isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void tokens_are_created_used_and_revoked_through_the_api(Dialect dialect) {
        start(dialect);
        ApiClient.Response created = api.post(
                "/v1/tokens",
                admin,
                "application/json",
                "{\"role\":\"auditor\",\"team\":\"team-1\",\"description\":\"ci reader\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String token = created.json().get("token").asText();
        assertThat(token).matches("wdn_[0-9A-Za-z]{49}");
        String id = created.json().get("meta").get("id").asText();
        assertThat(api.get("/v1/stats", token).status()).isEqualTo(200);

        ApiClient.Response listed = api.get("/v1/tokens", admin);
        assertThat(listed.body()).contains(id).doesNotContain(token).doesNotContain("token_hash");

        assertThat(api.delete("/v1/tokens/" + id, admin).status()).isEqualTo(204);
        assertProblem(api.get("/v1/stats", token), 401, "invalid, revoked or expired");
        assertProblem(api.delete("/v1/tokens/" + id, admin), 404, "no active token");

        JsonNode audit = api.get("/v1/audit?limit=1000", admin).json().get("items");
        List<String> actions = new ArrayList<>();
        audit.forEach(e -> actions.add(e.get("action").asText()));
        assertThat(actions).contains("inventory.load", "token.create", "token.revoke");
        assertThat(audit.toString()).doesNotContain(token);
        assertThat(api.get("/v1/audit/verify", admin).json().get("intact").asBoolean())
                .isTrue();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void malformed_and_oversized_bodies_are_rejected_and_nothing_is_written(Dialect dialect) {
        start(dialect);
        int before = warden.tokens().list().size();
        assertProblem(
                api.post("/v1/tokens", admin, "application/json", "{\"role\":"), 400, "malformed JSON body at line 1");
        assertProblem(api.post("/v1/tokens", admin, "application/json", "[1,2]"), 400, "");
        assertProblem(
                api.post("/v1/tokens", admin, "application/json", "{\"role\":\"admin\",\"isAdmin\":true}"),
                400,
                "unknown field 'isAdmin'");
        assertProblem(api.post("/v1/tokens", admin, "application/json", "{\"team\":\"x\"}"), 400, "role is required");
        assertProblem(api.post("/v1/tokens", admin, "application/json", "{\"role\":\"root\"}"), 400, "unknown role");
        assertProblem(
                api.post("/v1/tokens", admin, "application/json", "{\"role\":\"admin\",\"team\":\"a b; DROP\"}"),
                400,
                "team must be");
        assertProblem(api.post("/v1/tokens", admin, "application/json", ""), 400, "");
        assertProblem(api.post("/v1/tokens", admin, "text/plain", "{\"role\":\"admin\"}"), 415, "application/json");
        assertProblem(api.post("/v1/tokens", admin, null, "{\"role\":\"admin\"}"), 415, "application/json");
        String huge = "{\"role\":\"admin\",\"description\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        ApiClient.Response tooBig = api.post("/v1/tokens", admin, "application/json", huge);
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.contentType()).startsWith("application/problem+json");
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertThat(api.post("/v1/tokens", admin, "application/json", deep).status())
                .isEqualTo(400);
        assertThat(warden.tokens().list()).hasSize(before);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void unknown_routes_and_methods_are_problems(Dialect dialect) {
        start(dialect);
        assertProblem(api.get("/v1/nope", admin), 404, "not found");
        ApiClient.Response wrongMethod = api.raw("PUT", "/v1/identities", "Bearer " + admin);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.contentType()).startsWith("application/problem+json");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void health_readiness_metrics_and_openapi_are_public(Dialect dialect) {
        start(dialect);
        assertThat(api.get("/healthz", null).json().get("status").asText()).isEqualTo("ok");
        assertThat(api.get("/readyz", null).json().get("status").asText()).isEqualTo("ready");
        api.get("/v1/stats", admin);
        ApiClient.Response metrics = api.get("/metrics", null);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("jvm_memory_used_bytes")
                .contains("warden_http_requests_seconds_count{method=\"GET\",route=\"/v1/stats\",status=\"200\"}");
        assertThat(api.get("/openapi.json", null).json().get("openapi").asText())
                .isEqualTo("3.1.0");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_lost_store_makes_readiness_and_requests_fail_cleanly(Dialect dialect) {
        start(dialect);
        warden.db().close();
        assertProblem(api.get("/readyz", null), 503, "not reachable");
        ApiClient.Response r = api.get("/v1/stats", admin);
        assertThat(r.status()).isGreaterThanOrEqualTo(500);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at com.zaxxer");
        assertThat(api.get("/healthz", null).status()).isEqualTo(200);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
