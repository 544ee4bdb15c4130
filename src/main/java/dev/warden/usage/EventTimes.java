package dev.warden.usage;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * When a log says something happened, and whether to believe it: RFC 3339 instants ({@code
 * 2026-05-31T09:12:44Z}, with or without a fraction, {@code Z} or an offset) between {@link
 * #EARLIEST} and one day after the injected clock's now. Anything else is an absurd timestamp and
 * its record is skipped.
 */
public final class EventTimes {
    /** Nothing Warden reads predates AWS (2006); earlier timestamps are broken clocks or forgeries. */
    public static final Instant EARLIEST = Instant.parse("2006-01-01T00:00:00Z");

    /** How far ahead of now a timestamp may be (clock skew between the logger and Warden). */
    public static final Duration FUTURE_SLACK = Duration.ofDays(1);

    private final Clock clock;

    public EventTimes(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Why {@code at} cannot be believed, or null when it can. */
    public String problem(Instant at) {
        if (at.isBefore(EARLIEST)) {
            return "timestamp " + at + " is before " + EARLIEST;
        }
        Instant latest = clock.instant().plus(FUTURE_SLACK);
        if (at.isAfter(latest)) {
            return "timestamp " + at + " is more than a day in the future";
        }
        return null;
    }

    /**
     * Parses an RFC 3339 instant; null when {@code text} is not one. UTC ({@code
     * YYYY-MM-DDTHH:MM:SS[.fraction]Z}, what CloudTrail and Kubernetes write) is read without a
     * formatter; other offsets go through {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}.
     */
    public static Instant parse(String text) {
        if (text == null) {
            return null;
        }
        if (text.endsWith("Z")) {
            return utc(text);
        }
        if (text.length() > 64) {
            return null;
        }
        if (text.length() > 19 && text.charAt(10) == ' ') {
            text = text.substring(0, 10) + 'T' + text.substring(11); // boto3 str(datetime)
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    /**
     * Epoch seconds, as {@code aws cloudtrail lookup-events} prints {@code EventTime} (AWS CLI v1:
     * {@code 1678358505.0}); a value above 10^11 is milliseconds (CloudWatch Logs timestamps). Null
     * when out of range.
     */
    public static Instant epoch(BigDecimal value) {
        if (value == null || value.signum() < 0 || value.compareTo(BigDecimal.valueOf(1L << 40)) > 0) {
            return null;
        }
        BigDecimal seconds = value.compareTo(BigDecimal.valueOf(100_000_000_000L)) > 0 ? value.movePointLeft(3) : value;
        long whole = seconds.longValue();
        int nanos =
                seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
        return Instant.ofEpochSecond(whole, nanos);
    }

    private static Instant utc(String s) {
        int n = s.length();
        if (n < 20
                || n > 30
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':'
                || s.charAt(n - 1) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            if (s.charAt(19) != '.' || n - 21 > 9 || n - 21 < 1) {
                return null;
            }
            for (int i = 20; i < n - 1; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return null;
                }
                nanos = nanos * 10 + (c - '0');
            }
            for (int i = n - 21; i < 9; i++) {
                nanos *= 10;
            }
        }
        if (day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
