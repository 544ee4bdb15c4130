package dev.warden.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SARIF output validates against the official OASIS SARIF 2.1.0 schema (test resource). */
class SarifTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private static JsonSchema schema() throws Exception {
        try (InputStream in = SarifTest.class.getResourceAsStream("/scan/sarif-schema-2.1.0.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
    }

    private Report report(String mode, List<Hit> hits, ScanStats stats) {
        return new Report(
                "test",
                mode,
                List.of(dir.toString()),
                Instant.parse("2026-06-01T12:00:00Z"),
                Instant.parse("2026-06-01T12:00:01Z"),
                "ephemeral",
                stats.summary(),
                BuiltinRules.all(RuleContractTest.CLOCK),
                hits);
    }

    @Test
    void file_scan_sarif_is_valid_and_carries_rules_locations_and_fingerprints_but_no_secret() throws Exception {
        Files.writeString(
                dir.resolve("app env.yml"),
                "password: \"Xk9#mP2$vL7qR!\"\ntoken: ghp_" + Samples.random(Samples.ALNUM, 36, 3) + "\n");
        Engine engine = new Engine(RuleSet.defaults(RuleContractTest.CLOCK), Fingerprinter.ephemeral());
        ScanStats stats = new ScanStats();
        List<Hit> hits = new FileScanner(engine, FileScanner.Options.defaults()).scan(List.of(dir), stats);
        assertThat(hits).hasSize(2);
        String sarif = ReportWriter.sarif(report("files", hits, stats), false, dir);
        JsonNode doc = MAPPER.readTree(sarif);
        Set<ValidationMessage> errors = schema().validate(doc);
        assertThat(errors).isEmpty();
        JsonNode run = doc.get("runs").get(0);
        JsonNode result = run.get("results").get(0);
        assertThat(result.get("ruleId").asText()).isEqualTo(hits.get(0).rule());
        assertThat(run.get("tool")
                        .get("driver")
                        .get("rules")
                        .get(result.get("ruleIndex").asInt())
                        .get("id")
                        .asText())
                .isEqualTo(result.get("ruleId").asText());
        assertThat(result.at("/locations/0/physicalLocation/artifactLocation/uri")
                        .asText())
                .isEqualTo(ReportWriter.uri(hits.get(0).path()));
        assertThat(result.at("/partialFingerprints/secretFingerprint~1v1").asText())
                .matches("[0-9a-f]{64}");
        for (Hit h : hits) {
            assertThat(sarif).doesNotContain(h.secret());
        }
        assertThat(MAPPER.readTree(ReportWriter.sarif(report("files", hits, stats), true, dir))
                        .toString())
                .contains(hits.get(1).secret());
    }

    @Test
    void a_secret_inside_nested_archives_is_located_by_its_bang_path_in_valid_sarif() throws Exception {
        byte[] env =
                ("GITHUB_TOKEN=ghp_" + Samples.random(Samples.ALNUM, 36, 8) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] inner = ArchiveScannerTest.gzip(ArchiveScannerTest.tar(Map.of("file.properties", env)));
        Files.write(dir.resolve("outer.zip"), ArchiveScannerTest.zip(Map.of("dir/inner.tar.gz", inner)));
        Engine engine = new Engine(RuleSet.defaults(RuleContractTest.CLOCK), Fingerprinter.ephemeral());
        ScanStats stats = new ScanStats();
        List<Hit> hits = new FileScanner(engine, FileScanner.Options.defaults()).scan(List.of(dir), stats);
        assertThat(hits).extracting(Hit::path).containsExactly(dir + "/outer.zip!dir/inner.tar.gz!file.properties");
        JsonNode doc = MAPPER.readTree(ReportWriter.sarif(report("files", hits, stats), false, dir));
        assertThat(schema().validate(doc)).isEmpty();
        assertThat(doc.at("/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri")
                        .asText())
                .endsWith("/outer.zip!dir/inner.tar.gz!file.properties");
    }

    @Test
    void history_scan_sarif_with_commits_and_an_empty_run_are_valid() throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            Files.writeString(dir.resolve("k.env"), "GITHUB_TOKEN=ghp_" + Samples.random(Samples.ALNUM, 36, 4) + "\n");
            git.add().addFilepattern("k.env").call();
            git.commit()
                    .setMessage("add")
                    .setAuthor("A", "a@example.org")
                    .setCommitter("A", "a@example.org")
                    .call();
        }
        Engine engine = new Engine(RuleSet.defaults(RuleContractTest.CLOCK), Fingerprinter.ephemeral());
        ScanStats stats = new ScanStats();
        List<Hit> hits = new GitScanner(engine, new GitScanner.Options(true, null, 1 << 20, 1)).history(dir, stats);
        assertThat(hits).hasSize(1);
        JsonNode doc = MAPPER.readTree(ReportWriter.sarif(report("git", hits, stats), false, dir));
        assertThat(schema().validate(doc)).isEmpty();
        assertThat(doc.at("/runs/0/results/0/properties/commit").asText()).hasSize(40);
        JsonNode empty = MAPPER.readTree(ReportWriter.sarif(report("files", List.of(), new ScanStats()), false, null));
        assertThat(schema().validate(empty)).isEmpty();
    }

    @Test
    void the_schema_rejects_what_is_not_sarif() throws Exception {
        assertThat(schema().validate(MAPPER.readTree("{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{}}]}")))
                .isNotEmpty();
    }
}
