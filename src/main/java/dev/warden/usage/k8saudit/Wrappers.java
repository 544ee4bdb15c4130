package dev.warden.usage.k8saudit;

import static dev.warden.usage.LogRecords.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.input.Echo;
import dev.warden.usage.LogRecords.Skip;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Unwraps the containers audit events arrive in (research/real-formats.md §3.6) down to plain
 * audit {@code Event} objects: an {@code EventList} (the webhook backend's batch body) gives its
 * {@code items}; a GKE Cloud Logging {@code LogEntry} (its {@code protoPayload} an AuditLog of
 * service {@code k8s.io}) is rewritten as the Event it records; an AKS diagnostic record (category
 * {@code kube-audit} or {@code kube-audit-admin}) gives {@code properties.log}, an object or the
 * JSON string the API server wrote; {@code records[]} (Event Hub) recurses; {@code aws logs
 * filter-log-events} / {@code get-log-events} output gives each {@code events[].message}, parsed.
 */
final class Wrappers {
    private static final int MAX_DEPTH = 4;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** GKE {@code resourceName}: {@code GROUP/VERSION[/namespaces/NS]/RESOURCE[/NAME[/SUB]]}. */
    private static final Pattern GKE_RESOURCE =
            Pattern.compile("([^/]+)/([^/]+)(?:/namespaces/([^/]+))?/([^/]+)(?:/([^/]+)(?:/([^/]+))?)?");

    private final ObjectMapper mapper;

    Wrappers(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Passes each audit Event inside {@code n} to {@code events}, and why for each element of a
     * wrapped list that holds none to {@code skipped}; throws when {@code n} itself holds none.
     */
    void unwrap(JsonNode n, Consumer<JsonNode> events, Consumer<String> skipped) throws Skip {
        unwrap(n, events, skipped, 0);
    }

    private void unwrap(JsonNode n, Consumer<JsonNode> events, Consumer<String> skipped, int depth) throws Skip {
        if (!n.isObject()) {
            throw new Skip("not a JSON object");
        }
        if (depth > MAX_DEPTH) {
            throw new Skip("wrappers nested too deep");
        }
        if ("EventList".equals(text(n, "kind")) && n.path("items").isArray()) {
            n.get("items").forEach(events);
            return;
        }
        if (n.path("protoPayload").isObject()) {
            events.accept(gke(n));
            return;
        }
        String category = text(n, "category");
        if (category != null && n.has("properties")) {
            if (!category.startsWith("kube-audit")) {
                throw new Skip("Azure diagnostic record of category '" + Echo.shown(category) + "', not kube-audit");
            }
            JsonNode props = n.get("properties");
            JsonNode log = props.path("log");
            if (log.isTextual()) {
                unwrap(json(log.textValue(), "properties.log"), events, skipped, depth + 1);
            } else if (log.isObject()) {
                unwrap(log, events, skipped, depth + 1);
            } else if (props.isObject() && props.has("auditID")) {
                events.accept(props);
            } else {
                throw new Skip("kube-audit record without properties.log");
            }
            return;
        }
        JsonNode list = n.has("records") ? n.get("records") : n.has("logEvents") ? n.get("logEvents") : n.get("events");
        if (list != null && list.isArray() && !n.has("auditID")) {
            for (JsonNode e : list) {
                try {
                    element(e, events, skipped, depth + 1);
                } catch (Skip x) {
                    skipped.accept(x.getMessage());
                }
            }
            return;
        }
        events.accept(n);
    }

    /** One element of a streamed {@code items}, {@code events}, {@code records} or {@code logEvents} array. */
    void element(JsonNode e, Consumer<JsonNode> events, Consumer<String> skipped) throws Skip {
        element(e, events, skipped, 1);
    }

    private void element(JsonNode e, Consumer<JsonNode> events, Consumer<String> skipped, int depth) throws Skip {
        if (e.isObject() && e.path("message").isTextual() && !e.has("auditID")) {
            unwrap(json(e.get("message").textValue(), "message"), events, skipped, depth);
        } else {
            unwrap(e, events, skipped, depth);
        }
    }

    private JsonNode json(String text, String field) throws Skip {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Skip(field + " is not JSON (truncated?)");
        }
    }

    /**
     * A GKE Kubernetes audit {@code LogEntry} as the Event it records: who {@code
     * authenticationInfo.principalEmail}, verb the last {@code methodName} segment ({@code
     * io.k8s.core.v1.pods.create}), group, namespace, resource and subresource from {@code
     * resourceName}, when the entry's {@code timestamp}, from {@code requestMetadata}, error {@code
     * response.code} (HTTP) or a non-zero {@code status.code} (gRPC). One entry per request.
     */
    private static JsonNode gke(JsonNode n) throws Skip {
        JsonNode p = n.get("protoPayload");
        String service = text(p, "serviceName");
        if (service != null && !service.equals("k8s.io")) {
            throw new Skip("Cloud Logging entry of service '" + Echo.shown(service) + "', not k8s.io");
        }
        String method = text(p, "methodName");
        String name = text(p, "resourceName");
        if (method == null || !method.startsWith("io.k8s.")) {
            throw new Skip("protoPayload.methodName is not a Kubernetes method");
        }
        ObjectNode e = F.objectNode();
        String id = text(n, "insertId");
        e.put("auditID", id == null ? n.path("operation").path("id").asText("") : id);
        e.put("stage", "ResponseComplete");
        e.put("verb", method.substring(method.lastIndexOf('.') + 1));
        String who = text(p.path("authenticationInfo"), "principalEmail");
        if (who != null) {
            e.putObject("user").put("username", who);
        }
        JsonNode meta = p.path("requestMetadata");
        if (text(meta, "callerIp") != null) {
            e.putArray("sourceIPs").add(text(meta, "callerIp"));
        }
        if (text(meta, "callerSuppliedUserAgent") != null) {
            e.put("userAgent", text(meta, "callerSuppliedUserAgent"));
        }
        Matcher m = name == null ? null : GKE_RESOURCE.matcher(name);
        if (m != null && m.matches()) {
            ObjectNode ref = e.putObject("objectRef");
            if (!m.group(1).equals("core")) {
                ref.put("apiGroup", m.group(1));
            }
            ref.put("apiVersion", m.group(2));
            if (m.group(3) != null) {
                ref.put("namespace", m.group(3));
            }
            ref.put("resource", m.group(4));
            if (m.group(6) != null) {
                ref.put("subresource", m.group(6));
            }
        } else if (name != null) {
            e.put("requestURI", name.startsWith("/") ? name : "/" + name);
        }
        if (text(n, "timestamp") != null) {
            e.put("requestReceivedTimestamp", text(n, "timestamp"));
        }
        JsonNode http = p.path("response").path("code");
        JsonNode grpc = p.path("status").path("code");
        if (http.isInt() && http.intValue() >= 400) {
            e.putObject("responseStatus").put("code", http.intValue());
        } else if (grpc.isInt() && grpc.intValue() != 0) {
            e.putObject("responseStatus").put("code", httpOf(grpc.intValue()));
        }
        return e;
    }

    /** The HTTP status a gRPC status code stands for (google.rpc.Code). */
    private static int httpOf(int grpc) {
        return switch (grpc) {
            case 5 -> 404;
            case 6 -> 409;
            case 7 -> 403;
            case 16 -> 401;
            case 8 -> 429;
            case 13, 2 -> 500;
            case 14 -> 503;
            default -> 400;
        };
    }
}
