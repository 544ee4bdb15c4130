package dev.warden.scan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A stored scan hit: where a secret was found and, when it is linked, whose identity (and
 * credential) it belongs to. This is the seam posture checks read: each linked leak is an OWASP
 * NHI2 (Secret Leakage) finding on {@code identityId}, critical when the credential is active.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Leak(
        String scanId,
        String fingerprint,
        String rule,
        Severity severity,
        Confidence confidence,
        String redacted,
        String file,
        int line,
        int column,
        String commit,
        String author,
        Instant committedAt,
        Boolean presentAtHead,
        String linkType,
        String linkValue,
        String identityId,
        String credentialId,
        Instant foundAt) {}
