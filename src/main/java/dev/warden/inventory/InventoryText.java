package dev.warden.inventory;

import dev.warden.input.Echo;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Validation shared by the inventory records: bounded, printable text and enum parsing. */
public final class InventoryText {
    /** Longest accepted name, id, owner or tag value. */
    public static final int MAX_TEXT = 2048;

    public static final int MAX_TAGS = 128;

    private InventoryText() {}

    static <E extends Enum<E>> E parseEnum(Class<E> type, String label, String text) {
        String key = text == null ? "" : text.strip().replace('-', '_').toUpperCase(Locale.ROOT);
        for (E v : type.getEnumConstants()) {
            if (v.name().equals(key)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown " + label + " '" + Echo.shown(text) + "' (expected one of "
                + Arrays.stream(type.getEnumConstants())
                        .map(e -> e.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", "))
                + ")");
    }

    /** Required text: non-blank, bounded, no control characters. */
    static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return optional(field, value);
    }

    /** Optional text: null or blank becomes null; otherwise bounded, no control characters. */
    static String optional(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_TEXT) {
            throw new IllegalArgumentException(field + " is longer than " + MAX_TEXT + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\t') {
                throw new IllegalArgumentException(field + " contains a control character");
            }
        }
        return value;
    }

    static Map<String, String> tags(String field, Map<String, String> tags) {
        if (tags == null) {
            return Map.of();
        }
        if (tags.size() > MAX_TAGS) {
            throw new IllegalArgumentException(field + " has more than " + MAX_TAGS + " entries");
        }
        tags.forEach((k, v) -> {
            required(field + " key", k);
            if (v == null) {
                throw new IllegalArgumentException(field + " '" + Echo.shown(k) + "' has no value");
            }
            if (!v.isEmpty()) {
                optional(field + " '" + Echo.shown(k) + "'", v);
            }
        });
        return Map.copyOf(tags);
    }
}
