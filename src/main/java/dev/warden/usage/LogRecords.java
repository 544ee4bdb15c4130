package dev.warden.usage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What the log parsers share when they read one JSON record: its string fields, and the reason a
 * record is skipped (reported with its file and position, never thrown past the parser).
 */
public final class LogRecords {
    private LogRecords() {}

    /** Why a record cannot be used; cheap (no stack trace), as malformed logs throw many. */
    public static final class Skip extends Exception {
        private static final long serialVersionUID = 1L;

        public Skip(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The text of required field {@code f}; null, and {@code f} added to {@code missing}, when it is absent or empty. */
    public static String field(JsonNode n, String f, List<String> missing) throws Skip {
        JsonNode v = n.get(f);
        if (v != null && !v.isNull() && !v.isTextual()) {
            throw new Skip(f + " is not a string");
        }
        String s = text(n, f);
        if (s == null) {
            missing.add(f);
        }
        return s;
    }

    /** The text of field {@code f}, or null when it is missing, null, empty or not a string. */
    public static String text(JsonNode n, String f) {
        JsonNode v = n.get(f);
        if (v == null || !v.isTextual()) {
            return null;
        }
        String s = v.textValue();
        return s.isEmpty() ? null : s;
    }
}
