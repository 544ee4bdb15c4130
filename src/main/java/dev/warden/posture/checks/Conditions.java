package dev.warden.posture.checks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.input.ParseErrors;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An IAM policy condition block, as the AWS connector keeps it (JSON text), read into clauses. */
final class Conditions {
    private static final ObjectMapper MAPPER = ParseErrors.quiet(new ObjectMapper());

    private Conditions() {}

    /** One operator/key pair with its values: {@code StringLike}, {@code token...:sub}, {@code [repo:org/*]}. */
    record Clause(String operator, String key, List<String> values) {
        /** Operators that require the key to match (not the negations, not Null). */
        boolean positive() {
            String op = operator.toLowerCase(Locale.ROOT);
            String base = op.contains(":") ? op.substring(op.indexOf(':') + 1) : op;
            return base.startsWith("string") && !base.startsWith("stringnot")
                    || base.startsWith("arn") && !base.startsWith("arnnot");
        }

        /** Operators whose values are wildcard patterns. */
        boolean wildcards() {
            return operator.toLowerCase(Locale.ROOT).contains("like");
        }

        boolean keyIs(String name) {
            return key.equalsIgnoreCase(name);
        }

        boolean keyEndsWith(String suffix) {
            return key.toLowerCase(Locale.ROOT).endsWith(suffix.toLowerCase(Locale.ROOT));
        }
    }

    /** The clauses of {@code json}; none when it is null or not a condition object (never an error). */
    static List<Clause> parse(String json) {
        List<Clause> out = new ArrayList<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return out;
        }
        if (root == null || !root.isObject()) {
            return out;
        }
        Iterator<Map.Entry<String, JsonNode>> ops = root.fields();
        while (ops.hasNext()) {
            Map.Entry<String, JsonNode> op = ops.next();
            if (!op.getValue().isObject()) {
                continue;
            }
            Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields();
            while (keys.hasNext()) {
                Map.Entry<String, JsonNode> k = keys.next();
                List<String> values = new ArrayList<>();
                if (k.getValue().isArray()) {
                    k.getValue().forEach(v -> values.add(v.asText()));
                } else {
                    values.add(k.getValue().asText());
                }
                out.add(new Clause(op.getKey(), k.getKey(), List.copyOf(values)));
            }
        }
        return out;
    }
}
