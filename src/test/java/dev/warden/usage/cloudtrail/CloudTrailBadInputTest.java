package dev.warden.usage.cloudtrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.discovery.Fixture;
import dev.warden.input.Input;
import dev.warden.testing.TestClock;
import dev.warden.usage.Skips;
import dev.warden.usage.UsageEvent;
import dev.warden.usage.UsageException;
import dev.warden.usage.UsageOptions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile CloudTrail input: files that break off or are not log files, records over the limits. */
class CloudTrailBadInputTest {
    private static final String GOOD = "{\"eventTime\":\"2026-05-31T10:00:00Z\",\"eventSource\":\"sqs.amazonaws.com\","
            + "\"eventName\":\"SendMessage\",\"userIdentity\":{\"type\":\"IAMUser\","
            + "\"arn\":\"arn:aws:iam::111122223333:user/ci\",\"accountId\":\"111122223333\"}%s}";

    private final CloudTrailParser parser = new CloudTrailParser(new TestClock(Instant.parse("2026-06-01T12:00:00Z")));
    private final List<UsageEvent> events = new ArrayList<>();
    private final Skips skips = new Skips();

    private void parse(String name, byte[] content) {
        parser.parse(Input.content(name, content), UsageOptions.NONE, events::add, skips);
    }

    private void parse(String name, String content) {
        parse(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private static String good(String extra) {
        return String.format(GOOD, extra);
    }

    @Test
    void a_file_that_breaks_off_is_refused_whole_even_after_good_records() {
        byte[] all = Fixture.text("usage/cloudtrail/api-calls.json").getBytes(StandardCharsets.UTF_8);
        byte[] cut = Arrays.copyOf(all, all.length * 7 / 10);
        assertThatThrownBy(() -> parse("cut.json", cut))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("cut.json: byte ")
                .hasMessageContaining("malformed JSON");
        assertThat(events)
                .as("the records before the cut reached the sink; the ingester discards them with the file")
                .isNotEmpty();
    }

    @Test
    void files_that_are_not_cloudtrail_logs_are_refused_with_why() {
        assertRefused("empty.json", "", "empty file");
        assertRefused("blank.json", " \n\t", "empty file");
        assertRefused("number.json", "42", "not a CloudTrail log file");
        assertRefused("object.json", "{\"items\":[]}", "no Records array");
        assertRefused("lake-rows.json", "{\"QueryStatus\":\"FINISHED\",\"QueryResultRows\":[]}", "query rows");
        assertRefused("records-object.json", "{\"Records\":{}}", "Records is not one array");
        assertRefused("two-records.json", "{\"Records\":[],\"Records\":[]}", "Records is not one array");
        assertRefused("trailing.json", "[] 7", "content after the array");
        assertRefused("string.json", "\"Records\"", "not a CloudTrail log file");
        assertRefused("broken-between.json", "{\"Records\":[" + good("") + " " + good("") + "]}", "malformed JSON");
    }

    private void assertRefused(String name, String content, String why) {
        assertThatThrownBy(() -> parse(name, content))
                .as(name)
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith(name + ": ")
                .hasMessageContaining(why)
                .hasMessageNotContaining("Exception");
    }

    @Test
    void an_empty_records_array_is_a_log_with_nothing_in_it() {
        parse("empty-records.json", "{\"Records\":[]}");
        assertThat(events).isEmpty();
        assertThat(skips.count()).isZero();
    }

    @Test
    void a_record_over_the_size_limit_is_skipped_unread_and_the_rest_applies() {
        StringBuilder fields = new StringBuilder(",\"requestParameters\":{");
        for (int i = 0; fields.length() < CloudTrailParser.MAX_RECORD_BYTES + 100_000; i++) {
            fields.append(i == 0 ? "" : ",")
                    .append("\"tag")
                    .append(i)
                    .append("\":\"")
                    .append("v".repeat(90))
                    .append('"');
        }
        fields.append('}');
        parse("big.json", "{\"Records\":[" + good("") + "," + good(fields.toString()) + "," + good("") + "]}");
        assertThat(events).hasSize(2);
        assertThat(skips.examples()).containsExactly("big.json Records[1]: record is larger than 1024 KiB");
    }

    @Test
    void the_size_limit_is_exact() {
        String base = good(",\"pad\":\"\"");
        int room = CloudTrailParser.MAX_RECORD_BYTES - base.length();
        String atLimit = good(",\"pad\":\"" + "p".repeat(room) + "\"");
        String overLimit = good(",\"pad\":\"" + "p".repeat(room + 1) + "\"");
        assertThat(atLimit.length()).isEqualTo(CloudTrailParser.MAX_RECORD_BYTES);
        parse("limit.json", "{\"Records\":[" + atLimit + "," + overLimit + "]}");
        assertThat(events).hasSize(1);
        assertThat(skips.examples()).containsExactly("limit.json Records[1]: record is larger than 1024 KiB");
    }

    @Test
    void a_string_longer_than_the_limit_is_cut_before_the_parser_and_its_record_skipped() {
        String huge = "\\u00e9\\\"é" + "x".repeat(CloudTrailParser.MAX_RECORD_BYTES + 10) + "\\\\\\\"é";
        parse("long-string.json", "{\"Records\":[" + good(",\"userAgent\":\"" + huge + "\"") + "," + good("") + "]}");
        assertThat(events).hasSize(1);
        assertThat(skips.examples()).containsExactly("long-string.json Records[0]: record is larger than 1024 KiB");
    }

    @Test
    void a_record_whose_used_fields_nest_too_deep_is_skipped_and_a_file_nested_beyond_the_parser_is_refused() {
        int d = CloudTrailParser.MAX_RECORD_DEPTH + 5;
        String deep = ",\"requestParameters\":{\"bucketName\":" + "{\"a\":".repeat(d) + "1" + "}".repeat(d) + "}";
        String deepButUnused = ",\"requestParameters\":{\"filter\":" + "{\"a\":".repeat(d) + "1" + "}".repeat(d) + "}";
        parse("deep.json", "{\"Records\":[" + good(deep) + "," + good(deepButUnused) + "]}");
        assertThat(events)
                .as("a deep field the mapping never reads is skipped unread")
                .hasSize(1);
        assertThat(skips.examples()).containsExactly("deep.json Records[0]: record nests deeper than 64 levels");

        String abyss = ",\"requestParameters\":" + "[".repeat(2_000) + "]".repeat(2_000);
        assertThatThrownBy(() -> parse("abyss.json", "{\"Records\":[" + good(abyss) + "]}"))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("abyss.json: byte ")
                .hasMessageContaining("beyond a parser limit");
    }

    @Test
    void control_characters_and_long_values_in_fields_are_neutralised_not_fatal() {
        String ua = "curl/8\\u0000\\u001b[31m" + "A".repeat(5_000);
        parse(
                "ctl.json",
                "{\"Records\":[" + good(",\"userAgent\":\"" + ua + "\",\"sourceIPAddress\":\"10.0.0.1\\n\"") + "]}");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.userAgent()).startsWith("curl/8??[31m").hasSize(1024);
            assertThat(e.sourceIp()).isEqualTo("10.0.0.1?");
        });
    }
}
