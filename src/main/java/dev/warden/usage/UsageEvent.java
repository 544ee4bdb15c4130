package dev.warden.usage;

import java.time.Instant;
import java.util.Objects;

/**
 * One use of a machine identity, as an activity log records it: who ({@code principal}, the
 * identity's canonical external id in {@code sourceType}/{@code scope}: a role ARN, a user ARN,
 * {@code system:serviceaccount:NS:NAME}), with which credential (an access key id; may be null),
 * what ({@code action} such as {@code s3:GetObject} or {@code get pods}, on {@code resource}),
 * from where ({@code sourceIp}, {@code userAgent}), of which {@code type}, whether it failed, and
 * where it landed ({@code target}: the account a CloudTrail call was made in — its
 * {@code recipientAccountId}, which differs from the caller's own account for cross-account
 * calls; null when the log has no such notion).
 */
public record UsageEvent(
        Instant at,
        String sourceType,
        String scope,
        String principal,
        String credential,
        String action,
        String resource,
        String sourceIp,
        String userAgent,
        String type,
        String errorCode,
        String target) {
    /** Event types. */
    public static final String API = "api";

    public static final String CONSOLE_LOGIN = "console-login";
    public static final String ISSUANCE = "issuance";

    private static final int MAX = 1024;

    public UsageEvent {
        Objects.requireNonNull(at, "at");
        sourceType = required("sourceType", sourceType);
        scope = scope == null ? "" : bounded(scope);
        principal = required("principal", principal);
        credential = optional(credential);
        action = required("action", action);
        resource = optional(resource);
        sourceIp = optional(sourceIp);
        userAgent = optional(userAgent);
        type = type == null ? API : type;
        errorCode = optional(errorCode);
        target = optional(target);
    }

    /** An event with no target (a log that has no notion of where a call landed). */
    public UsageEvent(
            Instant at,
            String sourceType,
            String scope,
            String principal,
            String credential,
            String action,
            String resource,
            String sourceIp,
            String userAgent,
            String type,
            String errorCode) {
        this(
                at,
                sourceType,
                scope,
                principal,
                credential,
                action,
                resource,
                sourceIp,
                userAgent,
                type,
                errorCode,
                null);
    }

    private static String required(String field, String v) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return bounded(v);
    }

    private static String optional(String v) {
        return v == null || v.isBlank() ? null : bounded(v);
    }

    /** Log fields are cut, not refused: a long user agent should not cost the event. */
    private static String bounded(String v) {
        String s = v.length() > MAX ? v.substring(0, MAX) : v;
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                if (b == null) {
                    b = new StringBuilder(s);
                }
                b.setCharAt(i, '?');
            }
        }
        return b == null ? s : b.toString();
    }
}
