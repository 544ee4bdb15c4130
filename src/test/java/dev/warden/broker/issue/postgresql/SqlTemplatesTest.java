package dev.warden.broker.issue.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlTemplatesTest {
    private static final List<String> HOSTILE = List.of(
            "x\"; DROP TABLE orders; --",
            "'; DROP TABLE orders; --",
            "Robert'); DROP TABLE orders;--",
            "back\\'; DROP TABLE orders; --",
            "$$; DROP TABLE orders; $$",
            "{{password}}",
            "e'\\x27; DROP TABLE orders; --");

    @Test
    void identifiers_and_literals_are_quoted_like_quote_ident_and_quote_literal() {
        assertThat(SqlTemplates.ident("w_abc")).isEqualTo("\"w_abc\"");
        assertThat(SqlTemplates.ident("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(SqlTemplates.literal("it's")).isEqualTo("'it''s'");
        assertThat(SqlTemplates.literal("a\\b'")).isEqualTo("E'a\\\\b'''");
        assertThatThrownBy(() -> SqlTemplates.ident("a\0b")).hasMessageContaining("NUL");
        assertThatThrownBy(() -> SqlTemplates.literal("a\0b")).hasMessageContaining("NUL");
    }

    @Test
    void substitution_is_one_pass_so_a_value_is_never_read_as_a_placeholder() {
        String out = SqlTemplates.render(
                "CREATE ROLE {{name}} PASSWORD {{password}}",
                SqlTemplates.values("{{password}}", "{{name}}", Instant.EPOCH));
        assertThat(out).isEqualTo("CREATE ROLE \"{{password}}\" PASSWORD '{{name}}'");
        assertThat(SqlTemplates.unknownPlaceholders("GRANT {{role}} TO {{name}} {{ nope }}"))
                .containsExactly("nope", "role");
    }

    @Test
    void sql_injection_in_role_names_and_template_values_creates_exactly_that_role_and_nothing_else() throws Exception {
        PgTarget t = PgTarget.create();
        String template = "CREATE ROLE {{name}} LOGIN PASSWORD {{password}} VALID UNTIL {{expiration}}";
        try (Connection c = t.admin();
                Statement st = c.createStatement()) {
            for (String hostile : HOSTILE) {
                String name = t.prefix + hostile;
                st.execute(SqlTemplates.render(
                        template, SqlTemplates.values(name, hostile, Instant.parse("2099-01-01T00:00:00Z"))));
                assertThat(t.roleExists(name)).as(name).isTrue();
                // The password is exactly the hostile string: a login with it works.
                try (Connection login = t.login(name, hostile)) {
                    assertThat(login.isValid(5)).isTrue();
                }
                assertThatThrownBy(() -> t.login(name, hostile + "x")).isInstanceOf(java.sql.SQLException.class);
                st.execute("DROP ROLE " + SqlTemplates.ident(name));
            }
            st.execute("SELECT count(*) FROM orders"); // still there
        }
        assertThat(t.managedRoles()).isEmpty();
        t.sql("SELECT 1");
        assertThat(Map.of()).isEmpty();
    }
}
