package dev.warden.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.audit.AuditEntry;
import dev.warden.store.Dialect;
import dev.warden.testing.TestIssuer;
import dev.warden.testing.TestStores;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rate limits on the OAuth endpoints and the aggregation of denials in the audit log, over real
 * HTTP on loopback. A second source address is a real one: the client socket is bound to
 * 127.0.0.2 (all of 127/8 is loopback on Linux).
 */
class RateLimitApiTest {
    private static final String WORKLOAD = "system:serviceaccount:payments:deployer";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestIssuer k8s;

    @TempDir
    Path dir;

    private BrokerHarness h;

    @BeforeAll
    static void issuer() {
        k8s = new TestIssuer(BrokerHarness.K8S);
    }

    @AfterAll
    static void stopIssuer() {
        k8s.close();
    }

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    private void start(Dialect dialect, String rateLimit) {
        h = new BrokerHarness(dir, TestStores.fresh(dialect, dir), k8s, "rateLimit: " + rateLimit);
    }

    /** A response read off the wire: status, headers (lower-case names), body. */
    private record Wire(int status, Map<String, String> headers, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /** POSTs a form over a fresh connection from {@code localAddress}. */
    private Wire post(String localAddress, String path, Map<String, String> form) throws IOException {
        URI base = URI.create(h.base);
        byte[] body = BrokerHarness.encode(form).getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(localAddress, 0));
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = raw.indexOf("\r\n\r\n");
            String[] lines = raw.substring(0, split).split("\r\n");
            Map<String, String> headers = new TreeMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(
                        lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
            String rest = raw.substring(split + 4);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                rest = dechunk(rest);
            }
            return new Wire(Integer.parseInt(lines[0].split(" ")[1]), headers, rest);
        }
    }

    private static String dechunk(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int eol = s.indexOf("\r\n", i);
            int n = Integer.parseInt(s.substring(i, eol).strip(), 16);
            if (n == 0) {
                return out.toString();
            }
            out.append(s, eol + 2, eol + 2 + n);
            i = eol + 2 + n + 2;
        }
    }

    /** A subject token with a valid header and claims but the signature of another token. */
    private String forged() {
        String a = h.saToken(WORKLOAD);
        String b = h.saToken("system:serviceaccount:payments:other");
        return a.substring(0, a.lastIndexOf('.')) + b.substring(b.lastIndexOf('.'));
    }

    private List<AuditEntry> audit() {
        return h.warden.audit().list(0, 100_000);
    }

    private long count(String action) {
        return audit().stream().filter(e -> e.action().equals(action)).count();
    }

    private static void assertRateLimited(Wire r) throws IOException {
        assertThat(r.status()).as(r.body()).isEqualTo(429);
        assertThat(r.headers().get("retry-after")).isEqualTo("1");
        assertThat(r.headers().get("cache-control")).isEqualTo("no-store");
        assertThat(r.headers().get("content-type")).startsWith("application/json");
        assertThat(r.json().get("error").asText()).isEqualTo("temporarily_unavailable");
        assertThat(r.json().get("error_description").asText()).contains("retry after 1 s");
    }

    @Test
    void a_burst_beyond_the_source_limit_gets_429_with_retry_after_until_the_clock_refills_it() throws Exception {
        start(Dialect.SQLITE, "{perSource: {rate: 1, burst: 3}}");
        for (int i = 0; i < 3; i++) {
            Wire r = post("127.0.0.1", "/oauth2/token", BrokerHarness.form(forged()));
            assertThat(r.status()).as(r.body()).isEqualTo(400);
        }
        Wire refused = post("127.0.0.1", "/oauth2/token", BrokerHarness.form(h.saToken(WORKLOAD)));
        assertRateLimited(refused);
        // Introspection and revocation share the source's bucket.
        assertRateLimited(post("127.0.0.1", "/oauth2/introspect", Map.of("token", "x")));
        assertRateLimited(post("127.0.0.1", "/oauth2/revoke", Map.of("token", "x")));
        assertThat(h.warden.broker().issuances().listSince(java.time.Instant.EPOCH, 10))
                .isEmpty();

        h.clock.advance(Duration.ofSeconds(1));
        Wire refilled = post("127.0.0.1", "/oauth2/token", BrokerHarness.form(h.saToken(WORKLOAD)));
        assertThat(refilled.status()).as(refilled.body()).isEqualTo(200);
        assertRateLimited(post("127.0.0.1", "/oauth2/token", BrokerHarness.form(h.saToken(WORKLOAD))));
    }

    @Test
    void another_source_is_not_affected_by_a_spent_source() throws Exception {
        start(Dialect.SQLITE, "{perSource: {rate: 1, burst: 2}}");
        post("127.0.0.1", "/oauth2/token", BrokerHarness.form(forged()));
        post("127.0.0.1", "/oauth2/token", BrokerHarness.form(forged()));
        assertRateLimited(post("127.0.0.1", "/oauth2/token", BrokerHarness.form(h.saToken(WORKLOAD))));

        Wire other = post("127.0.0.2", "/oauth2/token", BrokerHarness.form(h.saToken(WORKLOAD)));
        assertThat(other.status()).as(other.body()).isEqualTo(200);
        assertThat(other.json().get("access_token").asText()).isNotEmpty();
        assertThat(h.warden.broker().issuances().listSince(java.time.Instant.EPOCH, 10))
                .singleElement()
                .satisfies(i -> assertThat(i.sourceAddress()).isEqualTo("127.0.0.2"));
    }

    @Test
    void the_global_cap_refuses_every_source_once_spent() throws Exception {
        start(Dialect.SQLITE, "{perSource: {rate: 100}, global: {rate: 1, burst: 2}}");
        assertThat(post("127.0.0.1", "/oauth2/token", BrokerHarness.form(forged()))
                        .status())
                .isEqualTo(400);
        assertThat(post("127.0.0.2", "/oauth2/token", BrokerHarness.form(forged()))
                        .status())
                .isEqualTo(400);
        assertRateLimited(post("127.0.0.3", "/oauth2/token", BrokerHarness.form(h.saToken(WORKLOAD))));
        h.clock.advance(Duration.ofSeconds(1));
        assertThat(post("127.0.0.3", "/oauth2/token", BrokerHarness.form(h.saToken(WORKLOAD)))
                        .status())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_forged_token_flood_adds_a_bounded_number_of_audit_entries(Dialect dialect) throws Exception {
        start(dialect, "{perSource: {rate: 1000, burst: 1000}, auditWindow: 1m}");
        long before = audit().size();
        for (int i = 0; i < 120; i++) {
            BrokerHarness.Response r = h.post("/oauth2/token", BrokerHarness.form(forged()), null);
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("invalid_request");
        }
        // An allowed exchange is answered after its commit; the queued denials were written first.
        assertThat(h.post("/oauth2/token", BrokerHarness.form(h.saToken(WORKLOAD)), null)
                        .status())
                .isEqualTo(200);
        assertThat(audit().size() - before).isEqualTo(2); // the first broker.deny and the broker.issue
        assertThat(count("broker.deny")).isEqualTo(1);
        assertThat(count("broker.issue")).isEqualTo(1);

        // The next window: its first denial is audited again, and the last window is summarised.
        h.clock.advance(Duration.ofSeconds(61));
        assertThat(h.post("/oauth2/token", BrokerHarness.form(forged()), null).status())
                .isEqualTo(400);
        assertThat(h.post("/oauth2/token", BrokerHarness.form(h.saToken(WORKLOAD)), null)
                        .status())
                .isEqualTo(200);
        assertThat(count("broker.deny")).isEqualTo(2);
        assertThat(count("broker.issue")).isEqualTo(2);
        assertThat(audit())
                .filteredOn(e -> e.action().equals(DenialAudit.SUMMARY_ACTION))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.details()).containsEntry("suppressedDenials", "119");
                    assertThat(e.details()).containsEntry("sources", "1");
                    assertThat(e.details()).containsEntry("topSources", "127.0.0.1=119");
                });
        assertThat(audit().size() - before).isEqualTo(5);
        assertThat(h.warden.audit().verify().intact()).isTrue();
    }

    @Test
    void replays_and_policy_denials_are_audited_once_per_window_and_counted() throws Exception {
        start(Dialect.SQLITE, "{perSource: {rate: 1000, burst: 1000}}");
        String token = h.saToken(WORKLOAD);
        assertThat(h.post("/oauth2/token", BrokerHarness.form(token), null).status())
                .isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            BrokerHarness.Response r = h.post("/oauth2/token", BrokerHarness.form(token), null);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().get("error_description").asText()).contains("already used");
        }
        // A workload no policy matches: denied by policy, counted in the same window.
        for (int i = 0; i < 3; i++) {
            BrokerHarness.Response r =
                    h.post("/oauth2/token", BrokerHarness.form(h.saToken("system:serviceaccount:other:x")), null);
            assertThat(r.status()).isEqualTo(400);
        }
        assertThat(count("broker.replay")).isEqualTo(1);
        assertThat(count("broker.deny")).isZero();
        long findings = h.warden
                .db()
                .withHandle(hd -> hd.createQuery("SELECT count(*) FROM broker_findings")
                        .mapTo(Long.class)
                        .one());
        assertThat(findings).isEqualTo(1L);

        h.clock.advance(Duration.ofMinutes(2));
        h.warden.broker().tick(); // the periodic flush writes the passed window's summary
        assertThat(h.post("/oauth2/token", BrokerHarness.form(h.saToken(WORKLOAD)), null)
                        .status())
                .isEqualTo(200);
        assertThat(audit())
                .filteredOn(e -> e.action().equals(DenialAudit.SUMMARY_ACTION))
                .singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("suppressedDenials", "7"));
    }
}
