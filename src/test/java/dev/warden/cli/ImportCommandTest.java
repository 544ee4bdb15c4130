package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.discovery.Fixture;
import dev.warden.store.Dialect;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code warden import} on a file with a record it cannot understand: exit 1 and the skip, or --strict. */
class ImportCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void skipped_records_are_shown_and_exit_1_and_strict_refuses_with_exit_2(Dialect dialect) throws Exception {
        Cli.Store store = Cli.Store.fresh(dialect, dir);
        String bad = Fixture.path("discovery/aws-variants/one-bad-record.json").toString();

        Cli.Result strict = store.run("import", "aws", "--strict", bad);
        assertThat(strict.code()).as(strict.toString()).isEqualTo(2);
        assertThat(strict.err()).contains("one-bad-record.json").contains("/UserDetailList/1");

        Cli.Result lenient = store.run("import", "aws", bad);
        assertThat(lenient.code()).as(lenient.toString()).isEqualTo(1);
        assertThat(lenient.out())
                .contains("2 added")
                .contains("skipped: " + bad + " /UserDetailList/1")
                .contains("not an IAM ARN");

        Cli.Result runs = store.run("imports", "--format", "json");
        assertThat(runs.code()).as(runs.toString()).isZero();
        JsonNode latest = new ObjectMapper().readTree(runs.out()).get(0);
        assertThat(latest.get("skipped").asInt()).isEqualTo(1);
        assertThat(latest.get("skips").get(0).get("pointer").asText()).isEqualTo("/UserDetailList/1");
    }
}
