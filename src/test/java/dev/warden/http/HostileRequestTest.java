package dev.warden.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.auth.Role;
import dev.warden.broker.BrokerHarness;
import dev.warden.store.Dialect;
import dev.warden.testing.RawHttp;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestIssuer;
import dev.warden.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests no HTTP client sends, over a raw socket to the real server on port 0: each is answered
 * at once with {@code application/problem+json}, whether Jetty refuses it before any route runs or
 * a route does. The store plays no part, so only SQLite is used.
 */
class HostileRequestTest {
    /** Far below Jetty's idle timeout (30 s): an answer that waits for a body never comes within it. */
    private static final Duration AT_ONCE = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Warden warden;
    private int port;
    private String operator;
    private String admin;

    @BeforeEach
    void start() {
        warden = Warden.open(
                new StoreLocation(dir, TestStores.fresh(Dialect.SQLITE, dir)),
                new TestClock(Instant.parse("2026-11-22T12:00:00Z")));
        operator = warden.tokens().create(Role.OPERATOR, null, null, "test").token();
        admin = warden.tokens().create(Role.ADMIN, null, null, "test").token();
        port = warden.serve("127.0.0.1", 0).port();
    }

    @AfterEach
    void stop() {
        warden.close();
    }

    private static JsonNode problem(RawHttp.Response r, int status) throws Exception {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.body()).startsWith("application/problem+json");
        assertThat(r.body()).doesNotContainIgnoringCase("<html");
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).isNotBlank();
        return p;
    }

    private String post(String path, String token, String contentType, String contentLength) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + contentLength
                + "\r\nConnection: close\r\n\r\n";
    }

    @Test
    void a_content_length_of_two_gib_or_more_is_refused_at_once_with_413() throws Exception {
        for (String length : new String[] {"2147483648", "4294967296", "4294967297", "9223372036854775807"}) {
            for (String[] route : new String[][] {
                {"/v1/imports/aws", operator, "application/json"},
                {"/v1/imports/aws", operator, "multipart/form-data; boundary=x"},
                {"/v1/usage/cloudtrail", operator, "application/json"},
                {"/v1/tokens", admin, "application/json"},
                {"/v1/findings/f/accept", operator, "application/json"},
            }) {
                RawHttp.Response r = RawHttp.send(port, post(route[0], route[1], route[2], length), AT_ONCE);
                assertThat(problem(r, 413).get("detail").asText())
                        .as(route[0] + " " + length)
                        .contains("exceeds");
            }
        }
    }

    @Test
    void a_content_length_of_two_gib_or_more_on_the_token_endpoint_is_an_oauth_error_at_once() throws Exception {
        try (TestIssuer k8s = new TestIssuer(BrokerHarness.K8S);
                BrokerHarness h = new BrokerHarness(dir.resolve("b"), TestStores.fresh(Dialect.SQLITE, dir), k8s)) {
            int brokerPort = Integer.parseInt(h.base.substring(h.base.lastIndexOf(':') + 1));
            for (String length : new String[] {"2147483648", "9223372036854775807"}) {
                RawHttp.Response r = RawHttp.send(
                        brokerPort,
                        "POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type:"
                                + " application/x-www-form-urlencoded\r\nContent-Length: " + length
                                + "\r\nConnection: close\r\n\r\n",
                        AT_ONCE);
                assertThat(r.status()).as(r.body()).isEqualTo(400);
                assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("invalid_request");
                assertThat(r.body()).contains("larger than");
            }
        }
    }
}
