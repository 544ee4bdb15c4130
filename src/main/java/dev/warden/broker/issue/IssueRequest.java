package dev.warden.broker.issue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * What a caller asked an {@link Issuer} for.
 *
 * @param role the issuer's role or template (null when the issuer has one)
 * @param ttl the requested lifetime, or null for the role's default
 * @param attributes request facts the issuer may use (a policy-decided SPIFFE ID, ...); not secret
 * @param payload issuer-specific input such as a DER CSR, or null
 */
public record IssueRequest(String role, Duration ttl, Map<String, String> attributes, byte[] payload) {
    public IssueRequest {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        payload = payload == null ? null : payload.clone();
    }

    public static IssueRequest of(String role, Duration ttl) {
        return new IssueRequest(role, ttl, Map.of(), null);
    }

    @Override
    public byte[] payload() {
        return payload == null ? null : payload.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IssueRequest r
                && Objects.equals(role, r.role)
                && Objects.equals(ttl, r.ttl)
                && attributes.equals(r.attributes)
                && Arrays.equals(payload, r.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(role, ttl, attributes, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "IssueRequest[role=" + role + ", ttl=" + ttl + "]";
    }
}
