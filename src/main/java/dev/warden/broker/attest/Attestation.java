package dev.warden.broker.attest;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What an attestor verified about a workload.
 *
 * @param workload the normalised workload id ({@code system:serviceaccount:NS:NAME},
 *     {@code repo:ORG/REPO:ref:REF}, a SPIFFE ID, ...): the issued token's {@code sub}
 * @param attestor the attestor's configured name
 * @param kind the attestor kind ({@code oidc}, {@code spiffe-jwt}, {@code x509})
 * @param issuer who vouched for the workload (token issuer, trust domain or CA subject)
 * @param spiffeId the SPIFFE ID when the proof carries one, else null
 * @param claims the verified claims, as parsed JSON (strings, numbers, booleans, lists, maps)
 * @param attributes normalised attributes for policies and the inventory (namespace, repository, ...)
 * @param proofId the proof's own id ({@code jti}) or null; a non-null id is accepted once
 * @param proofExpiresAt when the proof itself expires
 * @param certificateThumbprint base64url SHA-256 of the client certificate (x509), else null
 */
public record Attestation(
        String workload,
        String attestor,
        String kind,
        String issuer,
        String spiffeId,
        Map<String, Object> claims,
        Map<String, String> attributes,
        String proofId,
        Instant proofExpiresAt,
        String certificateThumbprint) {
    public Attestation {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(attestor, "attestor");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(proofExpiresAt, "proofExpiresAt");
        if (workload.isBlank() || workload.length() > 1024) {
            throw new IllegalArgumentException("workload id must be 1-1024 characters");
        }
        claims = Map.copyOf(claims);
        attributes = Map.copyOf(attributes);
    }
}
