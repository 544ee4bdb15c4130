package dev.warden.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parse errors of every Jackson format Warden reads: a location and Warden's words, never the input. */
class ParseErrorsTest {
    private static final String SECRET = "tQ9zWARDENLEAKx7";

    private static final ObjectMapper JSON =
            ParseErrors.quiet(new ObjectMapper()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectMapper YAML = ParseErrors.quiet(new ObjectMapper(new YAMLFactory()))
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final TomlMapper TOML = ParseErrors.quiet(new TomlMapper());

    private static Throwable failure(ObjectMapper mapper, String text) {
        Throwable e = catchThrowable(() -> mapper.readTree(text.replace("S", SECRET)));
        assertThat(e).as(text).isNotNull();
        return e;
    }

    private static void quiet(Throwable e, String text) {
        assertThat(ParseErrors.describe(e)).as(text).doesNotContain(SECRET).doesNotContain("tQ9z");
        // the configured factory keeps Jackson's own message short too (defence in depth)
        assertThat(e.getMessage()).as(text).doesNotContain(SECRET);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"a\": S}                 | line 1, column 7: unrecognized token",
                "{\"a\": \"x\" S}           | line 1, column 11: a missing ',' between members",
                "{S: 1}                     | line 1, column 2: a member name that is not in double quotes",
                "{\"a\": [1 S]}             | a missing ',' between array elements",
                "{\"a\": -S}                | a malformed number",
                "{\"a\": \"\\qS\"}          | an invalid escape sequence in a string",
                "{\"a\": [1} S              | a closing bracket that does not match",
                "{\"a\": [S                 | unrecognized token",
                "{\"a\": \"S                | unexpected end of input",
                "{\"a\": 1, \"a\": 2}       | duplicate field 'a'",
                "{\"S\": 1, \"S\": 2}       | duplicate field 'tQ9zWARDENLEAKx7'",
            })
    void json_errors_are_a_location_and_a_fixed_description(String text, String expected) {
        Throwable e = failure(JSON, text);
        assertThat(ParseErrors.describe(e)).as(text).contains(expected);
        if (!text.contains("\"S\": 1")) {
            quiet(e, text);
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "a: S: [                    | line 1, column 20: a ':' where no value may start",
                "a: [\"S\\n                 | unexpected end of input",
                "a:\\n\\t- S                | a character that cannot start a token",
                "a: \"\\qS\"                | an invalid escape in a double-quoted string",
                "a: \"\\xS\"                | an invalid escape in a double-quoted string",
                "a: !S! x                   | a malformed tag",
                "a: @S                      | a character that cannot start a token",
                "- S\\nb: 1                 | bad indentation",
                "{a: S, b                   | a flow mapping ({...}) that is not closed",
                "a: x\\na: S                | duplicate field 'a'",
            })
    void yaml_errors_never_carry_snakeyamls_snippet_of_the_line(String text, String expected) {
        String yaml = text.replace("\\n", "\n").replace("\\t", "\t");
        Throwable e = failure(YAML, yaml);
        assertThat(ParseErrors.describe(e)).as(yaml).contains(expected).doesNotContain(SECRET);
        assertThat(ParseErrors.line(e)).as(yaml).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a = S", "a = \"S", "a = [1, S]", "a = 19S", "[S\nx = 1", "a = 1\na = S"})
    void toml_errors_are_a_location_and_a_fixed_description(String text) {
        Throwable e = failure(TOML, text);
        quiet(e, text);
        assertThat(ParseErrors.location(e)).as(text).startsWith("line ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a,b\n1,2,S\n", "a,b\n1,\"S\"x\n", "a,b\n1,\"S\n"})
    void csv_errors_never_carry_the_surplus_or_broken_value(String text) throws Exception {
        CsvMapper csv = ParseErrors.quiet(new CsvMapper());
        Throwable e = catchThrowable(() -> {
            try (MappingIterator<Map<String, String>> rows = csv.readerForMapOf(String.class)
                    .with(CsvSchema.emptySchema().withHeader())
                    .readValues(text.replace("S", SECRET))) {
                while (rows.hasNextValue()) {
                    rows.nextValue();
                }
            }
        });
        assertThat(e).as(text).isNotNull();
        assertThat(ParseErrors.describe(e)).as(text).startsWith("line ").doesNotContain(SECRET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\": S}", "{\"a\": [1, 2, S", "{\"a\": \"b\" S}"})
    void a_quiet_json_factory_quotes_no_token_and_no_raw_content(String text) {
        JsonFactory f = ParseErrors.quiet(new JsonFactory());
        Throwable e = catchThrowable(() -> {
            try (JsonParser p = f.createParser(text.replace("S", SECRET))) {
                while (p.nextToken() != null) {
                    // read to the error
                }
            }
        });
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).doesNotContain("tQ9z").doesNotContain("\"a\"");
    }
}
