package dev.warden.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * JSON and YAML parsers configured for hostile input, and the one-line errors they turn into.
 *
 * <p>YAML goes through Jackson's YAML parser (SnakeYAML's event parser underneath) with explicit
 * {@link LoaderOptions}: at most {@link #MAX_DOCUMENT_CODE_POINTS} code points per document, no
 * duplicate keys, no recursive keys, at most {@link TreeReader#MAX_ALIASES} aliases and
 * {@link TreeReader#MAX_DEPTH} levels. Jackson's parser does not expand aliases itself (SnakeYAML
 * enforces the alias and depth options only when it composes trees, which Jackson does not), so
 * {@link TreeReader} expands them and enforces those limits; the options are set as well so that a
 * future parser that composes keeps them. JSON nesting is bounded by {@link StreamReadConstraints}.
 */
public final class SafeParsers {
    /** Largest YAML document, in code points. */
    public static final int MAX_DOCUMENT_CODE_POINTS = 256 * 1024 * 1024;
    /** Longest string value. */
    public static final int MAX_STRING = 64 * 1024 * 1024;

    private static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(TreeReader.MAX_DEPTH + 8)
            .maxStringLength(MAX_STRING)
            .maxNumberLength(100)
            .maxNameLength(64 * 1024)
            .build();
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(CONSTRAINTS)
            .errorReportConfiguration(ParseErrors.QUIET)
            .build();
    private static final YAMLFactory YAML = new AnchoredYamlFactory(YAMLFactory.builder()
            .loaderOptions(loaderOptions())
            .streamReadConstraints(CONSTRAINTS)
            .errorReportConfiguration(ParseErrors.QUIET));

    private SafeParsers() {}

    /** What the first bytes of an input look like. */
    public enum Format {
        JSON,
        YAML,
        EMPTY,
        BINARY
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions o = new LoaderOptions();
        o.setCodePointLimit(MAX_DOCUMENT_CODE_POINTS);
        o.setMaxAliasesForCollections(TreeReader.MAX_ALIASES);
        o.setNestingDepthLimit(TreeReader.MAX_DEPTH);
        o.setAllowDuplicateKeys(false);
        o.setAllowRecursiveKeys(false);
        o.setProcessComments(false);
        o.setWrappedToRootException(false);
        return o;
    }

    /**
     * Jackson's YAML parser reports the anchor ({@code &name}) of a mapping or sequence as its
     * object id but drops that of a scalar ({@code image: &img nginx:1.25}); this one keeps it, so
     * that {@link TreeReader} can expand {@code *img}.
     */
    public static final class AnchoredYamlParser extends YAMLParser {
        AnchoredYamlParser(
                IOContext ctxt,
                int features,
                int yamlFeatures,
                LoaderOptions options,
                ObjectCodec codec,
                Reader reader) {
            super(ctxt, features, yamlFeatures, options, codec, reader);
        }

        /** The anchor of the scalar at the current value token, or null. */
        public String scalarAnchor() {
            return _lastTagEvent instanceof ScalarEvent s ? s.getAnchor() : null;
        }
    }

    private static final class AnchoredYamlFactory extends YAMLFactory {
        private static final long serialVersionUID = 1L;

        AnchoredYamlFactory(YAMLFactoryBuilder builder) {
            super(builder);
        }

        @Override
        protected YAMLParser _createParser(InputStream in, IOContext ctxt) throws IOException {
            return new AnchoredYamlParser(
                    ctxt,
                    _parserFeatures,
                    _yamlParserFeatures,
                    _loaderOptions,
                    _objectCodec,
                    _createReader(in, null, ctxt));
        }
    }

    /** A YAML parser over UTF-8, or UTF-16 with a byte-order mark; {@code in} must support mark. */
    public static YAMLParser yaml(BufferedInputStream in) throws IOException {
        in.mark(2);
        byte[] head = in.readNBytes(2);
        in.reset();
        if (utf16(head)) {
            return (YAMLParser) YAML.createParser(new InputStreamReader(in, StandardCharsets.UTF_16));
        }
        return (YAMLParser) YAML.createParser(in);
    }

    /** A JSON parser; Jackson detects UTF-8, UTF-16 and UTF-32 itself. */
    public static JsonParser json(InputStream in) throws IOException {
        return JSON.createParser(in);
    }

    /**
     * Reads the one YAML (or JSON) document of a small file Warden is configured with
     * ({@code warden.yaml}, a posture policy, a policy test file) with every limit hostile input
     * gets: at most {@code maxBytes}, aliases and nesting bounded, duplicate keys refused. Returns
     * null for an empty document; errors are one line naming {@code name} and the line.
     */
    public static JsonNode document(String name, byte[] content, long maxBytes) {
        if (content.length > maxBytes) {
            throw new InputException(name + ": larger than " + maxBytes + " bytes");
        }
        JsonParser p = null;
        try {
            p = yaml(new BufferedInputStream(new ByteArrayInputStream(content)));
            if (p.nextToken() == null) {
                return null;
            }
            JsonNode root = new TreeReader(p, true, false).readRoot();
            if (p.nextToken() != null) {
                throw new InputException(
                        name + ":" + p.currentLocation().getLineNr() + ": a second YAML document; this file holds one");
            }
            return root;
        } catch (IOException | RuntimeException e) {
            throw error(name, p, e);
        } finally {
            if (p != null) {
                try {
                    p.close();
                } catch (IOException ignored) {
                    // nothing was written; the error, if any, is already on its way
                }
            }
        }
    }

    /**
     * Looks at the start of {@code in} (which must support mark): binary content (a NUL byte in the
     * first 8 KiB), nothing but white space, JSON (first character <code>&#123;</code> or {@code [}) or YAML.
     */
    public static Format sniff(BufferedInputStream in) throws IOException {
        in.mark(8192);
        byte[] head = in.readNBytes(8192);
        in.reset();
        String text;
        if (utf16(head)) {
            text = new String(head, 0, head.length & ~1, StandardCharsets.UTF_16);
        } else {
            for (byte b : head) {
                if (b == 0) {
                    return Format.BINARY;
                }
            }
            text = new String(head, StandardCharsets.ISO_8859_1);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean bom = c == '\uFEFF' || (i < 3 && (c == 0xEF || c == 0xBB || c == 0xBF));
            if (c == 0) {
                return Format.BINARY;
            }
            if (!bom && c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return c == '{' || c == '[' ? Format.JSON : Format.YAML;
            }
        }
        return Format.EMPTY;
    }

    /** Whether {@code head} starts with a UTF-16 byte-order mark (PowerShell's {@code >} writes one). */
    private static boolean utf16(byte[] head) {
        return head.length >= 2
                && (((head[0] & 0xff) == 0xFE && (head[1] & 0xff) == 0xFF)
                        || ((head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE));
    }

    /**
     * The error for {@code e} raised while {@code p} (may be null) read input {@code name}: one line,
     * {@code name:LINE: ...}, with the JSON pointer of the value being read where there is one.
     */
    public static InputException error(String name, JsonParser p, Exception e) {
        if (e instanceof InputException d) {
            return d;
        }
        long line = -1;
        String message;
        MarkedYAMLException marked = find(e, MarkedYAMLException.class);
        YAMLException yamlError = find(e, YAMLException.class);
        if (e instanceof TreeReader.LimitException limit) {
            line = limit.line();
            message = limit.getMessage();
        } else if (marked != null) {
            line = marked.getProblemMark() != null ? marked.getProblemMark().getLine() + 1 : -1;
            message = "malformed YAML: " + ParseErrors.description(marked);
        } else if (yamlError != null) {
            message = "refused YAML: " + ParseErrors.description(yamlError);
        } else if (find(e, CharConversionException.class) != null) {
            message = "not UTF-8 text (binary content?)";
        } else if (e instanceof StreamConstraintsException c) {
            message = "refused: " + firstLine(c.getOriginalMessage()).replaceAll(" \\(from `.*`\\)", "");
        } else if (e instanceof JsonProcessingException j) {
            message = "malformed " + (p instanceof YAMLParser ? "YAML" : "JSON") + ": " + ParseErrors.description(j);
        } else {
            message = "cannot read: " + firstLine(String.valueOf(e.getMessage()));
        }
        if (line < 0 && e instanceof JsonProcessingException j && j.getLocation() != null) {
            line = j.getLocation().getLineNr();
        }
        if (line < 0 && p != null) {
            JsonLocation at = p.currentLocation();
            line = at == null ? -1 : at.getLineNr();
        }
        String pointer = pointer(p);
        return new InputException(
                name + (line > 0 ? ":" + line : "") + ": " + (pointer.isEmpty() ? "" : "at " + pointer + ": ")
                        + message,
                e);
    }

    private static String pointer(JsonParser p) {
        if (p == null) {
            return "";
        }
        try {
            String ptr = p.getParsingContext().pathAsPointer().toString();
            return ptr.length() > 200 ? ptr.substring(0, 200) + "…" : ptr;
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = (nl < 0 ? s : s.substring(0, nl)).strip();
        StringBuilder b = new StringBuilder();
        line.codePoints().limit(200).forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return b.toString();
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
