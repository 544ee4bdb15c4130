package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.inventory.Credential;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.CredentialStatus;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.IdentityStatus;
import dev.warden.inventory.Source;
import dev.warden.store.DbUrl;
import dev.warden.store.Dialect;
import dev.warden.testing.Fixtures;
import dev.warden.testing.TestClock;
import dev.warden.testing.TestStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code warden scan} end to end: exit codes, formats, baselines, history, the store. */
class ScanCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private Path repo;
    private final String token =
            "ghp_" + random("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 36, 5);
    private final String keyId = "AKIA" + random("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, 6);

    private static String random(String alphabet, int n, long seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeEach
    void tree() throws Exception {
        repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve("config"));
        Files.writeString(repo.resolve("config/app.env"), "LOG=info\nGITHUB_TOKEN=" + token + "\n");
        Files.writeString(repo.resolve("README.md"), "# nothing secret\n");
    }

    @Test
    void findings_exit_1_with_a_redacted_table_and_a_clean_tree_exits_0() throws Exception {
        Run r = run("scan", repo.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.out())
                .contains("github-token")
                .contains("config/app.env:2:14")
                .contains("ghp_*****")
                .doesNotContain(token);
        assertThat(r.err()).contains("1 finding (2 files");
        Path clean = dir.resolve("clean");
        Files.createDirectories(clean);
        Files.writeString(clean.resolve("a.txt"), "hello\n");
        assertThat(run("scan", clean.toString()).code()).isZero();
        assertThat(run("scan", "--no-fail-on-findings", repo.toString()).code()).isZero();
        assertThat(run("scan", "--no-redact", repo.toString()).out()).contains(token);
    }

    @Test
    void json_and_sarif_reports_go_to_stdout_or_a_file() throws Exception {
        JsonNode json =
                MAPPER.readTree(run("scan", "--format", "json", repo.toString()).out());
        JsonNode f = json.get("findings").get(0);
        assertThat(f.get("rule").asText()).isEqualTo("github-token");
        assertThat(f.get("file").asText()).endsWith("config/app.env");
        assertThat(f.get("line").asInt()).isEqualTo(2);
        assertThat(f.get("column").asInt()).isEqualTo(14);
        assertThat(f.get("fingerprint").asText()).matches("[0-9a-f]{64}");
        assertThat(f.get("entropy").asDouble()).isGreaterThan(4);
        assertThat(f.get("confidence").asText()).isEqualTo("high");
        assertThat(f.has("secret")).isFalse();
        assertThat(json.get("fingerprintKey").asText()).isEqualTo("ephemeral");
        Path sarif = dir.resolve("out.sarif");
        Run r = run("scan", "--format", "sarif", "--output", sarif.toString(), repo.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(MAPPER.readTree(sarif.toFile()).get("version").asText()).isEqualTo("2.1.0");
    }

    @Test
    void a_baseline_accepts_known_secrets_and_new_ones_still_fail() throws Exception {
        Path baseline = dir.resolve("baseline.json");
        Run w = run("scan", "--write-baseline", baseline.toString(), repo.toString());
        assertThat(w.code()).isZero();
        assertThat(Files.readString(baseline)).doesNotContain(token).contains("\"wardenBaseline\" : 1");
        Run accepted = run("scan", "--baseline", baseline.toString(), repo.toString());
        assertThat(accepted.code()).as(accepted.err()).isZero();
        assertThat(accepted.err()).contains("1 baseline");
        Files.writeString(repo.resolve("config/new.env"), "AWS_ACCESS_KEY_ID=" + keyId + "\n");
        Run fresh = run("scan", "--baseline", baseline.toString(), repo.toString());
        assertThat(fresh.code()).isEqualTo(1);
        assertThat(fresh.out()).contains("aws-access-key-id").doesNotContain("github-token");
        Files.writeString(baseline, "{not json");
        Run broken = run("scan", "--baseline", baseline.toString(), repo.toString());
        assertThat(broken.code()).isEqualTo(2);
        assertThat(broken.err()).contains("baseline " + baseline + ": malformed JSON");
    }

    @Test
    void usage_and_input_errors_exit_2_with_one_line() throws Exception {
        for (String[] args : List.of(
                new String[] {"scan", "--all-refs", repo.toString()},
                new String[] {"scan", "--git", "--staged", repo.toString()},
                new String[] {"scan", dir.resolve("missing").toString()},
                new String[] {"scan", "--max-file-size", "lots", repo.toString()},
                new String[] {"scan", "--format", "xml", repo.toString()},
                new String[] {"scan", "--max-archive-depth", "-1", repo.toString()},
                new String[] {"scan", "--max-archive-depth", "99", repo.toString()},
                new String[] {"scan", "--git", repo.toString()},
                new String[] {"scan", "--rules", dir.resolve("none.toml").toString(), repo.toString()})) {
            Run r = run(args);
            assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err())
                    .startsWith("warden: error: ")
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ");
        }
        Path rules = dir.resolve("evil.toml");
        Files.writeString(rules, "[[rules]]\nid = \"evil\"\nregex = '''(a{1000}){1000}'''\n");
        Run r = run("scan", "--rules", rules.toString(), repo.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("rule 'evil'").contains("refused");
    }

    @Test
    void git_history_and_staged_modes_work_on_a_real_repository() throws Exception {
        try (Git git =
                Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("add")
                    .setAuthor("A", "a@example.org")
                    .setCommitter("A", "a@example.org")
                    .call();
            Files.writeString(repo.resolve("config/app.env"), "LOG=info\n");
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("remove")
                    .setAuthor("A", "a@example.org")
                    .setCommitter("A", "a@example.org")
                    .call();
            Run h = run("scan", "--git", "--format", "json", repo.toString());
            assertThat(h.code()).isEqualTo(1);
            JsonNode f = MAPPER.readTree(h.out()).get("findings").get(0);
            assertThat(f.get("commit").asText()).hasSize(40);
            assertThat(f.get("presentAtHead").asBoolean()).isFalse();
            assertThat(run("scan", "--staged", repo.toString()).code()).isZero();
            Files.writeString(repo.resolve("new.env"), "AWS_ACCESS_KEY_ID=" + keyId + "\n");
            git.add().addFilepattern("new.env").call();
            Run s = run("scan", "--staged", repo.toString());
            assertThat(s.code()).isEqualTo(1);
            assertThat(s.out()).contains("new.env:1:19");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void with_a_store_hits_are_linked_recorded_and_shown_on_the_identity(Dialect dialect) throws Exception {
        DbUrl url = TestStores.fresh(dialect, dir);
        String identityId;
        try (Warden w = Warden.open(new StoreLocation(dir, url), new TestClock(Fixtures.T0))) {
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
            Identity user = new Identity(
                    null,
                    IdentityKind.CLOUD_USER,
                    "deployer",
                    "arn:aws:iam::111122223333:user/deployer",
                    Source.of("aws", "111122223333"),
                    "prod",
                    "team-pay",
                    null,
                    null,
                    null,
                    null,
                    IdentityStatus.ACTIVE,
                    null,
                    Map.of(),
                    null,
                    Fixtures.T0,
                    Fixtures.T0);
            w.inventory()
                    .load(List.of(new IdentityRecord(user, List.of(key), List.of())), "t", "inventory.load", Map.of());
            identityId = w.inventory()
                    .show("arn:aws:iam::111122223333:user/deployer", null)
                    .orElseThrow()
                    .identity()
                    .id();
        }
        Files.writeString(repo.resolve("config/aws.env"), "AWS_ACCESS_KEY_ID=" + keyId + "\n");
        String db = dialect == Dialect.SQLITE
                ? "sqlite:" + url.sqlitePath()
                : TestStores.postgresUrl(url.toString().substring(url.toString().lastIndexOf('/') + 1));
        String[] args = {"scan", "--db", db, "--format", "json", repo.toString()};
        Run r = run(args);
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("recorded as scan ");
        JsonNode report = MAPPER.readTree(r.out());
        assertThat(report.get("fingerprintKey").asText()).isEqualTo("store");
        JsonNode aws = null;
        for (JsonNode f : report.get("findings")) {
            if (f.get("rule").asText().equals("aws-access-key-id")) {
                aws = f;
            }
        }
        assertThat(aws).isNotNull();
        assertThat(aws.get("severity").asText()).isEqualTo("critical");
        assertThat(aws.get("identityId").asText()).isEqualTo(identityId);

        Run show = run("identities", "show", identityId, "--db", db, "--format", "json");
        JsonNode leaks = MAPPER.readTree(show.out()).get("leaks");
        assertThat(leaks).hasSize(1);
        assertThat(leaks.get(0).get("fingerprint").asText())
                .isEqualTo(aws.get("fingerprint").asText());
        Run table = run("identities", "show", identityId, "--db", db);
        assertThat(table.out())
                .contains("Leaks (1)")
                .contains("aws-access-key-id")
                .contains("critical");
        // the same secret fingerprints alike across runs: the key lives in the store
        Run again = run(args);
        assertThat(MAPPER.readTree(again.out()).toString())
                .contains(aws.get("fingerprint").asText());
    }
}
