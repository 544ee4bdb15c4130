package dev.warden.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class DbUrlTest {
    @Test
    void postgresql_urls_become_jdbc_urls_with_user_and_password_apart() {
        DbUrl u = DbUrl.parse("postgresql://warden:p%40ss@db.example.com:6543/inventory?sslmode=verify-full");
        assertThat(u.dialect()).isEqualTo(Dialect.POSTGRESQL);
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/inventory?sslmode=verify-full");
        assertThat(u.user()).isEqualTo("warden");
        assertThat(u.password()).isEqualTo("p@ss");
        assertThat(u.toString()).isEqualTo("postgresql://warden:***@db.example.com:6543/inventory");

        assertThat(DbUrl.parse("postgres://u@h/db").jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db");
        assertThat(DbUrl.parse("jdbc:postgresql://h:1/db?user=x&password=y").toString())
                .isEqualTo("postgresql://x:***@h:1/db");
        assertThat(DbUrl.parse("sqlite:/tmp/x/warden.db").sqlitePath()).isEqualTo(Path.of("/tmp/x/warden.db"));
    }

    @Test
    void bad_urls_get_one_line_errors() {
        assertThatThrownBy(() -> DbUrl.parse("")).hasMessage("database URL is empty");
        assertThatThrownBy(() -> DbUrl.parse("mysql://h/db"))
                .hasMessageContaining("unsupported database URL scheme 'mysql'");
        assertThatThrownBy(() -> DbUrl.parse("/var/lib/x.db")).hasMessageContaining("(no scheme)");
        assertThatThrownBy(() -> DbUrl.parse("postgresql://")).hasMessageContaining("no host");
        assertThatThrownBy(() -> DbUrl.parse("postgresql://h")).hasMessageContaining("must name one database");
        assertThatThrownBy(() -> DbUrl.parse("postgresql://h/a/b")).hasMessageContaining("must name one database");
        assertThatThrownBy(() -> DbUrl.parse("postgresql://u:p w@h/db")).hasMessageContaining("malformed");
        assertThatThrownBy(() -> DbUrl.parse("postgresql://h/db?x%20y=1"))
                .hasMessageContaining("invalid parameter name");
        assertThatThrownBy(() -> DbUrl.parse("sqlite:")).hasMessageContaining("no file path");
    }

    @Property
    void a_password_never_appears_in_the_url_text_or_its_errors(
            @ForAll @AlphaChars @StringLength(min = 8, max = 40) String password) {
        DbUrl u = DbUrl.parse("postgresql://user:" + password + "@host:5432/db");
        assertThat(u.toString()).doesNotContain(password);
        for (String bad : new String[] {
            "postgresql://user:" + password + "@/db",
            "postgresql://user:" + password + "@h",
            "mysql://user:" + password + "@h/db",
            "postgresql://user:" + password + " x@h/db"
        }) {
            try {
                DbUrl.parse(bad);
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).doesNotContain(password);
            }
        }
    }
}
