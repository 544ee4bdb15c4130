package dev.warden.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.config.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RawRetentionTest {
    @Test
    void unset_or_blank_means_thirty_days() {
        assertThat(RawRetention.parse(null)).isEqualTo(RawRetention.DEFAULT);
        assertThat(RawRetention.parse("  ")).isEqualTo(RawRetention.DEFAULT);
        assertThat(RawRetention.DEFAULT.duration()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void zero_keeps_no_raw_events_and_whole_days_are_read() {
        assertThat(RawRetention.parse("0").keepsNone()).isTrue();
        assertThat(RawRetention.parse("0").duration()).isEqualTo(Duration.ZERO);
        assertThat(RawRetention.parse(" 7 ").duration()).isEqualTo(Duration.ofDays(7));
        assertThat(RawRetention.parse("3650").days()).isEqualTo(3650);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "30d", "1.5", "abc", "3651", "99999999999", "+5", "0x10", "७"})
    void other_values_are_refused_naming_the_variable_and_the_range(String value) {
        assertThatThrownBy(() -> RawRetention.parse(value))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("WARDEN_USAGE_RAW_RETENTION_DAYS must be a whole number of days from 0")
                .hasMessageContaining("3650");
    }
}
