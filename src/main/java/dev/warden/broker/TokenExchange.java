package dev.warden.broker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.util.Base64URL;
import dev.warden.broker.attest.Attestation;
import dev.warden.broker.attest.AttestationException;
import dev.warden.broker.attest.Attestors;
import dev.warden.broker.attest.JwtParts;
import dev.warden.broker.attest.Proof;
import dev.warden.input.ParseErrors;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityStatus;
import dev.warden.inventory.Source;
import dev.warden.keys.SecretBox;
import dev.warden.policy.Decision;
import dev.warden.policy.PolicyEngine;
import dev.warden.policy.PolicyInput;
import dev.warden.store.Ids;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth 2.0 Token Exchange (RFC 8693) for workloads: attest the subject token (and the actor token
 * when one is given), decide by policy, record the decision — and on allow the issuance and the
 * workload identity — then sign a short-lived JWT access token (RFC 9068 shape). Transport-free:
 * the HTTP route hands in the form parameters and gets a response or an {@link OAuthError}.
 */
public final class TokenExchange {
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String TYPE_JWT = "urn:ietf:params:oauth:token-type:jwt";
    static final String TYPE_ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
    static final String TYPE_ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    /** Warden's subject token type for mTLS: the token is the presented certificate's x5t#S256. */
    static final String TYPE_TLS_CERT = "urn:warden:params:oauth:token-type:tls-client-certificate";

    static final String SOURCE_TYPE = "broker";
    private static final Duration RECORD_TIMEOUT = Duration.ofSeconds(10);
    static final Duration JTI_GRACE = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(TokenExchange.class);
    private static final JsonFactory CLAIMS = ParseErrors.quiet(new JsonFactory());
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final String issuer;
    private final String environment;
    private final Attestors attestors;
    private final PolicyEngine policies;
    private final SigningKeys keys;
    private final SecretBox box;
    private final DecisionRecorder recorder;
    private final Clock clock;
    private final boolean verboseErrors;

    /**
     * @param verboseErrors whether a refusal tells the caller its reason (the policy and its condition,
     *     the attestor's complaint); otherwise the caller gets a generic description and only the audit
     *     log has the reason, so an unauthenticated caller learns nothing of the configuration
     */
    TokenExchange(
            String issuer,
            String environment,
            Attestors attestors,
            PolicyEngine policies,
            SigningKeys keys,
            SecretBox box,
            DecisionRecorder recorder,
            Clock clock,
            boolean verboseErrors) {
        this.verboseErrors = verboseErrors;
        this.issuer = issuer;
        this.environment = environment;
        this.attestors = attestors;
        this.policies = policies;
        this.keys = keys;
        this.box = box;
        this.recorder = recorder;
        this.clock = clock;
    }

    /**
     * A token request: single-valued form parameters (the route rejects repeats), the caller's
     * address and the client certificate chain of the TLS connection (empty without mTLS).
     */
    public record Request(Map<String, String> params, String sourceAddress, List<X509Certificate> clientCertificate) {
        public Request {
            params = Map.copyOf(params);
            clientCertificate = clientCertificate == null ? List.of() : List.copyOf(clientCertificate);
        }
    }

    /** The RFC 8693 §2.2.1 response. */
    public record Response(
            String accessToken, String issuedTokenType, String tokenType, long expiresIn, String scope) {}

    public Response exchange(Request req) throws OAuthError {
        Map<String, String> p = req.params();
        String grant = p.get("grant_type");
        if (grant == null) {
            throw OAuthError.invalidRequest("grant_type is required");
        }
        if (!grant.equals(GRANT_TYPE)) {
            throw OAuthError.unsupportedGrantType("grant_type must be " + GRANT_TYPE);
        }
        String subjectToken = required(p, "subject_token");
        String subjectType = required(p, "subject_token_type");
        String requestedType = p.getOrDefault("requested_token_type", TYPE_ACCESS_TOKEN);
        if (!requestedType.equals(TYPE_ACCESS_TOKEN) && !requestedType.equals(TYPE_JWT)) {
            throw OAuthError.invalidRequest("requested_token_type must be " + TYPE_ACCESS_TOKEN + " or " + TYPE_JWT);
        }
        String audience = p.get("audience");
        String resource = p.get("resource");
        if (audience == null && resource == null) {
            throw OAuthError.invalidRequest("audience or resource is required (one target per exchange)");
        }
        if (audience != null && (audience.isEmpty() || audience.length() > 1024)) {
            throw OAuthError.invalidTarget("audience must be 1-1024 characters");
        }
        if (resource != null) {
            checkResource(resource);
        }
        List<String> scopes = scopes(p.get("scope"));
        Duration ttl = ttl(p.get("ttl"));
        Instant now = clock.instant();
        String fingerprint = box.fingerprint(subjectToken);

        Attestation subject =
                attestSubject(subjectToken, subjectType, req.clientCertificate(), fingerprint, req.sourceAddress());
        Attestation actor = null;
        String actorToken = p.get("actor_token");
        if (actorToken != null || p.containsKey("actor_token_type")) {
            if (actorToken == null) {
                throw OAuthError.invalidRequest("actor_token_type is given without actor_token");
            }
            String actorType = required(p, "actor_token_type");
            if (!actorType.equals(TYPE_JWT) && !actorType.equals(TYPE_ID_TOKEN)) {
                throw OAuthError.invalidRequest("actor_token_type must be " + TYPE_JWT + " or " + TYPE_ID_TOKEN);
            }
            try {
                actor = attestors.attest(new Proof.Jwt(JwtParts.parse(actorToken)));
            } catch (AttestationException e) {
                denyUnattested(box.fingerprint(actorToken), e, req.sourceAddress());
                throw OAuthError.invalidRequest("actor_token: " + refusal(e));
            }
        }

        PolicyInput input = new PolicyInput(
                policySubject(subject),
                new PolicyInput.Request(audience, resource, scopes, ttl, actor == null ? null : actor.workload()),
                new PolicyInput.Context(now, req.sourceAddress(), environment));
        Decision d = policies.decide(input);

        String jti = Ids.next();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("decision", d.allowed() ? "allow" : "deny");
        details.put("policy", d.policy() == null ? "" : d.policy());
        details.put("reason", d.reason());
        details.put("policyDigest", policies.current().digest());
        details.put("subjectFingerprint", fingerprint);
        details.put("attestor", subject.attestor());
        details.put("target", String.join(" ", input.request().targets()));
        details.put("scope", String.join(" ", d.allowed() ? d.scopes() : scopes));
        details.put("sourceAddress", req.sourceAddress() == null ? "" : req.sourceAddress());
        if (actor != null) {
            details.put("actor", actor.workload());
        }
        Identity identity;
        try {
            identity = identity(subject, d, now);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidRequest("subject_token: its claims cannot be recorded (" + e.getMessage() + ")");
        }
        Issuance issuance = null;
        Instant expires = null;
        if (d.allowed()) {
            expires = now.plus(d.ttl());
            details.put("jti", jti);
            details.put("ttlSeconds", Long.toString(d.ttl().toSeconds()));
            issuance = new Issuance(
                    jti,
                    null,
                    subject.workload(),
                    subject.attestor(),
                    d.policy(),
                    input.request().targets(),
                    d.scopes(),
                    actor == null ? null : actor.workload(),
                    fingerprint,
                    req.sourceAddress(),
                    now,
                    expires,
                    null,
                    null);
        }
        if (!d.allowed() && !recorder.denials().admit(req.sourceAddress())) {
            // A repeated denial from this source in this audit window: counted, not written.
            throw new OAuthError(400, d.oauthError(), refusal(d));
        }
        DecisionRecorder.Entry entry = new DecisionRecorder.Entry(
                "workload:" + subject.attestor() + "/" + subject.workload(),
                subject.workload(),
                jtiKey(subject),
                subject.proofExpiresAt().plus(JTI_GRACE),
                identity,
                issuance,
                d.allowed() ? "broker.issue" : "broker.deny",
                details);
        DecisionRecorder.Outcome outcome = await(recorder.submit(entry));
        if (outcome == DecisionRecorder.Outcome.REPLAYED) {
            throw OAuthError.invalidRequest("subject_token was already used (its jti was accepted before)");
        }
        if (!d.allowed()) {
            throw new OAuthError(400, d.oauthError(), refusal(d));
        }
        String token = sign(subject, actor, input.request().targets(), d, jti, now, expires);
        return new Response(
                token,
                requestedType,
                "Bearer",
                d.ttl().toSeconds(),
                d.scopes().isEmpty() ? null : String.join(" ", d.scopes()));
    }

    /**
     * Attests a subject token exactly as token exchange does (a JWT, or the thumbprint of the mTLS
     * client certificate); a failure is audited as {@code broker.deny} and answered as
     * {@code invalid_request}. Shared with the X.509-SVID endpoint.
     */
    Attestation attestSubject(
            String token, String type, List<X509Certificate> chain, String fingerprint, String sourceAddress)
            throws OAuthError {
        try {
            return attestors.attest(proof(token, type, chain));
        } catch (AttestationException e) {
            denyUnattested(fingerprint, e, sourceAddress);
            throw OAuthError.invalidRequest("subject_token: " + refusal(e));
        }
    }

    /** What a caller is told of a proof that was not accepted (the audit log has the full reason). */
    String refusal(AttestationException e) {
        return verboseErrors ? e.getMessage() : "not accepted (" + e.code().replace('_', ' ') + ")";
    }

    /** What a caller is told of a policy denial (the audit log has the policy and its reason). */
    String refusal(Decision d) {
        if (verboseErrors) {
            return d.reason();
        }
        return switch (String.valueOf(d.oauthError())) {
            case "invalid_target" -> "no policy grants this audience or resource to this workload";
            case "invalid_scope" -> "no policy grants the requested scope to this workload";
            default -> "no policy allows this request";
        };
    }

    /** What a caller is told when an allowed decision still cannot be issued ({@code reason} is audited). */
    String refusal(String reason, String generic) {
        return verboseErrors ? reason : generic;
    }

    /** The policy's view of an attested subject. */
    static PolicyInput.Subject policySubject(Attestation subject) {
        return new PolicyInput.Subject(
                subject.workload(),
                subject.attestor(),
                subject.kind(),
                subject.issuer(),
                subject.spiffeId(),
                subject.claims(),
                subject.attributes());
    }

    /** The replay-cache key of the subject's proof (null when the proof has no id). */
    String jtiKey(Attestation subject) {
        return subject.proofId() == null
                ? null
                : box.fingerprint(subject.attestor() + "\0" + subject.issuer() + "\0" + subject.proofId());
    }

    String environment() {
        return environment;
    }

    /**
     * A workload allowed by policy to obtain a leased credential: the verified subject, the decision
     * and the identity to record the credential under.
     */
    record Authorization(Attestation subject, Decision decision, Identity identity) {
        /** The audit actor of the workload. */
        String actor() {
            return "workload:" + subject.attestor() + "/" + subject.workload();
        }
    }

    /** Yields the proof to attest; a malformed one throws. */
    @FunctionalInterface
    private interface ProofSource {
        Proof get() throws AttestationException;
    }

    /**
     * The attest-and-decide half of an exchange, for leased credentials: attests the subject JWT
     * {@code subjectToken}, decides by policy with {@code target} as the request's audience (e.g.
     * {@code urn:warden:creds:postgresql:readonly}) and records the decision (audited, subject-token
     * replay refused) before answering. Throws an {@link OAuthError} with the reason on denial.
     */
    Authorization authorize(String subjectToken, String target, Duration ttl, String sourceAddress) throws OAuthError {
        return authorize(
                box.fingerprint(subjectToken),
                () -> new Proof.Jwt(JwtParts.parse(subjectToken)),
                target,
                ttl,
                sourceAddress);
    }

    /** As {@link #authorize(String, String, Duration, String)} for a workload presenting a client certificate. */
    Authorization authorize(Proof.Certificate certificate, String target, Duration ttl, String sourceAddress)
            throws OAuthError {
        return authorize(box.fingerprint(certificate.thumbprint()), () -> certificate, target, ttl, sourceAddress);
    }

    private Authorization authorize(
            String fingerprint, ProofSource proof, String target, Duration ttl, String sourceAddress)
            throws OAuthError {
        Instant now = clock.instant();
        Attestation subject;
        try {
            subject = attestors.attest(proof.get());
        } catch (AttestationException e) {
            denyUnattested(fingerprint, e, sourceAddress);
            throw new OAuthError(401, "invalid_token", "subject token: " + refusal(e));
        }
        PolicyInput input = new PolicyInput(
                policySubject(subject),
                new PolicyInput.Request(target, null, List.of(), ttl, null),
                new PolicyInput.Context(now, sourceAddress, environment));
        Decision d = policies.decide(input);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("decision", d.allowed() ? "allow" : "deny");
        details.put("policy", d.policy() == null ? "" : d.policy());
        details.put("reason", d.reason());
        details.put("policyDigest", policies.current().digest());
        details.put("subjectFingerprint", fingerprint);
        details.put("attestor", subject.attestor());
        details.put("target", target);
        details.put("sourceAddress", sourceAddress == null ? "" : sourceAddress);
        Identity identity;
        try {
            identity = identity(subject, d, now);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidRequest("subject token: its claims cannot be recorded (" + e.getMessage() + ")");
        }
        DecisionRecorder.Outcome outcome = await(recorder.submit(new DecisionRecorder.Entry(
                "workload:" + subject.attestor() + "/" + subject.workload(),
                subject.workload(),
                jtiKey(subject),
                subject.proofExpiresAt().plus(JTI_GRACE),
                null,
                null,
                d.allowed() ? "broker.lease_allow" : "broker.deny",
                details)));
        if (outcome == DecisionRecorder.Outcome.REPLAYED) {
            throw OAuthError.invalidRequest("subject token was already used (its jti was accepted before)");
        }
        if (!d.allowed()) {
            throw new OAuthError(403, "access_denied", refusal(d));
        }
        return new Authorization(subject, d, identity);
    }

    private Proof proof(String token, String type, List<X509Certificate> chain)
            throws AttestationException, OAuthError {
        if (type.equals(TYPE_JWT) || type.equals(TYPE_ID_TOKEN)) {
            return new Proof.Jwt(JwtParts.parse(token));
        }
        if (type.equals(TYPE_TLS_CERT)) {
            if (chain.isEmpty()) {
                throw OAuthError.invalidRequest(
                        "subject_token_type " + TYPE_TLS_CERT + " needs a client certificate in the TLS handshake");
            }
            Proof.Certificate cert = Proof.Certificate.of(chain);
            if (!token.equals(cert.thumbprint())) {
                throw OAuthError.invalidRequest("subject_token must be the base64url SHA-256 thumbprint of the client"
                        + " certificate presented");
            }
            return cert;
        }
        throw OAuthError.invalidRequest("unsupported subject_token_type (supported: " + TYPE_JWT + ", " + TYPE_ID_TOKEN
                + ", " + TYPE_TLS_CERT + ")");
    }

    private void denyUnattested(String fingerprint, AttestationException e, String source) {
        if (!recorder.denials().admit(source)) {
            return; // counted into the window's broker.deny_summary
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("decision", "deny");
        d.put("policy", "");
        d.put("reason", e.code() + ": " + e.getMessage());
        d.put("subjectFingerprint", fingerprint);
        d.put("sourceAddress", source == null ? "" : source);
        try {
            // Audited without waiting: the caller's answer does not depend on it.
            recorder.submit(
                    new DecisionRecorder.Entry("anonymous", "unattested", null, null, null, null, "broker.deny", d));
        } catch (RuntimeException ex) {
            LOG.warn("event=audit_queue_full action=broker.deny");
        }
    }

    static DecisionRecorder.Outcome await(CompletableFuture<DecisionRecorder.Outcome> f) throws OAuthError {
        try {
            return f.get(RECORD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.error(
                    "event=broker_record_failed error=\"{}\"",
                    e.getCause() == null ? e : e.getCause().getMessage());
            throw OAuthError.unavailable("the decision could not be recorded; nothing was issued (retry later)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OAuthError.unavailable("interrupted; nothing was issued");
        }
    }

    /**
     * Signs the access token. The payload is written straight to JSON with one streaming
     * generator and the header comes encoded from the key snapshot: the per-token work is the
     * claims, one base64url pass and the signature.
     */
    private String sign(
            Attestation subject, Attestation actor, List<String> aud, Decision d, String jti, Instant now, Instant exp)
            throws OAuthError {
        SigningKeys.Snapshot k = keys.current();
        try {
            ByteArrayOutputStream json = new ByteArrayOutputStream(512);
            try (JsonGenerator g = CLAIMS.createGenerator(json)) {
                g.writeStartObject();
                g.writeStringField("iss", issuer);
                g.writeStringField("sub", subject.workload());
                if (aud.size() == 1) {
                    g.writeStringField("aud", aud.get(0)); // RFC 7519 §4.1.3: a single audience as a string
                } else {
                    g.writeArrayFieldStart("aud");
                    for (String a : aud) {
                        g.writeString(a);
                    }
                    g.writeEndArray();
                }
                g.writeNumberField("exp", exp.getEpochSecond());
                g.writeNumberField("iat", now.getEpochSecond());
                g.writeStringField("jti", jti);
                g.writeStringField("client_id", subject.workload());
                if (!d.scopes().isEmpty()) {
                    g.writeStringField("scope", String.join(" ", d.scopes()));
                }
                if (actor != null) {
                    g.writeObjectFieldStart("act");
                    g.writeStringField("sub", actor.workload());
                    g.writeEndObject();
                }
                if (subject.certificateThumbprint() != null) {
                    g.writeObjectFieldStart("cnf");
                    g.writeStringField("x5t#S256", subject.certificateThumbprint());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            String signingInput = k.encodedHeader() + "." + B64.encodeToString(json.toByteArray());
            Base64URL signature = k.signer().sign(k.header(), signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + signature;
        } catch (JOSEException | IOException e) {
            LOG.error("event=sign_failed kid={}", k.kid(), e);
            throw OAuthError.unavailable("the token could not be signed");
        }
    }

    static Identity identity(Attestation a, Decision d, Instant now) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("attestor", a.attestor());
        tags.put("attestor.kind", a.kind());
        tags.put("issuer", a.issuer());
        if (a.spiffeId() != null) {
            tags.put("spiffe_id", a.spiffeId());
        }
        a.attributes().forEach((k, v) -> {
            if (tags.size() < 64
                    && k.length() <= 64
                    && v.length() <= 512
                    && v.chars().noneMatch(Character::isISOControl)) {
                tags.put("attested." + k, v);
            }
        });
        String owner = d.allowed() ? d.owner() : null;
        String tech = d.allowed() ? d.technicalOwner() : null;
        return new Identity(
                null,
                IdentityKind.WORKLOAD,
                a.workload(),
                a.workload(),
                Source.of(SOURCE_TYPE, a.attestor()),
                null,
                owner,
                tech,
                owner != null || tech != null ? "policy:" + d.policy() : null,
                a.workload(),
                "just-in-time credentials from the Warden broker",
                IdentityStatus.ACTIVE,
                null,
                tags,
                null,
                now,
                now);
    }

    private static String required(Map<String, String> p, String name) throws OAuthError {
        String v = p.get(name);
        if (v == null || v.isEmpty()) {
            throw OAuthError.invalidRequest(name + " is required");
        }
        return v;
    }

    private static void checkResource(String resource) throws OAuthError {
        try {
            URI u = new URI(resource);
            if (!u.isAbsolute() || u.getFragment() != null || resource.length() > 1024) {
                throw OAuthError.invalidTarget("resource must be an absolute URI without a fragment (RFC 8707)");
            }
        } catch (URISyntaxException e) {
            throw OAuthError.invalidTarget("resource must be an absolute URI without a fragment (RFC 8707)");
        }
    }

    /** Parses a space-delimited scope list; every token must be NQCHARs (RFC 6749 §3.3). */
    static List<String> scopes(String scope) throws OAuthError {
        if (scope == null || scope.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : scope.split(" ")) {
            if (s.isEmpty()) {
                continue;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x21 || c == 0x22 || c == 0x5c || c > 0x7e) {
                    throw OAuthError.invalidScope("scope contains a character RFC 6749 section 3.3 does not allow");
                }
            }
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        if (out.size() > 64) {
            throw OAuthError.invalidScope("more than 64 scopes requested");
        }
        return out;
    }

    private static Duration ttl(String ttl) throws OAuthError {
        if (ttl == null) {
            return null;
        }
        try {
            long s = Long.parseLong(ttl);
            if (s >= 1 && s <= 86_400) {
                return Duration.ofSeconds(s);
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw OAuthError.invalidRequest("ttl must be a number of seconds between 1 and 86400");
    }
}
