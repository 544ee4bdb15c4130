package dev.warden.input;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.CharConversionException;
import java.nio.charset.CharacterCodingException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Parse errors that never quote their input. Jackson's messages name the unrecognised token
 * ({@code Unrecognized token 'AKIA…'}), CSV's the surplus value, SnakeYAML's the whole line with a
 * caret under it: a secret on a malformed line of an export, a log or a configuration file would
 * reach the CLI, problem details, stored import and ingestion records and the audit log. Every
 * parser Warden builds is {@link #quiet quiet} (Jackson quotes no token and no raw content), and
 * every message Warden writes about a parse error is {@link #describe} — the location and a fixed
 * description of the kind of error, in Warden's words.
 */
public final class ParseErrors {
    /** Jackson's error reports with no token text and no snippet of the raw content. */
    public static final ErrorReportConfiguration QUIET = ErrorReportConfiguration.builder()
            .maxErrorTokenLength(0)
            .maxRawContentLength(0)
            .build();

    /** Message starts (Jackson core, CSV, TOML, databind) and what Warden says instead; first match wins. */
    private static final List<Map.Entry<String, String>> JACKSON = List.of(
            Map.entry("Unrecognized token", "unrecognized token (a string without quotes?)"),
            Map.entry("Unexpected end-of-input", "unexpected end of input (truncated?)"),
            Map.entry("Unexpected close marker", "a closing bracket that does not match"),
            Map.entry("Unrecognized character escape", "an invalid escape sequence in a string"),
            Map.entry("Illegal unquoted character", "an unescaped control character in a string"),
            Map.entry("Illegal character", "an illegal character"),
            Map.entry("Invalid UTF-", "not valid UTF-8 text"),
            Map.entry("Invalid code point", "not valid UTF-8 text"),
            Map.entry("Invalid numeric value", "a malformed number"),
            Map.entry("Numeric value", "a number out of range"),
            Map.entry("Non-standard token", "a number that is not a JSON number (NaN or Infinity)"),
            Map.entry("Leading zeroes", "a malformed number"),
            Map.entry("Duplicate field", "a member name appears twice"),
            Map.entry("Duplicate Object property", "a member name appears twice"),
            Map.entry("Duplicate key", "a key appears twice"),
            Map.entry("Trailing token", "content after the end of the document"),
            Map.entry("Too many entries", "a row has more columns than the header"),
            Map.entry("Missing closing quote", "a quoted value without its closing quote"),
            Map.entry("Unknown token", "unrecognized token (a string without quotes?)"),
            Map.entry("Premature end of file", "unexpected end of input (an unclosed quote or bracket?)"),
            Map.entry("Newline not permitted", "a line break where none is allowed"),
            Map.entry("More data after value", "an invalid value (more data after it)"));

    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate (?:field|Object property) '([^']*)'");

    /** Pieces of an "Unexpected character" message that say what was expected. */
    private static final List<Map.Entry<String, String>> UNEXPECTED = List.of(
            Map.entry("comma to separate Object", "a missing ',' between members"),
            Map.entry("comma to separate Array", "a missing ',' between array elements"),
            Map.entry("double-quote to start field name", "a member name that is not in double quotes"),
            Map.entry("colon to separate field name", "a missing ':' after a member name"),
            Map.entry("in numeric value", "a malformed number"),
            Map.entry("column separator", "unexpected content after a quoted value"),
            Map.entry("end-of-input", "content after the end of the document"));

    /** SnakeYAML problem starts and what Warden says instead; first match wins. */
    private static final List<Map.Entry<String, String>> YAML = List.of(
            Map.entry("mapping values are not allowed", "a ':' where no value may start (quote the value?)"),
            Map.entry("could not find expected ':'", "a key without ':'"),
            Map.entry("found a tab character", "a tab in the indentation"),
            Map.entry("found character", "a character that cannot start a token (a tab, '@' or '`'?)"),
            Map.entry("found unexpected end of stream", "unexpected end of input (an unclosed quote or bracket?)"),
            Map.entry("found unexpected document separator", "a document marker inside a quoted value"),
            Map.entry("expected ',' or '}'", "a flow mapping ({...}) that is not closed"),
            Map.entry("expected ',' or ']'", "a flow sequence ([...]) that is not closed"),
            Map.entry("expected <block end>", "bad indentation"),
            Map.entry("expected <document start>", "content where a new document should start"),
            Map.entry("expected the node content", "a missing value"),
            Map.entry("found duplicate key", "a key appears twice"),
            Map.entry("found undefined alias", "an alias without its anchor"),
            Map.entry("found undefined tag handle", "a malformed tag"),
            Map.entry("expected URI", "a malformed tag"),
            Map.entry("expected '!'", "a malformed tag"),
            Map.entry("expected alphabetic or numeric character", "a malformed anchor or alias name"),
            Map.entry("found unknown escape character", "an invalid escape in a double-quoted string"),
            Map.entry("expected escape sequence", "an invalid escape in a double-quoted string"),
            Map.entry("found unexpected ':'", "an unexpected ':'"),
            Map.entry("expected a comment or a line break", "unexpected content after a value"),
            Map.entry("expected chomping or indentation indicators", "a malformed block scalar header"),
            Map.entry("expected a mapping or list of mappings for merging", "a bad merge key ('<<')"),
            Map.entry("expected a single document", "more than one document"),
            Map.entry("The incoming YAML document exceeds", "the document exceeds the size limit"),
            Map.entry("Number of aliases", "too many aliases"),
            Map.entry("Nesting Depth exceeded", "nesting too deep"),
            Map.entry("Recursive key", "a recursive key"));

    private ParseErrors() {}

    /** {@code factory}, reporting errors {@link #QUIET}ly. */
    public static <F extends JsonFactory> F quiet(F factory) {
        factory.setErrorReportConfiguration(QUIET);
        return factory;
    }

    /** {@code mapper}, whose factory reports errors {@link #QUIET}ly. */
    public static <M extends ObjectMapper> M quiet(M mapper) {
        quiet(mapper.getFactory());
        return mapper;
    }

    /**
     * Where and what: {@code line 3, column 7: unrecognized token (a string without quotes?)}, or just
     * the description when the error has no location. Never any of the input.
     */
    public static String describe(Throwable e) {
        String at = location(e);
        return at.isEmpty() ? description(e) : at + ": " + description(e);
    }

    /** {@code line L, column C} of the error, or {@code line L}, or "" when it has none. */
    public static String location(Throwable e) {
        long line = line(e);
        long column = column(e);
        return line < 1 ? "" : column < 1 ? "line " + line : "line " + line + ", column " + column;
    }

    /** {@code name:LINE:COLUMN} (as far as the error knows them), the way compilers name a place. */
    public static String at(String name, Throwable e) {
        long line = line(e);
        long column = column(e);
        return name + (line < 1 ? "" : ":" + line + (column < 1 ? "" : ":" + column));
    }

    /** The line of the error (1-based), or -1. */
    public static long line(Throwable e) {
        Mark m = mark(e);
        if (m != null) {
            return m.getLine() + 1L;
        }
        JsonLocation at = jsonLocation(e);
        return at == null || at.getLineNr() < 1 ? -1 : at.getLineNr();
    }

    /** The column of the error (1-based), or -1. */
    public static long column(Throwable e) {
        Mark m = mark(e);
        if (m != null) {
            return m.getColumn() + 1L;
        }
        JsonLocation at = jsonLocation(e);
        return at == null || at.getLineNr() < 1 || at.getColumnNr() < 1 ? -1 : at.getColumnNr();
    }

    private static Mark mark(Throwable e) {
        MarkedYAMLException marked = find(e, MarkedYAMLException.class);
        if (marked == null) {
            return null;
        }
        return marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
    }

    private static JsonLocation jsonLocation(Throwable e) {
        JsonProcessingException j = find(e, JsonProcessingException.class);
        return j == null ? null : j.getLocation();
    }

    /** What kind of error {@code e} is, in a fixed phrase of Warden's. */
    public static String description(Throwable e) {
        MarkedYAMLException marked = find(e, MarkedYAMLException.class);
        if (marked != null) {
            String what = lookup(YAML, marked.getProblem(), null);
            String context = marked.getContext();
            // SnakeYAML's contexts are fixed phrases ("while scanning a quoted scalar"); say one when
            // the problem is none Warden knows
            return what != null
                    ? what
                    : context != null && context.matches("while (scanning|parsing|constructing) [a-z -]{1,40}")
                            ? "a YAML syntax error " + context
                            : "a YAML syntax error";
        }
        YAMLException yaml = find(e, YAMLException.class);
        if (yaml != null) {
            return lookup(YAML, yaml.getMessage(), "refused YAML");
        }
        StreamConstraintsException limit = find(e, StreamConstraintsException.class);
        if (limit != null) {
            // only numbers: "String value length (20000001) exceeds the maximum allowed (20000000, from ...)"
            String m = String.valueOf(limit.getOriginalMessage()).replaceAll(" \\(from `[^`]*`\\)", "");
            m = m.replaceAll(",? from `[^`]*`", "");
            return "exceeds a limit: " + lowerFirst(firstLine(m)).replaceAll("[^a-zA-Z0-9 (),.:_-]", "");
        }
        if (find(e, CharConversionException.class) != null || find(e, CharacterCodingException.class) != null) {
            return "not valid UTF-8 text";
        }
        JsonProcessingException j = find(e, JsonProcessingException.class);
        if (j != null) {
            String m = j.getOriginalMessage() == null ? "" : j.getOriginalMessage();
            if (m.startsWith("Unexpected character")) {
                return lookup(UNEXPECTED, m, "an unexpected character");
            }
            Matcher dup = DUPLICATE.matcher(m);
            if (dup.find()) {
                // a key, not a token; named when it looks like one
                return dup.group(1).matches("[A-Za-z0-9_.-]{1,64}")
                        ? "duplicate field '" + dup.group(1) + "'"
                        : "a member name appears twice";
            }
            String what = lookup(JACKSON, m, null);
            if (what != null) {
                return what;
            }
            if (j instanceof MismatchedInputException || j instanceof JsonMappingException) {
                String path = path(j);
                return "a value of the wrong type" + (path.isEmpty() ? "" : " at " + path);
            }
            return "a syntax error";
        }
        return "unreadable input";
    }

    /** The databind path of field names and indexes ({@code /Users/3/CreateDate}), bounded. */
    private static String path(JsonProcessingException j) {
        if (!(j instanceof JsonMappingException m)) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            b.append('/');
            if (r.getFieldName() != null) {
                b.append(r.getFieldName().replaceAll("[^A-Za-z0-9._-]", "?"));
            } else if (r.getIndex() >= 0) {
                b.append(r.getIndex());
            }
        }
        return b.length() > 200 ? b.substring(0, 200) + "…" : b.toString();
    }

    private static String lookup(List<Map.Entry<String, String>> table, String message, String otherwise) {
        if (message != null) {
            for (Map.Entry<String, String> e : table) {
                if (message.contains(e.getKey())) {
                    return e.getValue();
                }
            }
        }
        return otherwise;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
