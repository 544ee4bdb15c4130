package dev.warden.usage.k8saudit;

import static dev.warden.usage.LogRecords.field;
import static dev.warden.usage.LogRecords.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.input.Echo;
import dev.warden.inventory.ExternalIds;
import dev.warden.usage.EventTimes;
import dev.warden.usage.LogRecords.Skip;
import dev.warden.usage.UsageEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One Kubernetes audit {@code Event} ({@code audit.k8s.io/v1}; {@code v1beta1} has the same fields)
 * → one {@link UsageEvent}; {@code kind} and {@code apiVersion} may be missing. Who: {@code
 * impersonatedUser.username} when the request impersonated (its RBAC applied), else {@code
 * user.username}: a service account as {@code system:serviceaccount:NS:NAME}, its
 * inventory external id; people and other non-{@code system:} users (kubeconfig certificates, OIDC
 * users) under their user name, so they are counted but match no machine identity; other {@code
 * system:} users (nodes, the scheduler, the controller manager, {@code system:anonymous}) are
 * control-plane components whose credentials Kubernetes itself manages, and give no event. Source
 * type {@code kubernetes}, scope the cluster named by the ingestion.
 *
 * <p>Action {@code VERB RESOURCE} as RBAC grants it ({@code get pods}, {@code get apps/deployments},
 * {@code create pods/exec}, {@code get /healthz} for a non-resource URL), resource {@code
 * namespace/NS} or {@code cluster}, the same forms the kubernetes connector gives entitlements, so
 * used and granted compare directly. When: {@code requestReceivedTimestamp}, else v1beta1's {@code
 * timestamp}, else {@code stageTimestamp}. From: {@code
 * sourceIPs[0]}, {@code userAgent}. A {@code responseStatus.code} of 400 or more is the error.
 */
final class AuditEvents {
    static final String SOURCE_TYPE = "kubernetes";
    static final String SERVICE_ACCOUNT = "system:serviceaccount:";
    static final Set<String> FINAL_STAGES = Set.of("ResponseComplete", "Panic");
    static final Set<String> STAGES = Set.of("RequestReceived", "ResponseStarted", "ResponseComplete", "Panic");
    private static final Set<String> VERSIONS =
            Set.of("audit.k8s.io/v1", "audit.k8s.io/v1beta1", "audit.k8s.io/v1alpha1");

    /** AKS's own control-plane users (research/real-formats.md §3.2), components like {@code system:*}. */
    private static final Set<String> MANAGED_COMPONENTS =
            Set.of("aksService", "hcpService", "readinessChecker", "masterclient", "nodeclient");

    private final EventTimes times;

    AuditEvents(Clock clock) {
        this.times = new EventTimes(clock);
    }

    /** An audit event read: its request id, stage, and the usage it records (null for a component's). */
    record Audit(String auditId, String stage, UsageEvent event) {}

    Audit read(JsonNode n, String cluster) throws Skip {
        if (!n.isObject()) {
            throw new Skip("not a JSON object");
        }
        String kind = text(n, "kind");
        String version = text(n, "apiVersion");
        // exporters and SIEMs strip kind and apiVersion: an object without them is read as an Event
        if ((kind != null && !"Event".equals(kind)) || (version != null && !VERSIONS.contains(version))) {
            throw new Skip("not an audit.k8s.io/v1 Event (kind '" + Echo.shown(kind) + "', apiVersion '"
                    + Echo.shown(version) + "')");
        }
        List<String> missing = new ArrayList<>(4);
        String auditId = field(n, "auditID", missing);
        String stage = field(n, "stage", missing);
        String verb = field(n, "verb", missing);
        JsonNode user = n.get("user");
        String username = user == null || !user.isObject() ? null : text(user, "username");
        if (username == null) {
            missing.add("user.username");
        }
        // under impersonation the impersonated identity's RBAC applied: it is the one used
        JsonNode as = n.get("impersonatedUser");
        String impersonated = as == null || !as.isObject() ? null : text(as, "username");
        if (impersonated != null) {
            username = impersonated;
        }
        String time = text(n, "requestReceivedTimestamp");
        if (time == null) {
            time = text(n, "timestamp"); // v1beta1 before requestReceivedTimestamp
        }
        if (time == null) {
            time = text(n, "stageTimestamp");
        }
        if (time == null) {
            missing.add("requestReceivedTimestamp");
        }
        if (!missing.isEmpty()) {
            throw new Skip("missing " + String.join(", ", missing));
        }
        if (!STAGES.contains(stage)) {
            throw new Skip("stage '" + Echo.shown(stage) + "' is not an audit stage");
        }
        Instant at = EventTimes.parse(time);
        if (at == null) {
            throw new Skip("requestReceivedTimestamp '" + Echo.shown(time) + "' is not an RFC 3339 instant");
        }
        String absurd = times.problem(at);
        if (absurd != null) {
            throw new Skip("requestReceivedTimestamp " + absurd);
        }
        String principal = principal(username);
        if (principal == null) {
            return new Audit(auditId, stage, null);
        }
        JsonNode ref = n.get("objectRef");
        String resource = ref == null || !ref.isObject() ? null : text(ref, "resource");
        String action;
        String scope;
        if (resource != null) {
            String group = text(ref, "apiGroup");
            String sub = text(ref, "subresource");
            action = verb + " " + (group == null ? "" : group + "/") + resource + (sub == null ? "" : "/" + sub);
            String ns = text(ref, "namespace");
            scope = ns == null ? "cluster" : "namespace/" + ns;
        } else {
            String uri = text(n, "requestURI");
            if (uri == null || !uri.startsWith("/")) {
                throw new Skip("no objectRef.resource and no requestURI");
            }
            int q = uri.indexOf('?');
            action = verb + " " + (q < 0 ? uri : uri.substring(0, q));
            scope = "cluster";
        }
        JsonNode ips = n.get("sourceIPs");
        String ip = ips != null && ips.isArray() && ips.size() > 0 && ips.get(0).isTextual()
                ? ips.get(0).textValue()
                : null;
        JsonNode status = n.path("responseStatus").path("code");
        String error = status.isInt() && status.intValue() >= 400 ? Integer.toString(status.intValue()) : null;
        if (error == null && stage.equals("Panic")) {
            error = "Panic";
        }
        return new Audit(
                auditId,
                stage,
                new UsageEvent(
                        at,
                        SOURCE_TYPE,
                        cluster,
                        principal,
                        null,
                        action,
                        scope,
                        ip,
                        text(n, "userAgent"),
                        UsageEvent.API,
                        error));
    }

    /**
     * The principal a user name is counted as, or null for a control-plane component: {@code
     * system:*}, EKS's {@code eks:*} and AKS's internal users.
     */
    private static String principal(String username) throws Skip {
        if (username.startsWith(SERVICE_ACCOUNT)) {
            String[] parts = username.substring(SERVICE_ACCOUNT.length()).split(":", -1);
            try {
                if (parts.length != 2) {
                    throw new IllegalArgumentException();
                }
                return ExternalIds.kubernetesServiceAccount(parts[0], parts[1]);
            } catch (IllegalArgumentException e) {
                throw new Skip("user.username '" + Echo.shown(username) + "' is not a service account name");
            }
        }
        return username.startsWith("system:") || username.startsWith("eks:") || MANAGED_COMPONENTS.contains(username)
                ? null
                : username;
    }
}
