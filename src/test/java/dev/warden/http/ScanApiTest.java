package dev.warden.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.auth.Role;
import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.IdentityStatus;
import dev.warden.inventory.Source;
import dev.warden.scan.KeyMaterial;
import dev.warden.store.Dialect;
import dev.warden.testing.Fixtures;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** POST/GET /v1/scans and leaks on identities, over real HTTP, on SQLite and PostgreSQL. */
class ScanApiTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private Warden warden;
    private ApiClient api;
    private String admin;
    private final Map<String, String> ids = new HashMap<>();
    private final String keyId = "AKIA" + random("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, 1);
    private final KeyPair certKey = ec();

    private static String random(String alphabet, int n, long seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            return g.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Identity identity(IdentityKind kind, String name, String externalId, Source source, String owner) {
        return new Identity(
                null,
                kind,
                name,
                externalId,
                source,
                "prod",
                owner,
                null,
                null,
                name,
                null,
                IdentityStatus.ACTIVE,
                null,
                Map.of(),
                null,
                Fixtures.T0,
                Fixtures.T0);
    }

    private void start(Dialect dialect) {
        warden = Warden.open(new StoreLocation(dir, TestStores.fresh(dialect, dir)), new TestClock(Fixtures.T0));
        Credential key = new Credential(
                null,
                null,
                CredentialKind.ACCESS_KEY,
                keyId,
                null,
                null,
                null,
                null,
                null,
                CredentialStatus.ACTIVE,
                Map.of());
        Credential cert = new Credential(
                null,
                null,
                CredentialKind.CERTIFICATE,
                null,
                "sha256:cert",
                null,
                null,
                null,
                null,
                CredentialStatus.ACTIVE,
                Map.of("spkiSha256", KeyMaterial.spkiSha256(certKey.getPublic())));
        List<IdentityRecord> records = List.of(
                new IdentityRecord(
                        identity(
                                IdentityKind.CLOUD_USER,
                                "deployer",
                                "arn:aws:iam::111122223333:user/deployer",
                                Source.of("aws", "111122223333"),
                                "team-pay"),
                        List.of(key),
                        List.of()),
                Fixtures.serviceAccount("prod-1", "payments", "api", "team-web"),
                new IdentityRecord(
                        identity(
                                IdentityKind.CERTIFICATE,
                                "api.internal",
                                "ab".repeat(32),
                                Source.of("certificate", "pki"),
                                "team-pay"),
                        List.of(cert),
                        List.of()),
                new IdentityRecord(
                        identity(
                                IdentityKind.DATABASE_ROLE,
                                "orders_app",
                                "postgresql://pg.prod.internal:5432/orders_app",
                                Source.of("postgresql", "pg.prod.internal:5432"),
                                "team-pay"),
                        List.of(),
                        List.of()));
        warden.inventory().load(records, "test", "inventory.load", Map.of());
        for (IdentityRecord r : records) {
            String ext = r.identity().externalId();
            ids.put(
                    r.identity().kind().value(),
                    warden.inventory().show(ext, null).orElseThrow().identity().id());
        }
        admin = warden.tokens().create(Role.ADMIN, null, "test", "test").token();
        api = new ApiClient(warden.serve("127.0.0.1", 0).port());
    }

    @AfterEach
    void stop() {
        if (warden != null) {
            warden.close();
        }
    }

    private String body(String target, String... pathsAndContents) {
        ObjectNode b = MAPPER.createObjectNode();
        if (target != null) {
            b.put("target", target);
        }
        ArrayNode files = b.putArray("files");
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            files.addObject().put("path", pathsAndContents[i]).put("content", pathsAndContents[i + 1]);
        }
        return b.toString();
    }

    private String jwt() {
        Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
        return e.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + e.encodeToString("{\"sub\":\"system:serviceaccount:payments:api\",\"exp\":4102444800}"
                        .getBytes(StandardCharsets.UTF_8))
                + "." + random("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789", 60, 2);
    }

    private String pem() {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(certKey.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_scan_links_leaks_to_identities_and_shows_them_on_the_identity(Dialect dialect) throws Exception {
        start(dialect);
        String dbPassword = "Tr0ub4dor-x9Q";
        String request = body(
                "ci:payments@abc123",
                "deploy/aws.env",
                "AWS_ACCESS_KEY_ID=" + keyId + "\n",
                "deploy/token",
                "token: " + jwt() + "\n",
                "certs/api.key",
                pem(),
                "app/db.env",
                "DATABASE_URL=postgresql://orders_app:" + dbPassword + "@pg.prod.internal/orders\n",
                "app/other.env",
                "STRIPE_KEY=sk_live_" + random("abcdefghijklmnopqrstuvwxyz0123456789", 30, 3) + "\n");
        ApiClient.Response r = api.post("/v1/scans", admin, "application/json", request);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode scan = r.json();
        assertThat(scan.get("hitCount").asInt()).isEqualTo(5);
        assertThat(scan.get("linkedCount").asInt()).isEqualTo(4);
        Map<String, JsonNode> byRule = new HashMap<>();
        scan.get("findings").forEach(f -> byRule.put(f.get("rule").asText(), f));
        assertThat(byRule.get("aws-access-key-id").get("identityId").asText()).isEqualTo(ids.get("cloud_user"));
        assertThat(byRule.get("aws-access-key-id").get("severity").asText()).isEqualTo("critical");
        assertThat(byRule.get("aws-access-key-id").get("credentialId").asText()).isNotEmpty();
        assertThat(byRule.get("jwt").get("identityId").asText()).isEqualTo(ids.get("kubernetes_service_account"));
        assertThat(byRule.get("private-key").get("identityId").asText()).isEqualTo(ids.get("certificate"));
        assertThat(byRule.get("connection-uri-password").get("identityId").asText())
                .isEqualTo(ids.get("database_role"));
        assertThat(byRule.get("stripe-secret-key").has("identityId")).isFalse();
        assertThat(byRule.get("stripe-secret-key").get("severity").asText()).isEqualTo("high");
        assertThat(r.body()).doesNotContain(dbPassword).doesNotContain("BEGIN PRIVATE KEY");

        ApiClient.Response again = api.get("/v1/scans/" + scan.get("id").asText(), admin);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("findings")).hasSize(5);

        JsonNode user =
                api.get("/v1/identities/" + ids.get("cloud_user"), admin).json();
        assertThat(user.get("leaks")).hasSize(1);
        assertThat(user.get("leaks").get(0).get("rule").asText()).isEqualTo("aws-access-key-id");
        assertThat(user.get("leaks").get(0).get("file").asText()).isEqualTo("deploy/aws.env");
        assertThat(api.get("/v1/identities/" + ids.get("certificate"), admin)
                        .json()
                        .get("leaks"))
                .hasSize(1);

        // the store holds fingerprints and previews, never the secrets
        try (Connection c = TestStores.connect(warden.db().url());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM scan_hits")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    String v = rs.getString(i);
                    if (v != null) {
                        assertThat(v).doesNotContain(dbPassword).doesNotContain("BEGIN PRIVATE KEY");
                    }
                }
            }
            assertThat(rows).isEqualTo(5);
        }
        // posture raises NHI2 on each linked identity from the recorded scan
        assertThat(api.post("/v1/findings/evaluate", admin, "application/json", "{}")
                        .status())
                .isBetween(200, 201);
        JsonNode nhi2 = api.get("/v1/findings?risk=NHI2", admin).json().get("items");
        Map<String, String> severityByIdentity = new HashMap<>();
        nhi2.forEach(f -> severityByIdentity.put(
                f.get("identity").get("id").asText(), f.get("severity").asText()));
        assertThat(severityByIdentity)
                .containsOnlyKeys(
                        ids.get("cloud_user"),
                        ids.get("kubernetes_service_account"),
                        ids.get("certificate"),
                        ids.get("database_role"))
                // found in current files (not history), so still present: critical on every link
                .containsValues("critical")
                .doesNotContainValue("high");
        assertThat(api.get("/v1/identities/" + ids.get("cloud_user"), admin)
                        .json()
                        .get("findings")
                        .findValuesAsText("checkId"))
                .contains("nhi2-leaked-secret");
        assertThat(nhi2.toString()).doesNotContain(dbPassword);

        // a team token sees only hits on its team's identities
        String web =
                warden.tokens().create(Role.AUDITOR, "team-web", null, "test").token();
        JsonNode teamView = api.get("/v1/scans/" + scan.get("id").asText(), web).json();
        assertThat(teamView.get("findings")).hasSize(1);
        assertThat(teamView.get("findings").get(0).get("rule").asText()).isEqualTo("jwt");
    }

    @ParameterizedTest
    @EnumSource(
            value = Dialect.class,
            names = {"SQLITE"})
    void bad_requests_are_problems_and_auditors_cannot_scan(Dialect dialect) {
        start(dialect);
        String auditor =
                warden.tokens().create(Role.AUDITOR, null, null, "test").token();
        assertThat(api.post("/v1/scans", auditor, "application/json", body(null, "a", "b"))
                        .status())
                .isEqualTo(403);
        assertThat(api.post("/v1/scans", null, "application/json", body(null, "a", "b"))
                        .status())
                .isEqualTo(401);
        for (String bad : List.of(
                "{}",
                "{\"files\": []}",
                "{\"files\": [{\"path\": \"a\"}]}",
                "{\"files\": [{\"path\": \"\", \"content\": \"x\"}]}",
                "{\"files\": [{\"path\": \"a\\u0000b\", \"content\": \"x\"}]}",
                "{\"files\": [{\"path\": \"a\", \"content\": \"x\"}, {\"path\": \"a\", \"content\": \"y\"}]}",
                "{\"files\": [{\"path\": \"a\", \"content\": \"x\"}], \"extra\": 1}",
                "{\"files\": \"nope\"}",
                "{\"files\": [")) {
            ApiClient.Response r = api.post("/v1/scans", admin, "application/json", bad);
            assertThat(r.status()).as(bad + " -> " + r.body()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
        assertThat(api.post("/v1/scans", admin, "text/plain", "x").status()).isEqualTo(415);
        String big = body(null, "big.txt", "x".repeat(2 * 1024 * 1024));
        assertThat(api.post("/v1/scans", admin, "application/json", big).status())
                .isEqualTo(413);
        assertThat(api.get("/v1/scans/not-a-uuid", admin).status()).isEqualTo(404);
        assertThat(api.get("/v1/scans/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", admin)
                        .status())
                .isEqualTo(404);
        ApiClient.Response clean = api.post("/v1/scans", admin, "application/json", body("t", "a.txt", "hello"));
        assertThat(clean.status()).isEqualTo(201);
        assertThat(clean.json().get("hitCount").asInt()).isZero();
    }
}
