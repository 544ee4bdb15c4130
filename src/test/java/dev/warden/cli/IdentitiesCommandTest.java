package dev.warden.cli;

import static dev.warden.cli.Cli.assertError;
import static dev.warden.cli.Cli.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code warden identities list|show} over the demo estate in a SQLite data directory. */
class IdentitiesCommandTest {
    @TempDir
    static Path dir;

    private static Cli.Store store;
    private static List<JsonNode> all;

    @BeforeAll
    static void load_the_demo_estate() {
        store = Cli.Store.dataDir(dir.resolve("data"));
        assertOk(store.run("demo", "--no-serve"));
        all = list("--limit", "1000000");
    }

    @Test
    void list_prints_a_table_of_every_identity_and_a_count() {
        Cli.Result r = assertOk(store.run("identities", "list"));

        List<String> lines = r.outLines();
        assertThat(lines.get(0)).matches("ID +KIND +NAME +SOURCE +ENV +OWNER +STATUS");
        assertThat(lines.get(lines.size() - 1)).isEqualTo(all.size() + " identities");
        assertThat(lines).hasSize(all.size() + 2);
        JsonNode first = all.get(0);
        assertThat(lines.get(1))
                .startsWith(first.get("id").asText() + "  ")
                .contains(first.get("kind").asText(), first.get("name").asText());
    }

    @Test
    void list_limit_cuts_the_table_and_says_there_is_more() {
        Cli.Result r = assertOk(store.run("identities", "list", "--limit", "5"));

        assertThat(r.outLines()).hasSize(7).last().isEqualTo("5+ identities (raise --limit for more)");
        assertThat(list("--limit", "5")).containsExactlyElementsOf(all.subList(0, 5));
    }

    @Test
    void list_json_is_an_array_of_complete_identities_with_unique_ids() {
        assertThat(all.size()).isBetween(100, 2000);
        Set<String> ids = new HashSet<>();
        for (JsonNode i : all) {
            assertThat(ids.add(i.get("id").asText())).isTrue();
            assertThat(i.get("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
            assertThat(i.get("kind").asText()).matches("[a-z_]+");
            assertThat(i.get("name").asText()).isNotBlank();
            assertThat(i.get("externalId").asText()).isNotBlank();
            assertThat(i.get("source").get("type").asText()).isNotBlank();
            assertThat(i.get("status").asText()).isNotBlank();
            assertThat(i.get("firstSeen").asText()).endsWith("Z");
        }
        assertThat(all)
                .extracting(i -> i.get("kind").asText())
                .contains("cloud_user", "cloud_role", "kubernetes_service_account");
    }

    @Test
    void kind_filter_keeps_only_that_kind() {
        List<JsonNode> users = list("--kind", "cloud_user");

        assertThat(users).isNotEmpty().hasSizeLessThan(all.size());
        assertThat(users).allSatisfy(i -> assertThat(i.get("kind").asText()).isEqualTo("cloud_user"));
        assertThat(list("--kind", "CLOUD_USER")).as("case-insensitive").hasSameSizeAs(users);
        assertThat(users).hasSize(count(i -> i.get("kind").asText().equals("cloud_user")));
    }

    @Test
    void source_filter_takes_a_type_or_a_type_and_scope() {
        List<JsonNode> kubernetes = list("--source", "kubernetes");
        List<JsonNode> prodCluster = list("--source", "kubernetes:prod-eu-1");

        assertThat(kubernetes).isNotEmpty().hasSize(count(i -> type(i).equals("kubernetes")));
        assertThat(prodCluster).isNotEmpty().hasSizeLessThan(kubernetes.size());
        assertThat(prodCluster).allSatisfy(i -> {
            assertThat(type(i)).isEqualTo("kubernetes");
            assertThat(i.get("source").get("scope").asText()).isEqualTo("prod-eu-1");
        });
        assertThat(list("--source", "nosuchsource")).isEmpty();
    }

    @Test
    void environment_filter_keeps_only_that_environment() {
        List<JsonNode> staging = list("--environment", "staging");

        assertThat(staging).isNotEmpty().hasSize(count(i -> "staging".equals(text(i, "environment"))));
    }

    @Test
    void owner_filter_matches_the_business_or_the_technical_owner() {
        String owner = all.stream()
                .map(i -> text(i, "businessOwner"))
                .filter(o -> o != null)
                .findFirst()
                .orElseThrow();

        List<JsonNode> owned = list("--owner", owner);

        assertThat(owned)
                .isNotEmpty()
                .hasSize(count(i -> owner.equals(text(i, "businessOwner")) || owner.equals(text(i, "technicalOwner"))));
    }

    @Test
    void unowned_keeps_only_identities_without_any_owner() {
        List<JsonNode> unowned = list("--unowned");

        assertThat(unowned).isNotEmpty().hasSizeLessThan(all.size());
        assertThat(unowned).allSatisfy(i -> {
            assertThat(text(i, "businessOwner")).isNull();
            assertThat(text(i, "technicalOwner")).isNull();
        });
        assertThat(unowned).hasSize(count(i -> text(i, "businessOwner") == null && text(i, "technicalOwner") == null));
        Cli.Result table = assertOk(store.run("identities", "list", "--unowned"));
        assertThat(table.outLines().subList(1, unowned.size() + 1))
                .allSatisfy(line -> assertThat(line).containsPattern("  -  +[a-z]+$"));
    }

    @Test
    void text_filter_matches_name_or_external_id_case_insensitively() {
        List<JsonNode> checkout = list("--q", "CheckOut");

        assertThat(checkout)
                .isNotEmpty()
                .hasSize(count(i -> (text(i, "name") + " " + text(i, "externalId"))
                        .toLowerCase(Locale.ROOT)
                        .contains("checkout")));
        assertThat(list("--q", "%")).as("LIKE wildcards are literal").isEmpty();
        assertThat(list("--q", "' OR 1=1 --")).isEmpty();
    }

    @Test
    void filters_combine_with_and() {
        List<JsonNode> r = list("--kind", "cloud_user", "--environment", "prod", "--unowned", "--source", "aws");

        assertThat(r)
                .isNotEmpty()
                .hasSize(count(i -> i.get("kind").asText().equals("cloud_user")
                        && "prod".equals(text(i, "environment"))
                        && text(i, "businessOwner") == null
                        && text(i, "technicalOwner") == null
                        && type(i).equals("aws")));
    }

    @Test
    void show_by_id_prints_the_identity_its_credentials_and_entitlements() {
        JsonNode user = firstWithCredentials();
        String id = user.get("id").asText();
        JsonNode record = assertOk(store.run("identities", "show", id, "--format", "json"))
                .json();

        Cli.Result r = assertOk(store.run("identities", "show", id));

        assertThat(r.outLines().get(0)).matches("FIELD +VALUE");
        assertThat(r.outLines())
                .contains(
                        "Credentials (" + record.get("credentials").size() + ")",
                        "Entitlements (" + record.get("entitlements").size() + ")")
                .anySatisfy(line -> assertThat(line).matches("id +" + id))
                .anySatisfy(line -> assertThat(line)
                        .matches("name +" + Pattern.quote(user.get("name").asText())))
                .anySatisfy(line -> assertThat(line)
                        .matches("externalId +"
                                + Pattern.quote(user.get("externalId").asText())));
        assertThat(r.out())
                .contains(record.get("credentials").get(0).get("externalId").asText());
    }

    @Test
    void show_json_by_id_and_by_external_id_are_the_same_record() {
        JsonNode user = firstWithCredentials();

        JsonNode byId = assertOk(store.run("identities", "show", user.get("id").asText(), "--format", "json"))
                .json();
        JsonNode byExternalId = assertOk(
                        store.run("identities", "show", user.get("externalId").asText(), "--format", "json"))
                .json();

        assertThat(byExternalId).isEqualTo(byId);
        assertThat(byId.get("identity")).isEqualTo(user);
        assertThat(byId.get("credentials")).isNotEmpty();
        assertThat(byId.get("entitlements")).isNotEmpty();
        for (JsonNode c : byId.get("credentials")) {
            assertThat(c.get("identityId").asText()).isEqualTo(user.get("id").asText());
        }
    }

    @Test
    void show_by_external_id_prints_the_same_table_as_by_id() {
        JsonNode user = firstWithCredentials();

        Cli.Result byId =
                assertOk(store.run("identities", "show", user.get("id").asText()));
        Cli.Result byExternalId =
                assertOk(store.run("identities", "show", user.get("externalId").asText()));

        assertThat(byExternalId.out()).isEqualTo(byId.out());
    }

    @Test
    void show_of_an_unknown_id_exits_2() {
        assertError(store.run("identities", "show", "no-such-identity"), 2, "no identity 'no-such-identity'");
        assertError(
                store.run("identities", "show", "01a203ed-b11d-73b2-86a3-000000000000", "--format", "json"),
                2,
                "no identity");
    }

    @Test
    void show_of_hostile_input_is_a_clean_error() {
        for (String hostile : List.of(
                "' OR 1=1 --\u001b[31m", "%", "../../etc/passwd", "x".repeat(5000), "\u0000" + "y".repeat(100))) {
            Cli.Result r = store.run("identities", "show", hostile);

            assertError(r, 2, "");
            assertThat(r.err()).doesNotContain("\u001b", "\u0000").hasSizeLessThan(500);
        }
    }

    @Test
    void show_of_an_external_id_shared_by_two_clusters_is_ambiguous_and_names_both() {
        JsonNode sa = all.stream()
                .filter(i -> i.get("kind").asText().equals("kubernetes_service_account"))
                .filter(i -> count(j -> j.get("externalId").equals(i.get("externalId"))) > 1)
                .findFirst()
                .orElseThrow();

        Cli.Result r = store.run("identities", "show", sa.get("externalId").asText());

        assertError(r, 2, "names 2 identities");
        assertThat(r.err()).contains(sa.get("id").asText(), "kubernetes:prod-eu-1", "kubernetes:staging-eu-1");
    }

    /** An AWS IAM user (each has access keys) whose cells fit the table uncut. */
    private static JsonNode firstWithCredentials() {
        return all.stream()
                .filter(i -> i.get("kind").asText().equals("cloud_user"))
                .filter(i -> i.get("externalId").asText().length() < 60)
                .findFirst()
                .orElseThrow();
    }

    private static List<JsonNode> list(String... filters) {
        List<String> args = new ArrayList<>(List.of("identities", "list", "--format", "json"));
        args.addAll(Arrays.asList(filters));
        JsonNode array = assertOk(store.run(args.toArray(new String[0]))).json();
        assertThat(array.isArray()).isTrue();
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    private static int count(Predicate<JsonNode> p) {
        return (int) all.stream().filter(p).count();
    }

    private static String type(JsonNode identity) {
        return identity.get("source").get("type").asText();
    }

    private static String text(JsonNode identity, String field) {
        JsonNode v = identity.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
