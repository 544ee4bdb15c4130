package dev.warden.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventTimesTest {
    @Test
    void rfc3339_instants_parse_with_or_without_fraction_and_with_offsets() {
        assertThat(EventTimes.parse("2026-05-31T09:12:44Z")).isEqualTo(Instant.parse("2026-05-31T09:12:44Z"));
        assertThat(EventTimes.parse("2026-05-31T09:12:44.123456Z"))
                .isEqualTo(Instant.parse("2026-05-31T09:12:44.123456Z"));
        assertThat(EventTimes.parse("2026-05-31T09:12:44.1Z")).isEqualTo(Instant.parse("2026-05-31T09:12:44.100Z"));
        assertThat(EventTimes.parse("2026-05-31T11:12:44+02:00")).isEqualTo(Instant.parse("2026-05-31T09:12:44Z"));
        assertThat(EventTimes.parse("2024-02-29T00:00:00Z")).isEqualTo(Instant.parse("2024-02-29T00:00:00Z"));
    }

    @Test
    void anything_else_is_not_a_time() {
        for (String bad : new String[] {
            null,
            "",
            "yesterday",
            "2026-02-30T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-05-31T24:00:00Z",
            "2026-05-31T09:12:60Z",
            "2026-05-31 09:12:44Z",
            "2026-05-31T09:12:44",
            "2026-05-31T09:12:44.Z",
            "2026-05-31T09:12:44.1234567890Z",
            "+2026-05-31T09:12:44Z",
            "2026-05-31T09:12:44Z" + "0".repeat(100)
        }) {
            assertThat(EventTimes.parse(bad)).as("%s", bad).isNull();
        }
    }

    @Test
    void times_before_2006_or_over_a_day_ahead_of_the_clock_are_absurd() {
        Instant now = Instant.parse("2026-06-01T12:00:00Z");
        EventTimes times = new EventTimes(new TestClock(now));
        assertThat(times.problem(Instant.parse("2005-12-31T23:59:59Z"))).contains("before 2006");
        assertThat(times.problem(EventTimes.EARLIEST)).isNull();
        assertThat(times.problem(now.plus(Duration.ofDays(1)))).isNull();
        assertThat(times.problem(now.plus(Duration.ofDays(1)).plusSeconds(1))).contains("in the future");
    }
}
