package dev.warden.discovery.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.input.Echo;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every timestamp form AWS exports carry, read by one helper (research catalogue §1.1): the AWS CLI
 * v1 wire form ({@code 2023-03-09T10:41:45Z}, {@code .123Z}), CLI v2 ({@code +00:00}, six fraction
 * digits), boto3 {@code str(datetime)} (a space for {@code T}), {@code +0000}, naive date-times
 * (read as UTC), epoch numbers (seconds, or milliseconds above 10^11) and the PowerShell 5.1
 * {@code /Date(ms)/}. Sources: aws-cli {@code awscli/customizations/scalarparse.py}; cloudsplaining
 * {@code examples/files/example.json}.
 */
final class AwsTimestamps {
    private static final Instant EARLIEST = Instant.parse("2006-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");
    private static final Pattern NET_DATE = Pattern.compile("/?\\\\?/Date\\((-?\\d{1,15})([+-]\\d{4})?\\)\\\\?/?");
    private static final Pattern NUMBER = Pattern.compile("-?\\d{1,15}(\\.\\d{1,9})?");
    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2)
            .appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart()
            .appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HH:MM", "Z")
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HHMM", "Z")
            .optionalEnd()
            .toFormatter();

    private AwsTimestamps() {}

    /** A JSON value: null or absent gives null; a string or a number is parsed. */
    static Instant of(JsonNode v, String field) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return epoch(v.decimalValue().toPlainString(), field);
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a date-time string or an epoch number");
        }
        return parse(v.asText(), field);
    }

    /** A text value in any of the forms above. */
    static Instant parse(String raw, String field) {
        String text = raw.strip();
        Matcher net = NET_DATE.matcher(text);
        if (net.matches()) {
            return plausible(Instant.ofEpochMilli(Long.parseLong(net.group(1))), raw, field);
        }
        if (NUMBER.matcher(text).matches()) {
            return epoch(text, field);
        }
        if (text.length() >= 16 && text.charAt(10) == ' ') {
            text = text.substring(0, 10) + 'T' + text.substring(11);
        }
        if (text.endsWith("z")) {
            text = text.substring(0, text.length() - 1) + 'Z';
        }
        try {
            var parsed = FORMAT.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
            Instant t = parsed instanceof OffsetDateTime o
                    ? o.toInstant()
                    : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
            return plausible(t, raw, field);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " '" + Echo.shown(raw) + "' is not a date-time");
        }
    }

    private static Instant epoch(String number, String field) {
        double value;
        try {
            value = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " is not an epoch number");
        }
        long millis = value > 1e11 ? (long) value : Math.round(value * 1000);
        return plausible(Instant.ofEpochMilli(millis), number, field);
    }

    private static Instant plausible(Instant t, String raw, String field) {
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw new IllegalArgumentException(field + " '" + Echo.shown(raw) + "' is not a plausible AWS date");
        }
        return t;
    }
}
