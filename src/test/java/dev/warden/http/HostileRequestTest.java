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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

    static Stream<Arguments> malformedMultipart() {
        String parts =
                "--BBB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.json\"\r\n\r\n{}\r\n--BBB--\r\n";
        return Stream.of(
                Arguments.of("boundary=AAA", parts, "boundary"),
                Arguments.of("boundary=BBB", parts.substring(0, parts.length() - 9), "boundary"),
                Arguments.of("boundary=BBB", "no parts at all", "boundary"),
                Arguments.of("", parts, "boundary"));
    }

    @ParameterizedTest
    @MethodSource("malformedMultipart")
    void a_multipart_body_that_does_not_match_its_boundary_is_a_400_problem(String boundary, String body, String named)
            throws Exception {
        for (String path : new String[] {"/v1/imports/aws", "/v1/usage/cloudtrail"}) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String head = post(
                    path,
                    operator,
                    "multipart/form-data" + (boundary.isEmpty() ? "" : "; " + boundary),
                    Integer.toString(bytes.length));
            RawHttp.Response r = RawHttp.send(port, head + body, AT_ONCE);
            assertThat(problem(r, 400).get("detail").asText())
                    .as(path)
                    .contains("multipart")
                    .contains(named);
        }
        assertThat(warden.importer().runs(10)).isEmpty();
    }

    @Test
    void a_multipart_body_shorter_than_its_content_length_is_not_an_internal_error() throws Exception {
        // the client stops sending and closes its side: the answer is never read, but it is no 500
        String body = "--BBB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.json\"\r\n\r\n{";
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.getOutputStream()
                    .write((post("/v1/imports/aws", operator, "multipart/form-data; boundary=BBB", "1000") + body)
                            .getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            s.setSoTimeout((int) AT_ONCE.toMillis());
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("application/problem+json");
        }
    }

    static Stream<Arguments> refusedByJetty() {
        String end = "Host: 127.0.0.1\r\nConnection: close\r\n\r\n";
        return Stream.of(
                Arguments.of("bad UTF-8 in the path", "GET /v1/identities/%ff%fe HTTP/1.1\r\n" + end, 400),
                Arguments.of("%00 in the path", "GET /v1/identities/a%00b HTTP/1.1\r\n" + end, 400),
                Arguments.of("raw ../ target", "GET /../../etc/passwd HTTP/1.1\r\n" + end, 400),
                Arguments.of("../ inside the path", "GET /v1/../../x HTTP/1.1\r\n" + end, 400),
                Arguments.of("encoded ../", "GET /v1/%2e%2e/%2e%2e/x HTTP/1.1\r\n" + end, 400),
                Arguments.of("backslash", "GET /v1\\..\\x HTTP/1.1\r\n" + end, 400),
                Arguments.of("no request line", "GARBAGE\r\n\r\n", 400),
                Arguments.of("illegal method character", "G@T / HTTP/1.1\r\n" + end, 400),
                Arguments.of(
                        "duplicate Content-Length",
                        "POST /v1/tokens HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n" + end + "abcd",
                        400),
                Arguments.of(
                        "Content-Length and Transfer-Encoding",
                        "POST /v1/tokens HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n" + end
                                + "0\r\n\r\n",
                        400),
                Arguments.of(
                        "Content-Length beyond a long",
                        "POST /v1/tokens HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n" + end,
                        400),
                Arguments.of(
                        "Content-Length not a number", "POST /v1/tokens HTTP/1.1\r\nContent-Length: 1x\r\n" + end, 400),
                Arguments.of(
                        "unknown Transfer-Encoding",
                        "POST /v1/tokens HTTP/1.1\r\nTransfer-Encoding: gzip\r\n" + end,
                        400),
                Arguments.of("no Host", "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n", 400),
                Arguments.of("two Hosts", "GET /healthz HTTP/1.1\r\nHost: a\r\n" + end, 400),
                Arguments.of("header without a colon", "GET /healthz HTTP/1.1\r\nBadHeader\r\n" + end, 400),
                Arguments.of("control character in a header", "GET /healthz HTTP/1.1\r\nX: a\u0001b\r\n" + end, 400),
                Arguments.of("absolute target for another host", "GET http://evil/healthz HTTP/1.1\r\n" + end, 400),
                Arguments.of("target too long", "GET /" + "a".repeat(70_000) + " HTTP/1.1\r\n" + end, 414),
                Arguments.of(
                        "headers too large",
                        "GET /healthz HTTP/1.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n" + end,
                        431),
                Arguments.of("HTTP/1.2", "GET /healthz HTTP/1.2\r\n" + end, 505),
                Arguments.of("HTTP/2.5", "GET /healthz HTTP/2.5\r\n" + end, 505),
                Arguments.of("HTTP/0.9", "GET /healthz\r\n\r\n", 505),
                Arguments.of("empty target", "GET  HTTP/1.1\r\n" + end, 505),
                Arguments.of("OPTIONS *", "OPTIONS * HTTP/1.1\r\n" + end, 404),
                Arguments.of("PUT to an unknown path", "PUT /nowhere HTTP/1.1\r\nContent-Length: 0\r\n" + end, 404));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedByJetty")
    void a_request_jetty_refuses_is_answered_with_a_problem(String what, String request, int status) throws Exception {
        RawHttp.Response r = RawHttp.send(port, request, AT_ONCE);
        JsonNode p = problem(r, status);
        assertThat(p.get("detail").asText()).doesNotContain("evil").doesNotContain("passwd");
        assertThat(r.header("Server")).isEmpty();
    }
}
