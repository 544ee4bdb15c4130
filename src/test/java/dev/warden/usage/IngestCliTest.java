package dev.warden.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.cli.Main;
import dev.warden.discovery.Fixture;
import dev.warden.store.DbUrl;
import dev.warden.store.Dialect;
import dev.warden.testing.TestStores;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code warden ingest} as a shell runs it: exit 0 clean, 1 skipped or refused, 2 usage error. */
class IngestCliTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private List<String> store = List.of();

    private void store(Dialect dialect) {
        if (dialect == Dialect.SQLITE) {
            store = List.of("--data-dir", dir.resolve("data").toString());
        } else {
            DbUrl pg = TestStores.freshPostgres();
            String db = pg.toString().substring(pg.toString().lastIndexOf('/') + 1);
            store = List.of("--db", TestStores.postgresUrl(db));
        }
    }

    private Result warden(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(store);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(all.toArray(new String[0]), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static String fixture(String name) {
        return Fixture.path("usage/" + name).toString();
    }

    private static void assertNoStackTrace(Result r) {
        assertThat(r.out() + r.err())
                .as("%s", r)
                .doesNotContainPattern("(?m)^\\s+at [\\w$.]+\\(")
                .doesNotContain("Exception");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void a_clean_ingest_exits_0_and_says_what_it_did(Dialect dialect) {
        store(dialect);
        Result r = warden("ingest", "cloudtrail", fixture("cloudtrail/api-calls.json"), fixture("cloudtrail/AWSLogs"));
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .startsWith("ingest ")
                .contains(
                        "(cloudtrail): succeeded, 5 files, 15 events, 0 records skipped, 15 events of identities not in the"
                                + " inventory (kept)");
    }

    @Test
    void a_kubernetes_audit_log_is_ingested_for_the_named_cluster() {
        store(Dialect.SQLITE);
        Result r = warden(
                "ingest", "k8s-audit", fixture("k8s-audit/audit.log"), "--cluster", "prod-eu-1", "--format", "json");
        assertThat(r.code()).as("%s", r).isZero();
        JsonNode run = json(r.out());
        assertThat(run.get("format").asText()).isEqualTo("k8s-audit");
        assertThat(run.get("events").asLong()).isEqualTo(8);
        assertThat(run.get("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void skipped_records_exit_1_and_are_listed_with_file_and_position() {
        store(Dialect.SQLITE);
        String bad = fixture("cloudtrail/malformed-records.json");
        Result r = warden("ingest", "cloudtrail", bad);
        assertThat(r.code()).as("%s", r).isEqualTo(1);
        assertThat(r.out().lines().toList())
                .contains("  " + bad + " Records[0]: missing eventTime")
                .contains("  " + bad + " Records[6]: IdentityCenterUser is a person signed in through IAM Identity"
                        + " Center, not a machine identity");
        assertNoStackTrace(r);
    }

    @Test
    void a_refused_file_exits_1_and_names_the_file() throws IOException {
        store(Dialect.SQLITE);
        Path corrupt = dir.resolve("111122223333_CloudTrail_eu-west-1_20260530T0915Z_x.json.gz");
        Files.write(corrupt, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3});
        Result r = warden("ingest", "cloudtrail", corrupt.toString());
        assertThat(r.code()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).contains(": failed, 1 files, 0 events").contains("  " + corrupt + ": corrupt gzip");
        assertNoStackTrace(r);
    }

    @Test
    void usage_errors_exit_2_with_one_line_and_no_stack_trace() throws IOException {
        store(Dialect.SQLITE);
        String log = fixture("k8s-audit/audit.log");
        Path emptyDir = Files.createDirectories(dir.resolve("empty"));
        List<List<String>> cases = List.of(
                List.of("ingest", "syslog", log),
                List.of("ingest", "cloudtrail", dir.resolve("nope.json").toString()),
                List.of("ingest", "cloudtrail", emptyDir.toString()),
                List.of("ingest", "k8s-audit", log),
                List.of("ingest", "k8s-audit", log, "--cluster", "prod eu 1"),
                List.of("ingest", "cloudtrail"),
                List.of("ingest", "cloudtrail", log, "--format", "xml"));
        List<String> fragments = List.of(
                "unknown log format 'syslog' (known: cloudtrail, k8s-audit, vault-audit)",
                "no such file or directory",
                "no input files found",
                "--cluster NAME",
                "cluster must be",
                "FILE|DIR",
                "'xml'");
        for (int i = 0; i < cases.size(); i++) {
            Result r = warden(cases.get(i).toArray(new String[0]));
            assertThat(r.code()).as("%s", r).isEqualTo(2);
            assertThat(r.out()).as("%s", r).isEmpty();
            assertThat(r.err().lines().findFirst().orElse(""))
                    .as("%s", r)
                    .startsWith("warden: error: ")
                    .contains(fragments.get(i));
            assertNoStackTrace(r);
        }
        Result runs = warden("ingest", "--help");
        assertThat(runs.code()).isZero();
        assertThat(runs.out()).contains("--cluster=NAME");
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
