package dev.warden.cli;

import static dev.warden.cli.Cli.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code warden demo --no-serve}: loads the demo estate into the store and exits. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void demo_no_serve_loads_a_few_hundred_identities_into_the_data_dir() {
        Cli.Store store = Cli.Store.dataDir(dir.resolve("data"));

        Cli.Loaded first = Cli.Loaded.parse(assertOk(store.run("demo", "--no-serve")));

        assertThat(first.added()).isBetween(100, 2000);
        assertThat(first.updated()).isZero();
        assertThat(first.inStore()).isEqualTo(first.added());
        assertThat(first.store()).isEqualTo("sqlite:" + dir.resolve("data").resolve("warden.db"));
        assertThat(assertOk(store.run(
                                "identities", "list", "--nature", "all", "--format", "json", "--limit", "1000000"))
                        .json())
                .hasSize(first.added());
        assertThat(dir.resolve("data/demo-sources/aws/prod/authorization-details.json"))
                .as("the sources it imported")
                .exists();
        assertThat(assertOk(store.run("imports", "--format", "json")).json())
                .extracting(run -> run.get("source").asText())
                .contains("aws", "kubernetes", "github", "certificates");
    }

    @Test
    void loading_the_demo_twice_the_same_day_changes_nothing() {
        Cli.Store store = Cli.Store.dataDir(dir.resolve("data"));
        Cli.Loaded first = Cli.Loaded.parse(assertOk(store.run("demo", "--no-serve")));
        String idsBefore = ids(store);

        Cli.Loaded second = Cli.Loaded.parse(assertOk(store.run("demo", "--no-serve")));

        assertThat(second.added()).isZero();
        assertThat(second.updated()).isZero();
        assertThat(second.unchanged()).isEqualTo(first.added());
        assertThat(second.inStore()).isEqualTo(first.inStore());
        assertThat(ids(store)).as("same identities, same ids").isEqualTo(idsBefore);
    }

    @Test
    void demo_leaves_an_intact_audit_entry_per_import() {
        Cli.Store store = Cli.Store.dataDir(dir.resolve("data"));
        assertOk(store.run("demo", "--no-serve"));
        assertOk(store.run("demo", "--no-serve"));

        Cli.Result r = assertOk(store.run("audit", "verify", "--format", "json"));

        assertThat(r.json().get("intact").asBoolean()).isTrue();
        long imports = assertOk(store.run("imports", "--limit", "1000", "--format", "json"))
                .json()
                .size();
        assertThat(imports).isGreaterThan(2);
        // every import, the one activity ingestion and scan, and an evaluation per run
        assertThat(r.json().get("checked").asLong()).isEqualTo(imports + 2 + 2);
    }

    @Test
    void demo_ingests_its_activity_once_links_the_leaked_key_and_evaluates_posture() {
        Cli.Store store = Cli.Store.dataDir(dir.resolve("data"));
        Cli.Result first = assertOk(store.run("demo", "--no-serve"));
        assertThat(first.out()).contains("CloudTrail events ingested").contains("1 linked to identities");
        assertThat(first.out()).containsPattern("posture: \\d+ findings \\(\\d+ critical");
        assertThat(dir.resolve("data/demo-sources/cloudtrail/AWSLogs")).isDirectory();

        Cli.Result second = assertOk(store.run("demo", "--no-serve"));
        assertThat(second.out()).as("usage adds up: ingested once").doesNotContain("CloudTrail events ingested");

        var leaked = assertOk(store.run("findings", "--risk", "NHI2", "--format", "json"))
                .json()
                .get("findings");
        assertThat(leaked).singleElement().satisfies(f -> {
            assertThat(f.get("severity").asText()).isEqualTo("critical");
            assertThat(f.get("credential").get("externalId").asText()).startsWith("AKIA");
            assertThat(f.get("evidence").get("location").asText()).isEqualTo("deploy/.env:3");
        });
        for (String risk : new String[] {"NHI8", "NHI9", "NHI10"}) {
            assertThat(assertOk(store.run("findings", "--risk", risk, "--format", "json"))
                            .json()
                            .get("findings"))
                    .as("the demo's activity shows %s", risk)
                    .isNotEmpty();
        }
    }

    private static String ids(Cli.Store store) {
        StringBuilder b = new StringBuilder();
        assertOk(store.run("identities", "list", "--format", "json", "--limit", "1000000"))
                .json()
                .forEach(i -> b.append(i.get("id").asText())
                        .append(' ')
                        .append(i.get("externalId").asText())
                        .append('\n'));
        return b.toString();
    }
}
