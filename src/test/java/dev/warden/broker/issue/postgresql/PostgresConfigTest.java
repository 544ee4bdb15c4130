package dev.warden.broker.issue.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.warden.config.ConfigException;
import dev.warden.config.ConfigNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresConfigTest {
    private static final String URL = "postgresql://admin:s3cret@db.internal:5432/app";
    private static final String GOOD = """
            name: app-db
            adminUrlEnv: APP_DB_URL
            roles:
              - name: readonly
                creation: ["CREATE ROLE {{name}} LOGIN PASSWORD {{password}} VALID UNTIL {{expiration}}"]
                defaultTtl: 1h
                maxTtl: 24h
            staticRoles:
              - {name: reporting, username: reporting_app, rotation: 12h}
            """;

    private static List<PostgresConfig> parse(Map<String, String> env, String... entries) throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<ConfigNode> nodes = new ArrayList<>();
        for (int i = 0; i < entries.length; i++) {
            nodes.add(new ConfigNode(
                    "warden.yaml", Path.of("."), "broker.postgresql[" + i + "]", yaml.readTree(entries[i])));
        }
        return PostgresConfig.fromList(nodes, env::get);
    }

    private static void fails(String yaml, String message) {
        assertThatThrownBy(() -> parse(Map.of("APP_DB_URL", URL), yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    }

    @Test
    void a_valid_entry_reads_the_admin_url_from_the_environment_and_never_prints_its_password() throws Exception {
        PostgresConfig c = parse(Map.of("APP_DB_URL", URL), GOOD).get(0);
        assertThat(c.prefix()).isEqualTo("w_");
        assertThat(c.roles().get("readonly").maxTtl()).hasHours(24);
        assertThat(c.roles().get("readonly").renewal())
                .containsExactly("ALTER ROLE {{name}} VALID UNTIL {{expiration}}");
        assertThat(c.staticRoles())
                .singleElement()
                .satisfies(s -> assertThat(s.username()).isEqualTo("reporting_app"));
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void errors_name_the_key_at_fault() {
        assertThatThrownBy(() -> parse(Map.of(), GOOD))
                .hasMessageContaining("broker.postgresql[0].adminUrlEnv: environment variable APP_DB_URL is not set");
        fails(
                GOOD.replace("adminUrlEnv: APP_DB_URL", "adminUrlEnv: " + URL),
                "adminUrlEnv: must name an environment variable");
        fails(GOOD.replace("{{expiration}}", "'infinity'"), "roles[0].creation: must set VALID UNTIL {{expiration}}");
        fails(
                GOOD.replace("LOGIN PASSWORD", "LOGIN {{superuser}} PASSWORD"),
                "roles[0].creation[0]: unknown placeholder {{superuser}}");
        fails(GOOD.replace("maxTtl: 24h", "maxTtl: 30m"), "roles[0].maxTtl: must be at least defaultTtl");
        fails(GOOD.replace("name: readonly", "name: \"ro; DROP\""), "roles[0].name: must be lower-case");
        fails(GOOD.replace("name: app-db", "name: app-db\nrolePrefix: \"x\\\"\""), "rolePrefix: must be 2-16");
        fails(
                GOOD.replace("username: reporting_app", "username: w_reporting"),
                "staticRoles[0].username: must not start with the role prefix");
        fails(
                GOOD.replace(
                        "defaultTtl: 1h",
                        "defaultTtl: 1h\n    revocation: [\"ALTER ROLE {{name}} PASSWORD {{password}}\"]"),
                "{{password}} is only known at creation");
        fails(GOOD + "database: x\n", "database: unknown key");
    }

    @Test
    void role_names_are_unique_across_databases_because_the_route_names_only_the_role() {
        assertThatThrownBy(() -> parse(Map.of("APP_DB_URL", URL), GOOD, GOOD.replace("name: app-db", "name: other-db")))
                .hasMessageContaining("broker.postgresql[1].roles: role 'readonly' is defined by another");
        assertThatThrownBy(() -> parse(Map.of("APP_DB_URL", URL), GOOD, GOOD))
                .hasMessageContaining("broker.postgresql[1].name: 'app-db' is used by another");
    }
}
