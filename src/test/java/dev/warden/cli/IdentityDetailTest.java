package dev.warden.cli;

import static dev.warden.cli.Cli.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.auth.Role;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code warden identities show --format json} and {@code GET /v1/identities/{id}} are one view: on
 * the same SQLite store (the demo estate, evaluated, with its recorded scan) both return the same
 * fields with the same values, a real server on a free loopback port answering the API.
 */
class IdentityDetailTest {
    private static final List<String> FIELDS =
            List.of("identity", "credentials", "entitlements", "trusts", "leaks", "findings");

    @TempDir
    static Path dir;

    private static Cli.Store store;
    private static Warden server;
    private static String base;
    private static String token;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void serve_the_demo_estate_with_its_findings() {
        Path data = dir.resolve("data");
        store = Cli.Store.dataDir(data);
        assertOk(store.run("demo", "--no-serve"));
        assertOk(store.run("findings", "--format", "json"));
        server = Warden.open(StoreLocation.resolve(data.toString(), null), Clock.systemUTC());
        token = server.tokens().create(Role.AUDITOR, null, "test", "test").token();
        base = "http://127.0.0.1:" + server.serve("127.0.0.1", 0).port();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void show_json_and_the_api_return_the_same_fields_and_values() throws Exception {
        JsonNode all = assertOk(store.run("identities", "list", "--limit", "1000000", "--format", "json"))
                .json();
        List<JsonNode> details = new ArrayList<>();
        for (JsonNode identity : all) {
            details.add(api(identity.get("id").asText()));
        }
        // one of each: leaked, with trusts, with findings, with none of these
        List<JsonNode> chosen = new ArrayList<>();
        chosen.add(first(details, d -> !d.get("leaks").isEmpty()));
        chosen.add(first(details, d -> !d.get("trusts").isEmpty()));
        chosen.add(first(details, d -> !d.get("findings").isEmpty()));
        chosen.add(first(
                details, d -> d.get("leaks").isEmpty() && d.get("findings").isEmpty()));

        for (JsonNode fromApi : chosen) {
            String id = fromApi.get("identity").get("id").asText();
            JsonNode fromCli = assertOk(store.run("identities", "show", id, "--format", "json"))
                    .json();

            List<String> fields = new ArrayList<>();
            fromApi.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactlyElementsOf(FIELDS);
            assertThat(fromCli).as("identity %s", id).isEqualTo(fromApi);
        }
    }

    @Test
    void show_by_external_id_is_the_same_view_as_the_api_by_id() throws Exception {
        JsonNode identity = assertOk(store.run("identities", "list", "--kind", "cloud_user", "--format", "json"))
                .json()
                .get(0);

        JsonNode fromCli = assertOk(store.run(
                        "identities", "show", identity.get("externalId").asText(), "--format", "json"))
                .json();

        assertThat(fromCli).isEqualTo(api(identity.get("id").asText()));
    }

    private static JsonNode first(List<JsonNode> details, Predicate<JsonNode> test) {
        return details.stream().filter(test).findFirst().orElseThrow(() -> new AssertionError("no such identity"));
    }

    private static JsonNode api(String id) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/identities/" + id))
                        .header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Cli.json(r.body());
    }
}
