package dev.warden.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.app.WardenConfig;
import dev.warden.store.DbUrl;
import dev.warden.testing.Fixtures;
import dev.warden.testing.OversizedPost;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real Warden server with the broker enabled, on loopback: a Kubernetes-style test issuer whose
 * JWKS is served over HTTP, a policy directory, a warden.yaml, and helpers to call the OAuth
 * endpoints. Time is a {@link TestClock} shared by the issuer's tokens and the server.
 */
public final class BrokerHarness implements AutoCloseable {
    public static final String ISSUER = "https://warden.test";
    public static final String K8S = "https://k8s.test";
    public static final String AUDIENCE = "https://registry.example.com";
    public static final String POLICY = """
            policies:
              - name: payments-deployer
                owner: team-payments
                match:
                  attestors: [k8s-prod]
                  workloads: ["system:serviceaccount:payments:*"]
                grant:
                  audiences: ["https://registry.example.com"]
                  scopes: [pull, push]
                  defaultScopes: [pull]
                  maxTtl: 15m
                  defaultTtl: 5m
                  actors: ["system:serviceaccount:ci:*"]
                condition: context.environment == "prod" && subject.attributes["namespace"] == "payments"
              - name: resource-servers-introspect
                owner: platform
                match: {workloads: ["system:serviceaccount:registry:*"]}
                grant: {audiences: ["https://warden.test"], scopes: ["warden:introspect", "warden:revoke"]}
            """;

    public final TestClock clock;
    public final TestIssuer k8s;
    public final Warden warden;
    public final String base;
    public final Path dir;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    public BrokerHarness(Path dir, DbUrl db, TestIssuer k8s) {
        this(dir, db, k8s, null);
    }

    /** {@code extraYaml}: one more line inside the broker section, e.g. {@code signing: {algorithm: EdDSA}}. */
    public BrokerHarness(Path dir, DbUrl db, TestIssuer k8s, String extraYaml) {
        this(dir, db, k8s, extraYaml, Fixtures.T0);
    }

    /** Starting the clock at {@code start} (the real time, when a TLS stack checks validity). */
    public BrokerHarness(Path dir, DbUrl db, TestIssuer k8s, String extraYaml, java.time.Instant start) {
        this.clock = new TestClock(start);
        this.dir = dir;
        this.k8s = k8s;
        String jwks = k8s.serveJwksOnce();
        try {
            Path policies = Files.createDirectories(dir.resolve("policies"));
            Files.writeString(policies.resolve("payments.yaml"), POLICY);
            Path cfg = dir.resolve("warden.yaml");
            Files.writeString(cfg, """
                    broker:
                      issuer: %s
                      environment: prod
                      policies: policies
                      attestors:
                        - name: k8s-prod
                          kind: oidc
                          issuer: %s
                          profile: kubernetes
                          audiences: [warden]
                          algorithms: [RS256, ES256, EdDSA]
                          jwksUrl: %s
                      %s
                    """.formatted(ISSUER, K8S, jwks, extraYaml == null ? "" : extraYaml));
            warden = Warden.open(new StoreLocation(dir, db), clock, WardenConfig.load(cfg));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        base = "http://127.0.0.1:" + warden.serve("127.0.0.1", 0).port();
    }

    /** A fresh, valid service-account token for {@code workload} (RS256, unique jti). */
    public String saToken(String workload) {
        return k8s.rs256(k8s.claims(workload, "warden", clock.instant()));
    }

    /** The standard exchange form for {@code subjectToken}. */
    public static Map<String, String> form(String subjectToken) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", TokenExchange.GRANT_TYPE);
        f.put("subject_token", subjectToken);
        f.put("subject_token_type", TokenExchange.TYPE_JWT);
        f.put("audience", AUDIENCE);
        return f;
    }

    /** An HTTP response: status, headers of interest, body. */
    public record Response(int status, String contentType, String cacheControl, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    public Response post(String path, Map<String, String> form, String bearer) {
        return postRaw(path, encode(form), "application/x-www-form-urlencoded", bearer);
    }

    public Response postRaw(String path, String body, String contentType, String bearer) {
        if (body.length() > 64 * 1024) {
            // see OversizedPost: the tests send such bodies to be refused before they are read
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            if (contentType != null) {
                headers.put("Content-Type", contentType);
            }
            if (bearer != null) {
                headers.put("Authorization", "Bearer " + bearer);
            }
            OversizedPost.Response r = OversizedPost.post(
                    URI.create(base + path), headers, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return new Response(r.status(), r.header("Content-Type"), r.header("Cache-Control"), r.body());
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b.build());
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build());
    }

    private Response send(HttpRequest r) {
        try {
            HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
            return new Response(
                    resp.statusCode(),
                    resp.headers().firstValue("Content-Type").orElse(""),
                    resp.headers().firstValue("Cache-Control").orElse(""),
                    resp.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    @Override
    public void close() {
        warden.close();
    }
}
