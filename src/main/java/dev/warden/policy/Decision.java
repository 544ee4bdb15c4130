package dev.warden.policy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A policy decision. Deny by default: {@code allowed} only when one policy matched the workload,
 * granted every target and scope, and its condition held. {@code outcome} says how far the best
 * candidate got, which the token endpoint maps to an RFC 8693 error.
 *
 * @param policy the deciding policy ({@code file#name}), or null when no policy matched
 * @param reason one lower-case sentence: why allowed or denied
 * @param ttl the token lifetime granted (allowed only)
 * @param scopes the scopes granted (allowed only)
 * @param trace one line per policy considered, for {@code warden policy explain}
 * @param spiffeId the SPIFFE ID an allowed X.509-SVID request is granted, else null
 * @param dnsNames the DNS names an allowed X.509-SVID request is granted
 */
public record Decision(
        boolean allowed,
        Outcome outcome,
        String policy,
        String reason,
        Duration ttl,
        List<String> scopes,
        String owner,
        String technicalOwner,
        List<String> trace,
        String spiffeId,
        List<String> dnsNames) {
    public Decision {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        trace = trace == null ? List.of() : List.copyOf(trace);
        dnsNames = dnsNames == null ? List.of() : List.copyOf(dnsNames);
    }

    /** A token decision. */
    public Decision(
            boolean allowed,
            Outcome outcome,
            String policy,
            String reason,
            Duration ttl,
            List<String> scopes,
            String owner,
            String technicalOwner,
            List<String> trace) {
        this(allowed, outcome, policy, reason, ttl, scopes, owner, technicalOwner, trace, null, List.of());
    }

    /** The OAuth error a denial answers with (RFC 8693 section 2.2.2), or null when allowed. */
    public String oauthError() {
        return switch (outcome) {
            case ALLOWED -> null;
            case TARGET_NOT_GRANTED -> "invalid_target";
            case SCOPE_NOT_GRANTED -> "invalid_scope";
            default -> "invalid_request";
        };
    }

    /** How far a request got. */
    public enum Outcome {
        ALLOWED,
        /** No policy matches the workload (or its attestor). */
        NO_MATCHING_POLICY,
        /** A policy matched but grants no X.509-SVID (it has no {@code spiffeId}). */
        SVID_NOT_GRANTED,
        /** A policy matched but grants none of the requested targets. */
        TARGET_NOT_GRANTED,
        /** A policy granted the target but not every requested scope. */
        SCOPE_NOT_GRANTED,
        /** A policy grants an X.509-SVID but not every DNS name requested. */
        DNS_NOT_GRANTED,
        /** A policy granted target and scopes but not the delegating actor. */
        ACTOR_NOT_GRANTED,
        /** A policy granted everything but its condition was false or failed. */
        CONDITION_FALSE
    }
}
