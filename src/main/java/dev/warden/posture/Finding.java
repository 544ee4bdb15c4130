package dev.warden.posture;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.warden.inventory.CredentialKind;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.Source;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A posture finding: one problem of one identity (and credential), what it is (check, OWASP NHI
 * risk, NIST CSF 2.0 subcategories, severity), the evidence and what to do, and its history (first
 * and last seen, status, the exception that accepts it). Its id is stable: the same problem found
 * again has the same id, so a fixed problem can be marked resolved and an exception outlives
 * re-evaluation. The id is the identity's id followed by a hash of check, identity, credential and
 * discriminator, so an identity's findings sort together.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Finding(
        String id,
        String checkId,
        Risk risk,
        List<String> nist,
        Severity severity,
        FindingStatus status,
        IdentityRef identity,
        CredentialRef credential,
        String summary,
        Map<String, Object> evidence,
        String remediation,
        Instant firstSeen,
        Instant lastSeen,
        Instant resolvedAt,
        Acceptance acceptance) {
    private static final Pattern ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9a-f]{16}");

    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(checkId, "checkId");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(status, "status");
        nist = List.copyOf(nist);
        evidence = evidence == null ? Map.of() : evidence;
    }

    /** The identity concerned, as the inventory knows it now. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IdentityRef(String id, IdentityKind kind, String name, String externalId, Source source) {}

    /** The credential concerned: never the secret, only how the source names it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CredentialRef(String id, CredentialKind kind, String externalId, String fingerprint) {}

    /** An exception: who accepted the finding, why, when, and until when it holds. */
    public record Acceptance(String reason, String approvedBy, Instant acceptedAt, Instant until) {}

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    });

    /** The stable id of the finding of {@code checkId} on identity, credential and discriminator. */
    public static String idFor(String checkId, String identityId, String credentialId, String discriminator) {
        MessageDigest sha = SHA256.get();
        sha.reset();
        for (String part : new String[] {
            "warden-finding-v1",
            checkId,
            identityId,
            credentialId == null ? "" : credentialId,
            discriminator == null ? "" : discriminator
        }) {
            byte[] b = part.getBytes(StandardCharsets.UTF_8);
            sha.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
            sha.update(b);
        }
        return identityId + "-" + HexFormat.of().formatHex(sha.digest(), 0, 8);
    }

    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }
}
