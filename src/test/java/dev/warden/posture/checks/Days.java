package dev.warden.posture.checks;

import dev.warden.posture.Build;
import java.time.Duration;
import java.time.Instant;

/** Instants relative to the tests' "now". */
final class Days {
    private Days() {}

    static Instant ago(long days) {
        return Build.NOW.minus(Duration.ofDays(days));
    }

    static Instant ahead(long days) {
        return Build.NOW.plus(Duration.ofDays(days));
    }
}
