package dev.warden.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.auth.Role;
import dev.warden.discovery.Fixture;
import dev.warden.store.Dialect;
import dev.warden.testing.Fixtures;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code POST /v1/usage/{format}} and {@code GET /v1/usage/ingests} over real HTTP on loopback. */
class UsageApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DELIVERED = "usage/cloudtrail/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/05/30/"
            + "111122223333_CloudTrail_eu-west-1_20260530T0915Z_k3Xy9Qw2Rt7UvB1n.json.gz";

    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Warden warden;
    private String base;
    private String admin;

    private record Response(int status, String contentType, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    private void start(Dialect dialect) {
        warden = Warden.open(new StoreLocation(dir, TestStores.fresh(dialect, dir)), new TestClock(Fixtures.T0));
        admin = warden.tokens().create(Role.ADMIN, null, "test admin", "test").token();
        base = "http://127.0.0.1:" + warden.serve("127.0.0.1", 0).port();
    }

    @AfterEach
    void stop() {
        if (warden != null) {
            warden.close();
        }
    }

    private Response post(String path, String token, String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b);
    }

    private Response get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .GET());
    }

    private Response send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(
                    r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] fixture(String name) {
        try {
            return Files.readAllBytes(Fixture.path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertProblem(Response r, int status, String detail) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asText()).contains(detail);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.warden");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_cloudtrail_file_posted_as_json_or_gzip_is_ingested_and_listed(Dialect dialect) {
        start(dialect);
        Response plain =
                post("/v1/usage/cloudtrail", admin, "application/json", fixture("usage/cloudtrail/api-calls.json"));
        assertThat(plain.status()).as(plain.body()).isEqualTo(201);
        assertThat(plain.json().get("events").asLong()).isEqualTo(10);
        assertThat(plain.json().get("status").asText()).isEqualTo("succeeded");

        Response gz = post("/v1/usage/cloudtrail", admin, "application/gzip", fixture(DELIVERED));
        assertThat(gz.status()).as(gz.body()).isEqualTo(201);
        assertThat(gz.json().get("events").asLong()).isEqualTo(3);

        JsonNode items = get("/v1/usage/ingests?limit=5", admin).json().get("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("id").asText())
                .isEqualTo(gz.json().get("id").asText());
        assertThat(warden.ingester()
                        .store()
                        .summary(
                                "aws",
                                "111122223333",
                                "arn:aws:iam::111122223333:user/automation/ci-deployer",
                                Fixtures.T0)
                        .orElseThrow()
                        .events())
                .isEqualTo(5);
    }

    @Test
    void a_kubernetes_audit_log_needs_its_cluster_in_the_query() {
        start(Dialect.SQLITE);
        byte[] log = fixture("usage/k8s-audit/audit.log");
        Response ok = post("/v1/usage/k8s-audit?cluster=prod-eu-1", admin, "application/x-ndjson", log);
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        assertThat(ok.json().get("events").asLong()).isEqualTo(8);

        assertProblem(post("/v1/usage/k8s-audit", admin, "application/x-ndjson", log), 400, "?cluster=");
        assertProblem(
                post("/v1/usage/k8s-audit?cluster=prod%20eu", admin, "application/x-ndjson", log),
                400,
                "cluster must be");
        assertProblem(
                post("/v1/usage/k8s-audit?cluster=prod-eu-1&region=x", admin, "application/x-ndjson", log),
                400,
                "region");
    }

    @Test
    void bad_input_is_reported_not_thrown() {
        start(Dialect.SQLITE);
        Response skipped = post(
                "/v1/usage/cloudtrail", admin, "application/json", fixture("usage/cloudtrail/malformed-records.json"));
        assertThat(skipped.status()).isEqualTo(201);
        assertThat(skipped.json().get("skipped").asLong()).isEqualTo(11);
        assertThat(skipped.json().get("problems").get(0).asText())
                .isEqualTo("request-body.json Records[0]: missing eventTime");

        Response refused = post(
                "/v1/usage/cloudtrail",
                admin,
                "application/json",
                "{\"Records\":[{\"eventTime\"".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(refused.status()).isEqualTo(201);
        assertThat(refused.json().get("status").asText()).isEqualTo("failed");
        assertThat(List.of(refused.json().get("problems").get(0).asText()))
                .singleElement()
                .asString()
                .startsWith("request-body.json: byte ");

        assertProblem(post("/v1/usage/syslog", admin, "text/plain", new byte[] {1}), 404, "unknown log format");
        assertProblem(post("/v1/usage/cloudtrail", admin, "application/json", new byte[0]), 400, "empty");
        String auditor =
                warden.tokens().create(Role.AUDITOR, null, null, "test").token();
        assertThat(post("/v1/usage/cloudtrail", auditor, "application/json", fixture("usage/cloudtrail/api-calls.json"))
                        .status())
                .isEqualTo(403);
    }
}
