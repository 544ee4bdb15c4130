package dev.warden.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every problem's title comes from its status, in one place. */
class ProblemTest {
    @Test
    void each_status_the_api_answers_has_its_reason_phrase_as_title() {
        assertThat(Problem.title(400)).isEqualTo("Bad Request");
        assertThat(Problem.title(401)).isEqualTo("Unauthorized");
        assertThat(Problem.title(403)).isEqualTo("Forbidden");
        assertThat(Problem.title(404)).isEqualTo("Not Found");
        assertThat(Problem.title(405)).isEqualTo("Method Not Allowed");
        assertThat(Problem.title(409)).isEqualTo("Conflict");
        assertThat(Problem.title(413)).isEqualTo("Content Too Large");
        assertThat(Problem.title(415)).isEqualTo("Unsupported Media Type");
        assertThat(Problem.title(422)).isEqualTo("Unprocessable Content");
        assertThat(Problem.title(500)).isEqualTo("Internal Server Error");
        assertThat(Problem.title(503)).isEqualTo("Service Unavailable");
    }

    @Test
    void a_status_without_a_reason_phrase_is_titled_error() {
        assertThat(Problem.title(599)).isEqualTo("Error");
    }
}
