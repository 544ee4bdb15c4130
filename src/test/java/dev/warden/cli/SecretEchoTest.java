package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.auth.Role;
import dev.warden.broker.BrokerHarness;
import dev.warden.store.DbUrl;
import dev.warden.store.Dialect;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestIssuer;
import dev.warden.testing.TestStores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A secret on the failing line of every format Warden parses is repeated nowhere: not on stdout or
 * stderr (the one-line error, and the log lines a command writes), not in a problem's detail, not
 * in {@code import_runs}, {@code usage_ingests} or the audit log. The secret starts with {@code t},
 * like the literal {@code true}, so a JSON parser reads it as an unrecognised token — the case
 * Jackson's messages quoted in full.
 */
class SecretEchoTest {
    private static final String SECRET = "tr0ub4dorWARDENLEAK9f3kQ";
    /** The secret, and pieces of it a truncating message could still show. */
    private static final List<String> PIECES = List.of(SECRET, "tr0ub4", "WARDENLEAK", "LEAK9f3kQ");

    private static final String REPORT_HEADER = "user,arn,user_creation_time,password_enabled,password_last_used,"
            + "password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
            + "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
            + "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
            + "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,"
            + "cert_2_active,cert_2_last_rotated\n";
    private static final String REPORT_ROW = "ci,arn:aws:iam::111122223333:user/ci,2021-03-04T10:11:12+00:00,false,"
            + "N/A,N/A,N/A,false,true,2021-03-04T10:15:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A";

    @TempDir
    Path dir;

    /** One malformed input: the file name and content, and the command that reads it ({} is the file). */
    record Input(String what, String file, String content, String... command) {}

    static List<Input> sources() {
        String b64 = Base64.getEncoder()
                .encodeToString(("{\"ReportFormat\": \"text/csv\", \"Content\": " + SECRET + "}")
                        .getBytes(StandardCharsets.UTF_8));
        return List.of(
                new Input(
                        "AWS authorization details",
                        "auth.json",
                        "{\"UserDetailList\": [\n  {\"UserName\": " + SECRET + "}\n]}\n",
                        "import",
                        "aws",
                        "{}"),
                new Input(
                        "AWS list-access-keys",
                        "keys.json",
                        "{\"AccessKeyMetadata\": [{\"UserName\": \"ci\", \"AccessKeyId\": f" + SECRET + "}]}",
                        "import",
                        "aws",
                        "{}"),
                new Input(
                        "AWS get-credential-report JSON",
                        "report.json",
                        "{\"ReportFormat\": \"text/csv\", \"Content\": n" + SECRET + "}",
                        "import",
                        "aws",
                        "{}"),
                new Input(
                        "AWS credential report CSV, a surplus column",
                        "report.csv",
                        REPORT_HEADER + REPORT_ROW + "," + SECRET + "\n",
                        "import",
                        "aws",
                        "{}"),
                new Input(
                        "AWS credential report CSV, an unterminated quote",
                        "report2.csv",
                        REPORT_HEADER + REPORT_ROW.replace(",false,N/A\n", "") + ",\"" + SECRET + "\"x,N/A\n",
                        "import",
                        "aws",
                        "{}"),
                new Input(
                        "base64 of JSON is no report",
                        "b64.json",
                        "{\"Content\": \"" + b64 + "\"}",
                        "import",
                        "aws",
                        "{}"),
                new Input(
                        "Kubernetes YAML, a mapping value",
                        "sa.yaml",
                        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ci\n  annotations:\n    token: "
                                + SECRET + ": x\n",
                        "import",
                        "kubernetes",
                        "{}",
                        "--cluster",
                        "c1"),
                new Input(
                        "Kubernetes YAML, a bad escape",
                        "sa2.yaml",
                        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  token: \"\\x" + SECRET
                                + "\"\n",
                        "import",
                        "kubernetes",
                        "{}",
                        "--cluster",
                        "c1"),
                new Input(
                        "Kubernetes YAML, an unclosed flow mapping",
                        "sa3.yaml",
                        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {token: " + SECRET + "\n",
                        "import",
                        "kubernetes",
                        "{}",
                        "--cluster",
                        "c1"),
                new Input(
                        "Kubernetes YAML, a tab",
                        "sa4.yaml",
                        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n\ttoken: " + SECRET + "\n",
                        "import",
                        "kubernetes",
                        "{}",
                        "--cluster",
                        "c1"),
                new Input(
                        "Kubernetes JSON list",
                        "list.json",
                        "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n {\"apiVersion\": \"v1\", \"kind\":"
                                + " \"Secret\", \"metadata\": {\"name\": \"s\"}, \"data\": {\"token\": " + SECRET
                                + "}}]}",
                        "import",
                        "kubernetes",
                        "{}",
                        "--cluster",
                        "c1"),
                new Input(
                        "GitHub workflow",
                        "repo/.github/workflows/ci.yml",
                        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      AWS_SECRET_ACCESS_KEY: "
                                + SECRET + ": x\n    steps: [{run: echo}]\n",
                        "import",
                        "github",
                        "{repo}"),
                new Input(
                        "PEM certificate whose body is the secret",
                        "body.pem",
                        "-----BEGIN CERTIFICATE-----\n" + SECRET + "\n-----END CERTIFICATE-----\n",
                        "import",
                        "certificates",
                        "{}"),
                new Input(
                        "PEM certificate whose END line is the secret",
                        "end.pem",
                        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END " + SECRET + "-----\n",
                        "import",
                        "certificates",
                        "{}"),
                new Input(
                        "PEM block labelled with the secret",
                        "label.pem",
                        "-----BEGIN " + SECRET + "-----\nMIIB\n",
                        "import",
                        "certificates",
                        "{}"),
                new Input(
                        "CloudTrail",
                        "trail.json",
                        "{\"Records\": [\n {\"eventVersion\": \"1.08\", \"eventTime\": " + SECRET + "}]}",
                        "ingest",
                        "cloudtrail",
                        "{}"),
                new Input(
                        "CloudTrail, a surplus value",
                        "trail2.json",
                        "{\"Records\": [{\"eventTime\": \"2026-11-20T10:00:00Z\" " + SECRET + "}]}",
                        "ingest",
                        "cloudtrail",
                        "{}"),
                new Input(
                        "Kubernetes audit log",
                        "audit.log",
                        "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"user\": " + SECRET + "}\n",
                        "ingest",
                        "k8s-audit",
                        "{}",
                        "--cluster",
                        "c1"));
    }

    static List<Input> configurations() {
        return List.of(
                new Input(
                        "warden.yaml",
                        "warden.yaml",
                        "broker:\n  issuer: https://w.example\n  policies: " + SECRET + ": x\n",
                        "serve",
                        "--port",
                        "0",
                        "--config",
                        "{}"),
                new Input(
                        "broker policy",
                        "policies/p.yaml",
                        "policies:\n  - name: p\n    owner: " + SECRET + ": x\n",
                        "policy",
                        "test",
                        "{dir}"),
                new Input(
                        "broker policy condition",
                        "cel/p.yaml",
                        "policies:\n  - name: p\n    owner: o\n"
                                + "    grant: {audiences: [a]}\n    condition: request.audience == " + SECRET + "\n",
                        "policy",
                        "test",
                        "{dir}"),
                new Input(
                        "broker policy condition syntax",
                        "cel2/p.yaml",
                        "policies:\n  - name: p\n    owner: o\n"
                                + "    grant: {audiences: [a]}\n    condition: request.audience == \"a\" " + SECRET
                                + "\n",
                        "policy",
                        "test",
                        "{dir}"),
                new Input(
                        "policy test fixture",
                        "fixtures/p_test.yaml",
                        "cases:\n  - name: " + SECRET + ": x\n",
                        "policy",
                        "test",
                        "{dir}"),
                new Input(
                        "policy explain input",
                        "explain.yaml",
                        "subject: {id: " + SECRET + ": x}\n",
                        "policy",
                        "explain",
                        "{policies}",
                        "{}"),
                new Input(
                        "posture policy",
                        "posture.yaml",
                        "thresholds:\n  nhi1.dormantDays: " + SECRET + ": x\n",
                        "findings",
                        "--policy",
                        "{}"),
                new Input(
                        "gitleaks rules",
                        "rules.toml",
                        "title = \"r\"\n[[rules]]\nid = \"x\"\nregex = " + SECRET + "\n",
                        "scan",
                        "--rules",
                        "{}",
                        "{scanned}"),
                new Input(
                        "gitleaks rule regex",
                        "rules2.toml",
                        "[[rules]]\nid = \"x\"\nregex = '''(" + SECRET + "'''\n",
                        "scan",
                        "--rules",
                        "{}",
                        "{scanned}"),
                new Input(
                        "scan baseline",
                        "baseline.json",
                        "{\"salt\": " + SECRET + "}",
                        "scan",
                        "--baseline",
                        "{}",
                        "{scanned}"));
    }

    private static void assertNoSecret(String where, String text) {
        for (String piece : PIECES) {
            assertThat(text).as(where + " contains '" + piece + "':\n" + text).doesNotContain(piece);
        }
    }

    /** Runs {@code run}, returning what it printed to System.err meanwhile (the log lines) after its own output. */
    private static <T> T capturingLogs(Supplier<T> run, StringBuilder logs) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return run.get();
        } finally {
            System.setErr(original);
            logs.append(captured.toString(StandardCharsets.UTF_8));
        }
    }

    private Cli.Result run(Cli.Store store, Input in, StringBuilder logs) throws Exception {
        Path file = dir.resolve(in.file());
        Files.createDirectories(file.getParent());
        Files.writeString(file, in.content());
        Path policies = Files.createDirectories(dir.resolve("explain-policies"));
        Files.writeString(
                policies.resolve("p.yaml"), "policies:\n  - name: p\n    owner: o\n    grant: {audiences: [a]}\n");
        Path scanned = Files.writeString(dir.resolve("scanned.txt"), "nothing here\n");
        List<String> args = new ArrayList<>();
        for (String a : in.command()) {
            args.add(
                    switch (a) {
                        case "{}" -> file.toString();
                        case "{dir}" -> file.getParent().toString();
                        case "{repo}" -> dir.resolve("repo").toString();
                        case "{policies}" -> policies.toString();
                        case "{scanned}" -> scanned.toString();
                        default -> a;
                    });
        }
        String[] argv = args.toArray(new String[0]);
        boolean standalone = in.command()[0].equals("policy") || in.command()[0].equals("scan");
        return capturingLogs(() -> standalone ? Cli.run(argv) : store.run(argv), logs);
    }

    /** Every text column of every row of {@code table}, one row a line. */
    private static String table(DbUrl url, String table) throws Exception {
        StringBuilder b = new StringBuilder();
        try (Connection c = TestStores.connect(url);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    b.append(rs.getString(i)).append(' ');
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_secret_on_the_failing_line_of_an_export_or_a_log_is_repeated_nowhere(Dialect dialect) throws Exception {
        Cli.Store store = Cli.Store.fresh(dialect, dir);
        StringBuilder logs = new StringBuilder();
        for (Input in : sources()) {
            Cli.Result r = run(store, in, logs);
            assertThat(r.code()).as(in.what() + ": " + r).isNotZero();
            assertThat(r.err() + r.out())
                    .as(in.what() + ": " + r)
                    .containsAnyOf("line", ":1", ":2", ":3", ":4", ":5", ":6", "byte");
            Cli.assertNoStackTrace(r);
            assertNoSecret(in.what() + " (stdout and stderr)", r.out() + r.err());
        }
        assertNoSecret("log lines", logs.toString());
        String runs = table(store.url(), "import_runs");
        String ingests = table(store.url(), "usage_ingests");
        String audit = table(store.url(), "audit_log");
        assertThat(runs.lines().count()).as(runs).isGreaterThanOrEqualTo(10);
        assertThat(ingests.lines().count()).as(ingests).isEqualTo(3);
        assertThat(audit).contains("import.failed");
        assertNoSecret("import_runs", runs);
        assertNoSecret("usage_ingests", ingests);
        assertNoSecret("audit_log", audit);
        assertNoSecret("imports", store.run("imports", "--format", "json").out());
    }

    @Test
    void a_secret_on_the_failing_line_of_a_configuration_or_rule_file_is_repeated_nowhere() throws Exception {
        Cli.Store store = Cli.Store.fresh(Dialect.SQLITE, dir);
        Cli.assertOk(store.run("audit", "verify"));
        StringBuilder logs = new StringBuilder();
        for (Input in : configurations()) {
            Cli.Result r = run(store, in, logs);
            assertThat(r.code()).as(in.what() + ": " + r).isEqualTo(2);
            assertThat(r.err()).as(in.what() + ": " + r).containsPattern(":\\d+|line \\d+|rule '");
            Cli.assertNoStackTrace(r);
            assertNoSecret(in.what() + " (stdout and stderr)", r.out() + r.err());
        }
        assertNoSecret("log lines", logs.toString());
        assertNoSecret("audit_log", table(store.url(), "audit_log"));
    }

    private static HttpResponse<String> post(String url, String token, String type, String body) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", type)
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static String get(String url, String token) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Authorization", "Bearer " + token)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_secret_on_the_failing_line_of_a_request_body_is_repeated_nowhere(Dialect dialect) throws Exception {
        DbUrl db = TestStores.fresh(dialect, dir);
        StringBuilder logs = new StringBuilder();
        try (Warden warden = Warden.open(
                new StoreLocation(dir.resolve("data"), db), new TestClock(Instant.parse("2026-11-22T12:00:00Z")))) {
            String admin =
                    warden.tokens().create(Role.ADMIN, null, null, "test").token();
            String base = "http://127.0.0.1:" + warden.serve("127.0.0.1", 0).port();
            for (Input in : sources()) {
                String source = in.command()[1];
                String path = in.command()[0].equals("import")
                        ? "/v1/imports/" + source + (source.equals("kubernetes") ? "?cluster=c1" : "")
                        : "/v1/usage/" + source + (source.equals("k8s-audit") ? "?cluster=c1" : "");
                if (source.equals("github")) {
                    continue; // a repository checkout, not a request body
                }
                String type = in.file().endsWith(".csv")
                        ? "text/csv"
                        : in.file().endsWith(".yaml")
                                ? "application/yaml"
                                : in.file().endsWith(".pem") ? "application/x-pem-file" : "application/json";
                HttpResponse<String> r =
                        capturingLogs(() -> uncheckedPost(base + path, admin, type, in.content()), logs);
                assertThat(r.statusCode()).as(in.what() + ": " + r.body()).isIn(201, 400);
                assertNoSecret(in.what() + " (answer)", r.body());
            }
            HttpResponse<String> token =
                    post(base + "/v1/tokens", admin, "application/json", "{\"role\": " + SECRET + "}");
            assertThat(token.statusCode()).isEqualTo(400);
            assertNoSecret("token body", token.body());
            assertNoSecret("GET /v1/imports", get(base + "/v1/imports", admin));
            assertNoSecret("GET /v1/usage/ingests", get(base + "/v1/usage/ingests", admin));
            assertNoSecret("GET /v1/audit", get(base + "/v1/audit?limit=1000", admin));
        }
        assertNoSecret("log lines", logs.toString());
        assertNoSecret("import_runs", table(db, "import_runs"));
        assertNoSecret("usage_ingests", table(db, "usage_ingests"));
        assertNoSecret("audit_log", table(db, "audit_log"));
    }

    private static HttpResponse<String> uncheckedPost(String url, String token, String type, String body) {
        try {
            return post(url, token, type, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_secret_in_a_policy_that_fails_to_reload_is_repeated_nowhere() throws Exception {
        DbUrl db = TestStores.fresh(Dialect.SQLITE, dir);
        try (TestIssuer k8s = new TestIssuer(BrokerHarness.K8S);
                BrokerHarness h = new BrokerHarness(dir.resolve("broker"), db, k8s)) {
            String admin =
                    h.warden.tokens().create(Role.ADMIN, null, null, "test").token();
            Files.writeString(
                    h.dir.resolve("policies/payments.yaml"),
                    BrokerHarness.POLICY.replace(
                            "condition: context.environment == \"prod\"",
                            "condition: context.environment == " + SECRET));
            HttpResponse<String> reload = post(h.base + "/v1/policies/reload", admin, "application/json", "");
            assertThat(reload.statusCode()).as(reload.body()).isEqualTo(422);
            assertThat(reload.body()).contains("payments.yaml:");
            assertNoSecret("reload problem", reload.body());
            Files.writeString(h.dir.resolve("policies/payments.yaml"), "policies:\n  - name: " + SECRET + ": x\n");
            reload = post(h.base + "/v1/policies/reload", admin, "application/json", "");
            assertThat(reload.statusCode()).as(reload.body()).isEqualTo(422);
            assertNoSecret("reload problem", reload.body());
            assertNoSecret("GET /v1/audit", get(h.base + "/v1/audit?limit=1000", admin));
        }
        String audit = table(db, "audit_log");
        assertThat(audit).contains("policy.reload_failed");
        assertNoSecret("audit_log", audit);
    }
}
