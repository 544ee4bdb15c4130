package dev.warden.posture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.input.ParseErrors;
import dev.warden.store.StoreException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evidence as stored: a JSON object written by hand (strings, whole numbers, booleans, lists of
 * strings), because an evaluation writes it for every finding and compares it with what is stored;
 * equal evidence gives equal text.
 */
final class EvidenceJson {
    /** Whole numbers read back as longs, as a detection holds them. */
    private static final ObjectMapper MAPPER = ParseErrors.quiet(new ObjectMapper())
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_LONG_FOR_INTS);

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private EvidenceJson() {}

    static String write(Map<String, Object> evidence) {
        StringBuilder b = new StringBuilder(64 + evidence.size() * 32);
        b.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : evidence.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            string(b, e.getKey());
            b.append(':');
            value(b, e.getValue());
        }
        return b.append('}').toString();
    }

    /** True when nothing in {@code s} needs escaping (the common case). */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c == '\u2028' || c == '\u2029') {
                return false;
            }
        }
        return true;
    }

    static Map<String, Object> read(String json) {
        try {
            return MAPPER.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored finding evidence is corrupt: " + ParseErrors.describe(e), e);
        }
    }

    private static void value(StringBuilder b, Object v) {
        if (v instanceof String s) {
            string(b, s);
        } else if (v instanceof Long || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof List<?> list) {
            b.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                string(b, String.valueOf(list.get(i)));
            }
            b.append(']');
        } else {
            string(b, String.valueOf(v));
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        if (plain(s)) {
            b.append(s).append('"');
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
