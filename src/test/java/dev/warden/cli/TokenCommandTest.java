package dev.warden.cli;

import static dev.warden.cli.Cli.assertError;
import static dev.warden.cli.Cli.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.testing.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code warden token create|list|revoke}: the token is printed once and stored only hashed. */
class TokenCommandTest {
    private static final Pattern TOKEN = Pattern.compile("wdn_[0-9A-Za-z]{49}");
    private static final Pattern CREATED =
            Pattern.compile("created auditor token (\\S+) for team payments; it is shown only now");

    @TempDir
    Path dir;

    @Test
    void create_prints_the_token_alone_on_stdout_and_its_id_on_stderr() {
        Cli.Store store = Cli.Store.dataDir(dir.resolve("data"));

        Cli.Result r = store.run("token", "create", "--role", "auditor", "--team", "payments");

        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.outLines()).singleElement().asString().matches(TOKEN);
        assertThat(r.errLines()).singleElement().asString().matches(CREATED);
    }

    @Test
    void list_shows_the_metadata_but_never_the_token() throws Exception {
        Cli.Store store = Cli.Store.dataDir(dir.resolve("data"));
        Created created = create(store, "auditor", "--team", "payments", "--description", "quarterly audit");

        Cli.Result table = assertOk(store.run("token", "list"));
        Cli.Result json = assertOk(store.run("token", "list", "--format", "json"));

        assertThat(table.outLines()).hasSize(2);
        assertThat(table.outLines().get(0)).matches("ID +ROLE +TEAM +HINT +CREATED +CREATED BY +REVOKED +DESCRIPTION");
        assertThat(table.outLines().get(1))
                .startsWith(created.id() + "  auditor  payments  …"
                        + created.token().substring(49) + "  ")
                .endsWith("  -        quarterly audit");
        assertThat(json.json()).singleElement().satisfies(t -> {
            assertThat(t.get("id").asText()).isEqualTo(created.id());
            assertThat(t.get("role").asText()).isEqualTo("auditor");
            assertThat(t.get("team").asText()).isEqualTo("payments");
            assertThat(t.get("description").asText()).isEqualTo("quarterly audit");
            assertThat(t.get("hint").asText()).isEqualTo(created.token().substring(49));
            assertThat(t.get("createdBy").asText()).startsWith("cli:");
            assertThat(t.get("revokedAt").isNull()).isTrue();
        });
        String secretPart = created.token().substring(4, 40);
        assertThat(table.out() + table.err() + json.out() + json.err()).doesNotContain(secretPart);
        assertThat(storeText(store)).as("the store keeps no copy of the token").doesNotContain(secretPart);
    }

    @Test
    void create_json_prints_the_token_with_its_metadata() {
        Cli.Store store = Cli.Store.dataDir(dir.resolve("data"));

        Cli.Result r = assertOk(store.run("token", "create", "--role", "OPERATOR", "--format", "json"));

        JsonNode body = r.json();
        assertThat(body.get("token").asText()).matches(TOKEN);
        assertThat(body.get("meta").get("role").asText()).isEqualTo("operator");
        assertThat(body.get("meta").get("team").isNull()).isTrue();
        assertThat(body.get("meta").get("hint").asText())
                .isEqualTo(body.get("token").asText().substring(49));
    }

    @Test
    void each_token_is_different() {
        Cli.Store store = Cli.Store.dataDir(dir.resolve("data"));

        Created a = create(store, "admin");
        Created b = create(store, "admin");

        assertThat(a.token()).isNotEqualTo(b.token());
        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(assertOk(store.run("token", "list", "--format", "json")).json())
                .hasSize(2);
    }

    @Test
    void revoke_marks_the_token_revoked_and_a_second_revoke_is_an_error() {
        Cli.Store store = Cli.Store.dataDir(dir.resolve("data"));
        Created keep = create(store, "admin");
        Created gone = create(store, "auditor", "--team", "payments");

        Cli.Result r = assertOk(store.run("token", "revoke", gone.id()));

        assertThat(r.out()).isEqualTo("revoked " + gone.id() + "\n");
        JsonNode tokens =
                assertOk(store.run("token", "list", "--format", "json")).json();
        assertThat(tokens).hasSize(2).anySatisfy(t -> {
            assertThat(t.get("id").asText()).isEqualTo(gone.id());
            assertThat(t.get("revokedAt").asText()).endsWith("Z");
        });
        assertThat(tokens).anySatisfy(t -> {
            assertThat(t.get("id").asText()).isEqualTo(keep.id());
            assertThat(t.get("revokedAt").isNull()).isTrue();
        });
        assertError(store.run("token", "revoke", gone.id()), 2, "no active token with id '" + gone.id() + "'");
    }

    @Test
    void revoke_of_an_unknown_id_exits_2() {
        Cli.Store store = Cli.Store.dataDir(dir.resolve("data"));

        assertError(store.run("token", "revoke", "nope"), 2, "no active token with id 'nope'");
    }

    @Test
    void list_of_an_empty_store_prints_only_the_header() {
        Cli.Store store = Cli.Store.dataDir(dir.resolve("data"));

        assertThat(assertOk(store.run("token", "list")).outLines()).hasSize(1);
        assertThat(assertOk(store.run("token", "list", "--format", "json")).json())
                .isEmpty();
    }

    /** A token the CLI created: its id (from stderr) and the token (from stdout). */
    record Created(String id, String token) {}

    private static Created create(Cli.Store store, String role, String... options) {
        String[] args = new String[4 + options.length];
        args[0] = "token";
        args[1] = "create";
        args[2] = "--role";
        args[3] = role;
        System.arraycopy(options, 0, args, 4, options.length);
        Cli.Result r = store.run(args);
        assertThat(r.code()).as("%s", r).isZero();
        String token = r.out().strip();
        assertThat(token).matches(TOKEN);
        Matcher m = Pattern.compile("created [a-z]+ token ([0-9a-f-]{36})").matcher(r.err());
        assertThat(m.find()).as("%s", r).isTrue();
        return new Created(m.group(1), token);
    }

    /** Every value in every row of the store's api_tokens and audit_log tables, and the raw SQLite files. */
    private static String storeText(Cli.Store store) throws Exception {
        StringBuilder b = new StringBuilder();
        try (Connection c = TestStores.connect(store.url());
                Statement st = c.createStatement()) {
            for (String table : new String[] {"api_tokens", "audit_log"}) {
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        for (int col = 1; col <= md.getColumnCount(); col++) {
                            b.append(rs.getString(col)).append('|');
                        }
                        b.append('\n');
                    }
                }
            }
        }
        try (Stream<Path> files = Files.list(store.url().sqlitePath().getParent())) {
            for (Path f : files.toList()) {
                b.append(Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
        return b.toString();
    }
}
