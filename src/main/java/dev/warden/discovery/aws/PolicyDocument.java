package dev.warden.discovery.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.inventory.Effect;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An IAM policy document, given as a JSON object or as the URL-encoded JSON string the raw IAM API
 * returns. Statements keep Allow/Deny, (Not)Action, (Not)Resource, Principal and Condition as given.
 */
record PolicyDocument(List<Statement> statements) {
    private static final int MAX_STATEMENTS = 1_000;

    /** One statement; {@code principals} maps principal type (aws, service, federated, *) to values. */
    record Statement(
            Effect effect,
            List<String> actions,
            boolean notAction,
            List<String> resources,
            boolean notResource,
            List<Map.Entry<String, String>> principals,
            String condition) {}

    static PolicyDocument parse(JsonNode document, ObjectMapper mapper, String where) {
        JsonNode doc = document;
        if (doc == null || doc.isNull()) {
            return new PolicyDocument(List.of());
        }
        if (doc.isTextual()) {
            String text = doc.asText();
            try {
                String json =
                        text.stripLeading().startsWith("{") ? text : URLDecoder.decode(text, StandardCharsets.UTF_8);
                doc = mapper.readTree(json);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": policy document is neither JSON nor URL-encoded JSON");
            }
        }
        if (!doc.isObject()) {
            throw new IllegalArgumentException(where + ": policy document must be a JSON object");
        }
        JsonNode st = doc.get("Statement");
        List<JsonNode> raw = new ArrayList<>();
        if (st == null || st.isNull()) {
            return new PolicyDocument(List.of());
        } else if (st.isArray()) {
            st.forEach(raw::add);
        } else if (st.isObject()) {
            raw.add(st);
        } else {
            throw new IllegalArgumentException(where + ": Statement must be an object or an array");
        }
        if (raw.size() > MAX_STATEMENTS) {
            throw new IllegalArgumentException(where + ": more than " + MAX_STATEMENTS + " statements");
        }
        List<Statement> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            out.add(statement(raw.get(i), mapper, where + "/Statement/" + i));
        }
        return new PolicyDocument(out);
    }

    private static Statement statement(JsonNode s, ObjectMapper mapper, String where) {
        if (!s.isObject()) {
            throw new IllegalArgumentException(where + ": statement must be an object");
        }
        String effect = text(s.get("Effect"), where + "/Effect");
        Effect e;
        if ("Allow".equals(effect)) {
            e = Effect.ALLOW;
        } else if ("Deny".equals(effect)) {
            e = Effect.DENY;
        } else {
            throw new IllegalArgumentException(where + "/Effect: must be Allow or Deny");
        }
        boolean notAction = s.has("NotAction");
        boolean notResource = s.has("NotResource");
        List<String> actions = strings(s.get(notAction ? "NotAction" : "Action"), where + "/Action");
        List<String> resources = strings(s.get(notResource ? "NotResource" : "Resource"), where + "/Resource");
        List<Map.Entry<String, String>> principals = new ArrayList<>();
        JsonNode p = s.get("Principal");
        if (p != null && !p.isNull()) {
            if (p.isTextual()) {
                principals.add(Map.entry("*", p.asText()));
            } else if (p.isObject()) {
                Iterator<Map.Entry<String, JsonNode>> fields = p.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> f = fields.next();
                    String type = f.getKey().toLowerCase(Locale.ROOT);
                    for (String v : strings(f.getValue(), where + "/Principal/" + f.getKey())) {
                        principals.add(Map.entry(type, v));
                    }
                }
            } else {
                throw new IllegalArgumentException(where + "/Principal: must be a string or an object");
            }
        }
        String condition = null;
        JsonNode c = s.get("Condition");
        if (c != null && !c.isNull()) {
            try {
                condition = mapper.writeValueAsString(c);
            } catch (JsonProcessingException ex) {
                throw new IllegalArgumentException(where + "/Condition: cannot be written back as JSON");
            }
        }
        return new Statement(e, actions, notAction, resources, notResource, principals, condition);
    }

    private static String text(JsonNode n, String where) {
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException(where + ": must be a string");
        }
        return n.asText();
    }

    static List<String> strings(JsonNode n, String where) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isTextual()) {
            out.add(n.asText());
        } else if (n.isArray()) {
            for (JsonNode v : n) {
                if (!v.isTextual()) {
                    throw new IllegalArgumentException(where + ": must be a string or an array of strings");
                }
                out.add(v.asText());
            }
        } else {
            throw new IllegalArgumentException(where + ": must be a string or an array of strings");
        }
        return out;
    }
}
