package dev.warden.input;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InputTest {
    @Test
    void a_url_password_never_shows_in_the_input_name() {
        assertThat(Input.url("postgresql://warden:s3cret@db:5432/x").name())
                .isEqualTo("postgresql://warden:***@db:5432/x");
        assertThat(Input.url("postgresql://warden:p@ss/w0rd@db:5432/x").name())
                .isEqualTo("postgresql://warden:***@db:5432/x");
        assertThat(Input.url("postgresql://warden@db:5432/x?sslmode=require").name())
                .isEqualTo("postgresql://warden@db:5432/x?sslmode=require");
        assertThat(Input.url("tls://example.com:443").name()).isEqualTo("tls://example.com:443");
        assertThat(Input.url("postgresql://u:a@b@h/x?next=@").name()).isEqualTo("postgresql://u:***@h/x?next=@");
    }

    @Test
    void arguments_with_a_scheme_are_urls_and_the_rest_paths() {
        assertThat(Input.parse("tls://h:443").isUrl()).isTrue();
        assertThat(Input.parse("./iam.json").isPath()).isTrue();
        assertThat(Input.parse("C:/x").isPath()).isTrue();
    }
}
