package dev.warden.cli;

import static dev.warden.cli.Cli.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.store.Dialect;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The main path a new user walks, on the embedded SQLite store and on PostgreSQL via {@code --db}. */
class HappyPathTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void demo_then_list_show_token_and_audit_verify(Dialect dialect) {
        Cli.Store store = Cli.Store.fresh(dialect, dir);

        Cli.Loaded loaded = Cli.Loaded.parse(assertOk(store.run("demo", "--no-serve")));
        assertThat(loaded.added()).isBetween(100, 2000);
        assertThat(loaded.store()).isEqualTo(store.url().toString());
        Cli.Loaded again = Cli.Loaded.parse(assertOk(store.run("demo", "--no-serve")));
        assertThat(again.added()).isZero();
        assertThat(again.inStore()).isEqualTo(loaded.inStore());

        JsonNode all = assertOk(store.run("identities", "list", "--nature", "all", "--format", "json"))
                .json();
        assertThat(all).hasSize(loaded.added());
        JsonNode unmatched =
                assertOk(store.run("usage", "unmatched", "--format", "json")).json();
        assertThat(unmatched.toString())
                .as("the demo's Lake export holds a user that no import has")
                .contains("user/legacy-etl-2019", "\"sourceType\":\"aws\"");
        Cli.Result table = assertOk(store.run("identities", "list", "--nature", "all"));
        assertThat(table.outLines()).hasSize(loaded.added() + 2).last().isEqualTo(loaded.added() + " identities");
        JsonNode unownedUsers = assertOk(
                        store.run("identities", "list", "--kind", "cloud_user", "--unowned", "--format", "json"))
                .json();
        assertThat(unownedUsers).isNotEmpty().allSatisfy(i -> {
            assertThat(i.get("kind").asText()).isEqualTo("cloud_user");
            assertThat(i.get("businessOwner").isNull()).isTrue();
        });
        assertThat(assertOk(store.run("identities", "list", "--q", "CHECKOUT", "--format", "json"))
                        .json())
                .isNotEmpty()
                .allSatisfy(i -> assertThat(
                                i.get("name").asText() + i.get("externalId").asText())
                        .containsIgnoringCase("checkout"));

        JsonNode first = all.get(0);
        JsonNode shown = assertOk(
                        store.run("identities", "show", first.get("externalId").asText(), "--format", "json"))
                .json();
        assertThat(shown.get("identity")).isEqualTo(first);
        assertThat(assertOk(store.run("identities", "show", first.get("id").asText()))
                        .out())
                .contains(
                        first.get("externalId").asText(),
                        "Entitlements (" + shown.get("entitlements").size() + ")");

        Cli.Result token = store.run("token", "create", "--role", "auditor", "--team", "payments");
        assertThat(token.code()).as("%s", token).isZero();
        assertThat(token.out().strip()).matches(Pattern.compile("wdn_[0-9A-Za-z]{49}"));
        assertThat(assertOk(store.run("token", "list")).out())
                .contains("auditor", "payments")
                .doesNotContain(token.out().strip());

        Cli.Result verify = assertOk(store.run("audit", "verify"));
        long imports = assertOk(store.run("imports", "--limit", "1000", "--format", "json"))
                .json()
                .size();
        // one per import run, the demo's one activity ingestion and scan, a posture evaluation per demo run,
        // and the token
        long entries = imports + 2 + 2 + 1;
        assertThat(verify.out()).startsWith("audit log intact: " + entries + " entries, head " + entries + " ");
    }
}
