package dev.warden.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.auth.Role;
import dev.warden.discovery.Fixture;
import dev.warden.store.Dialect;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestStores;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code POST /v1/imports/{source}} over real HTTP: raw bodies, multipart uploads, and bad input. */
class ImportApiTest {
    @TempDir
    Path dir;

    private Warden warden;
    private ApiClient api;
    private String operator;
    private int port;

    private void start(Dialect dialect) {
        warden = Warden.open(
                new StoreLocation(dir, TestStores.fresh(dialect, dir)),
                new TestClock(Instant.parse("2026-11-22T12:00:00Z")));
        operator = warden.tokens().create(Role.OPERATOR, null, null, "test").token();
        port = warden.serve("127.0.0.1", 0).port();
        api = new ApiClient(port);
    }

    @AfterEach
    void stop() {
        if (warden != null) {
            warden.close();
        }
    }

    private ApiClient.Response multipart(String path, String token, String... resources) throws Exception {
        String boundary = "----warden" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String r : resources) {
            String name = r.substring(r.lastIndexOf('/') + 1);
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                            + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.write(Fixture.text(r).getBytes(StandardCharsets.UTF_8));
            body.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return new ApiClient.Response(
                r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_raw_body_and_a_multipart_upload_import_and_the_runs_are_listed(Dialect dialect) throws Exception {
        start(dialect);
        ApiClient.Response report = api.post(
                "/v1/imports/aws?environment=prod",
                operator,
                "text/csv",
                Fixture.text("discovery/aws/credential-report.csv"));
        assertThat(report.status()).as(report.body()).isEqualTo(201);
        assertThat(report.json().get("added").asInt()).isEqualTo(4);

        ApiClient.Response both = multipart(
                "/v1/imports/aws",
                operator,
                "discovery/aws/authorization-details.json",
                "discovery/aws/list-access-keys.json");
        assertThat(both.status()).as(both.body()).isEqualTo(201);
        JsonNode run = both.json();
        assertThat(run.get("added").asInt()).isEqualTo(4);
        assertThat(run.get("updated").asInt()).isEqualTo(3);
        assertThat(run.get("inputs").toString())
                .contains("authorization-details.json")
                .contains("list-access-keys.json");

        JsonNode runs = api.get("/v1/imports", operator).json().get("items");
        assertThat(runs).hasSize(2);
        assertThat(api.get("/v1/imports/runs/" + run.get("id").asText(), operator)
                        .json()
                        .get("source")
                        .asText())
                .isEqualTo("aws");
        JsonNode deployer = api.get(
                        "/v1/identities?externalId=arn:aws:iam::111122223333:user/automation/ci-deployer", operator)
                .json()
                .get("items")
                .get(0);
        JsonNode shown = api.get("/v1/identities/" + deployer.get("id").asText(), operator)
                .json();
        assertThat(shown.get("credentials")).hasSize(2);
        assertThat(shown.get("entitlements").size()).isGreaterThan(3);
        assertThat(api.get("/v1/identities?nature=human", operator).json().get("items"))
                .extracting(i -> i.get("name").asText())
                .contains("alice.smith", "root");
        assertThat(api.get("/v1/identities", operator).json().get("items"))
                .extracting(i -> i.get("name").asText())
                .doesNotContain("alice.smith");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void bad_imports_are_problems_and_write_only_a_failed_run(Dialect dialect) throws Exception {
        start(dialect);
        ApiClient.Response truncated =
                api.post("/v1/imports/aws", operator, "application/json", "{\"UserDetailList\": [{\"UserName\"");
        assertThat(truncated.status()).isEqualTo(400);
        assertThat(truncated.contentType()).startsWith("application/problem+json");
        assertThat(truncated.json().get("detail").asText()).startsWith("request-body.json: malformed JSON");
        assertThat(api.post("/v1/imports/aws", operator, "application/json", "").status())
                .isEqualTo(400);
        assertThat(api.post("/v1/imports/nosuch", operator, "application/json", "{}")
                        .status())
                .isEqualTo(404);
        assertThat(api.post("/v1/imports/aws?cluster=a%20b", operator, "application/json", "{}")
                        .json()
                        .get("detail")
                        .asText())
                .contains("cluster");
        assertThat(api.post("/v1/imports/aws?x=1", operator, "application/json", "{}")
                        .status())
                .isEqualTo(400);
        String auditor =
                warden.tokens().create(Role.AUDITOR, null, null, "test").token();
        assertThat(api.post("/v1/imports/aws", auditor, "text/csv", Fixture.text("discovery/aws/credential-report.csv"))
                        .status())
                .isEqualTo(403);
        assertThat(warden.inventory().count()).isZero();
        JsonNode runs = api.get("/v1/imports", operator).json().get("items");
        assertThat(runs)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.get("status").asText()).isEqualTo("failed"));
        assertThat(api.get("/v1/imports/runs/nope", operator).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_person_classifies_an_identity_through_the_api(Dialect dialect) {
        start(dialect);
        api.post(
                "/v1/imports/aws",
                operator,
                "application/json",
                Fixture.text("discovery/aws/authorization-details.json"));
        String id = api.get("/v1/identities?q=ci-deployer", operator)
                .json()
                .get("items")
                .get(0)
                .get("id")
                .asText();
        ApiClient.Response r = api.post(
                "/v1/identities/" + id + "/classification",
                operator,
                "application/json",
                "{\"nature\":\"human\",\"reason\":\"used by the release manager\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("nature").asText()).isEqualTo("human");
        assertThat(api.post(
                                "/v1/identities/" + id + "/classification",
                                operator,
                                "application/json",
                                "{\"nature\":\"human\"}")
                        .status())
                .isEqualTo(400);
        assertThat(api.post(
                                "/v1/identities/" + id + "/classification",
                                operator,
                                "application/json",
                                "{\"nature\":\"robot\",\"reason\":\"x\"}")
                        .status())
                .isEqualTo(400);
        String auditor =
                warden.tokens().create(Role.AUDITOR, null, null, "test").token();
        assertThat(api.post(
                                "/v1/identities/" + id + "/classification",
                                auditor,
                                "application/json",
                                "{\"nature\":null}")
                        .status())
                .isEqualTo(403);
        assertThat(api.get(
                                "/v1/audit",
                                warden.tokens()
                                        .create(Role.ADMIN, null, null, "t")
                                        .token())
                        .body())
                .contains("identity.classify");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_bad_record_is_skipped_and_reported_and_strict_true_refuses_the_body(Dialect dialect) throws Exception {
        start(dialect);
        String body = Fixture.text("discovery/aws-variants/one-bad-record.json");
        ApiClient.Response strict = api.post("/v1/imports/aws?strict=true", operator, "application/json", body);
        assertThat(strict.status()).as(strict.body()).isEqualTo(400);
        assertThat(strict.body()).contains("/UserDetailList/1");

        ApiClient.Response lenient = api.post("/v1/imports/aws", operator, "application/json", body);
        assertThat(lenient.status()).as(lenient.body()).isEqualTo(201);
        assertThat(lenient.json().get("skipped").asInt()).isEqualTo(1);
        String id = lenient.json().get("id").asText();
        ApiClient.Response run = api.get("/v1/imports/runs/" + id, operator);
        assertThat(run.json().get("skips").get(0).get("pointer").asText()).isEqualTo("/UserDetailList/1");
    }
}
