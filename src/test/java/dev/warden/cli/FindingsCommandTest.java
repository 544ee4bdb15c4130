package dev.warden.cli;

import static dev.warden.cli.Cli.assertError;
import static dev.warden.cli.Cli.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.discovery.Fixture;
import dev.warden.store.Dialect;
import dev.warden.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code warden findings}, {@code warden findings accept} and {@code warden report}, as a shell runs them. */
class FindingsCommandTest {
    @TempDir
    Path dir;

    private Cli.Store store;

    @BeforeEach
    void importAws() {
        store = Cli.Store.fresh(Dialect.SQLITE, dir);
        load(store);
    }

    private static void load(Cli.Store s) {
        assertThat(s.run(
                                "import",
                                "aws",
                                Fixture.path("discovery/aws/authorization-details.json")
                                        .toString(),
                                Fixture.path("discovery/aws/credential-report.csv")
                                        .toString(),
                                Fixture.path("discovery/aws/list-access-keys.json")
                                        .toString())
                        .code())
                .isZero();
    }

    private long count(Cli.Store s, String sql) throws Exception {
        try (Connection c = TestStores.connect(s.url());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String today(int plusDays) {
        return LocalDate.now(ZoneOffset.UTC).plusDays(plusDays).toString();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void findings_evaluates_stores_and_lists_in_every_format(Dialect dialect) throws Exception {
        Cli.Store s = dialect == Dialect.SQLITE ? store : Cli.Store.fresh(dialect, dir);
        if (s != store) {
            load(s);
        }
        JsonNode json = assertOk(s.run("findings", "--format", "json")).json();
        assertThat(json.get("evaluation").get("persisted").asBoolean()).isTrue();
        assertThat(json.get("truncated").asBoolean()).isFalse();
        List<JsonNode> findings = new ArrayList<>();
        json.get("findings").forEach(findings::add);
        assertThat(findings).isNotEmpty().allSatisfy(f -> {
            assertThat(f.get("risk").asText()).matches("NHI([1-9]|10)|LIFECYCLE");
            assertThat(f.get("nist")).isNotEmpty();
            assertThat(f.get("evidence").size()).isPositive();
            assertThat(f.get("identity").get("externalId").asText()).startsWith("arn:aws:iam::111122223333:");
        });
        assertThat(findings)
                .extracting(f -> f.get("checkId").asText())
                .contains("nhi5-admin", "nhi6-oidc-trust-subject", "nhi4-static-credentials", "nhi7-credential-age");
        assertThat(findings)
                .noneMatch(f -> f.get("identity").get("name").asText().equals("alice.smith"));
        assertThat(count(s, "SELECT COUNT(*) FROM posture_evaluations")).isEqualTo(1);

        Cli.Result table = assertOk(s.run("findings"));
        assertThat(table.outLines().get(0)).startsWith("ID").contains("SEVERITY", "RISK", "CHECK", "IDENTITY");
        assertThat(table.out())
                .contains(findings.size() + " findings")
                .containsPattern("evaluation \\S+ at \\S+: \\d+ machine identities, \\d+ open, 0 accepted \\(0 new");

        Cli.Result csv = assertOk(s.run("findings", "--format", "csv", "--risk", "NHI6"));
        assertThat(csv.outLines().get(0)).startsWith("id,severity,risk,check,status,nist,");
        assertThat(csv.outLines()).hasSizeGreaterThan(1);
        assertThat(csv.outLines().subList(1, csv.outLines().size()))
                .allSatisfy(l -> assertThat(l).contains(",NHI6,"));
        assertThat(count(s, "SELECT COUNT(*) FROM posture_evaluations")).isEqualTo(3);
    }

    @Test
    void filters_and_fail_on_decide_the_exit_code() {
        JsonNode high = assertOk(store.run("findings", "--risk", "nhi5", "--severity", "HIGH", "--format", "json"))
                .json()
                .get("findings");
        assertThat(high).isNotEmpty().allSatisfy(f -> {
            assertThat(f.get("risk").asText()).isEqualTo("NHI5");
            assertThat(f.get("severity").asText()).isIn("high", "critical");
        });
        Cli.Result failed = store.run("findings", "--fail-on", "critical");
        assertThat(failed.code()).as("%s", failed).isEqualTo(1);
        assertThat(failed.out()).contains("critical");
        assertThat(failed.err()).isEmpty();
        assertOk(store.run("findings", "--risk", "NHI7", "--fail-on", "critical"));
        assertOk(store.run("findings", "--status", "resolved", "--fail-on", "info"));
    }

    @Test
    void as_of_is_read_only_and_reproducible() throws Exception {
        JsonNode a = assertOk(store.run("findings", "--as-of", "2026-06-01", "--format", "json"))
                .json();
        JsonNode b = assertOk(store.run("findings", "--as-of", "2026-06-01T23:59:59.999Z", "--format", "json"))
                .json();
        assertThat(a.get("findings")).isEqualTo(b.get("findings"));
        assertThat(a.get("evaluation").get("persisted").asBoolean()).isFalse();
        assertThat(a.get("evaluation").get("asOf").asText()).isEqualTo("2026-06-01T23:59:59.999Z");
        assertThat(count(store, "SELECT COUNT(*) FROM posture_evaluations")).isZero();
        assertThat(count(store, "SELECT COUNT(*) FROM findings")).isZero();
        assertThat(assertOk(store.run("findings", "--as-of", "2026-06-01")).out())
                .contains("(not stored)");
    }

    @Test
    void bad_options_exit_2_with_one_line_and_write_nothing() throws Exception {
        Path unknownKey = dir.resolve("bad.yaml");
        Files.writeString(unknownKey, "nhi1:\n  dormantDay: 60\n");
        Path negative = dir.resolve("neg.yaml");
        Files.writeString(negative, "nhi7: {maxCredentialAgeDays: -1}\n");
        long audit = count(store, "SELECT COUNT(*) FROM audit_log");
        String[][] bad = {
            {"--risk", "NHI11"}, {"unknown risk 'NHI11'"},
            {"--severity", "urgent"}, {"unknown severity 'urgent'"},
            {"--fail-on", "meh"}, {"unknown severity 'meh'"},
            {"--status", "closed"}, {"unknown status 'closed'"},
            {"--as-of", "yesterday"}, {"--as-of 'yesterday' is not an ISO-8601 instant"},
            {"--as-of", "1999-01-01"}, {"is before 2000-01-01"},
            {"--as-of", "2999-01-01"}, {"is in the future"},
            {"--as-of", "2026-02-30"}, {"is not an ISO-8601"},
            {"--format", "xml"}, {"unknown format 'xml'"},
            {"--limit", "0"}, {"--limit must be between 1 and 1000000"},
            {"--policy", dir.resolve("missing.yaml").toString()}, {"does not exist"},
            {"--policy", unknownKey.toString()}, {"unknown key 'nhi1.dormantDay'"},
            {"--policy", negative.toString()}, {"nhi7.maxCredentialAgeDays must be between 1 and 36500, not -1"},
            {"--identity", "arn:aws:iam::111122223333:role/nope"}, {"no identity"}
        };
        for (int i = 0; i < bad.length; i += 2) {
            List<String> args = new ArrayList<>(List.of("findings"));
            args.addAll(List.of(bad[i]));
            assertError(store.run(args.toArray(new String[0])), 2, bad[i + 1][0]);
        }
        assertThat(count(store, "SELECT COUNT(*) FROM posture_evaluations")).isZero();
        assertThat(count(store, "SELECT COUNT(*) FROM findings")).isZero();
        assertThat(count(store, "SELECT COUNT(*) FROM audit_log")).isEqualTo(audit);
    }

    @Test
    void accept_needs_a_reason_and_an_expiry_within_180_days_and_is_audited() throws Exception {
        JsonNode f = assertOk(store.run("findings", "--risk", "NHI1", "--format", "json"))
                .json()
                .get("findings")
                .get(0);
        String id = f.get("id").asText();
        String[][] bad = {
            {id, "--until", today(10)},
            {"Missing required option: '--reason=TEXT'"},
            {id, "--reason", "ok"},
            {"Missing required option: '--until=DATE'"},
            {id, "--reason", " ", "--until", today(10)},
            {"a reason is required"},
            {id, "--reason", "ok", "--until", today(200)},
            {"is more than 180 days ahead"},
            {id, "--reason", "ok", "--until", today(-1)},
            {"is in the past"},
            {id, "--reason", "ok", "--until", "someday"},
            {"is not an ISO-8601"},
            {"nope", "--reason", "ok", "--until", today(10)},
            {"no finding 'nope'"},
            {f.get("identity").get("id").asText() + "-0123456789abcdef", "--reason", "ok", "--until", today(10)},
            {"no finding"}
        };
        for (int i = 0; i < bad.length; i += 2) {
            List<String> args = new ArrayList<>(List.of("findings", "accept"));
            args.addAll(List.of(bad[i]));
            assertError(store.run(args.toArray(new String[0])), 2, bad[i + 1][0]);
        }
        assertThat(count(store, "SELECT COUNT(*) FROM audit_log WHERE action = 'finding.accept'"))
                .isZero();

        Cli.Result ok = assertOk(
                store.run("findings", "accept", id, "--reason", "vendor role, reviewed", "--until", today(30)));
        assertThat(ok.out()).startsWith("accepted " + id).contains("approved by cli:");
        JsonNode accepted = assertOk(store.run("findings", "--status", "accepted", "--format", "json"))
                .json()
                .get("findings");
        assertThat(accepted).singleElement().satisfies(a -> {
            assertThat(a.get("id").asText()).isEqualTo(id);
            assertThat(a.get("acceptance").get("reason").asText()).isEqualTo("vendor role, reviewed");
        });
        assertThat(count(store, "SELECT COUNT(*) FROM audit_log WHERE action = 'finding.accept'"))
                .isEqualTo(1);
        assertOk(store.run("audit", "verify"));
    }

    @Test
    void report_renders_the_latest_evaluation_for_an_auditor() throws Exception {
        assertError(store.run("report", "owasp-nhi"), 2, "no evaluation yet");
        assertError(store.run("report", "iso-27001"), 2, "unknown report 'iso-27001'");
        assertError(
                store.run("report", "owasp-nhi", "--format", "pdf"),
                2,
                "unknown format 'pdf' (expected md, json or html)");
        assertError(store.run("report", "owasp-nhi", "--top", "0"), 2, "--top must be between 1 and 100");
        assertOk(store.run("findings"));
        assertOk(store.run("findings"));

        String md = assertOk(store.run("report", "owasp-nhi")).out();
        assertThat(md).startsWith("# Warden posture report: OWASP Non\\-Human Identities Top 10 \\(2025\\)");
        assertThat(md).contains("| NHI5 Overprivileged NHI |").contains("## NHI6:");
        JsonNode json = Cli.json(
                assertOk(store.run("report", "nist-csf", "--format", "json")).out());
        assertThat(json.get("framework").asText()).isEqualTo("nist-csf");
        assertThat(json.get("sections").get(0).get("change").asLong()).isZero();

        Path html = dir.resolve("report.html");
        assertThat(assertOk(store.run("report", "owasp-nhi", "--format", "html", "--output", html.toString()))
                        .out())
                .contains("wrote owasp-nhi report to");
        assertThat(Files.readString(html))
                .startsWith("<!DOCTYPE html>")
                .contains("</html>")
                .doesNotContain("<script");
        // an output that is a link (or a device such as /dev/null) is written through, not replaced
        Path real = dir.resolve("real.md");
        Path link = Files.createSymbolicLink(dir.resolve("link.md"), real);
        assertOk(store.run("report", "owasp-nhi", "--output", link.toString()));
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).startsWith("# Warden posture report");
        assertError(
                store.run(
                        "report",
                        "owasp-nhi",
                        "--output",
                        dir.resolve("no/such/dir/r.md").toString()),
                2,
                "its directory does not exist");
    }
}
