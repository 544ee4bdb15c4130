package dev.warden.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.input.ParseErrors;
import java.util.Map;
import java.util.TreeMap;

/** JSON text columns (tags, attributes, audit details): written sorted so equal maps store equal text. */
public final class JsonColumns {
    private static final ObjectMapper MAPPER = ParseErrors.quiet(new ObjectMapper());
    private static final TypeReference<TreeMap<String, String>> STRING_MAP = new TypeReference<>() {};

    private JsonColumns() {}

    public static String write(Map<String, ?> map) {
        try {
            return MAPPER.writeValueAsString(map == null ? Map.of() : new TreeMap<>(map));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be written as JSON", e);
        }
    }

    public static Map<String, String> readStringMap(String json) {
        if (json == null || json.isEmpty() || json.equals("{}")) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON column is corrupt: " + ParseErrors.describe(e), e);
        }
    }
}
