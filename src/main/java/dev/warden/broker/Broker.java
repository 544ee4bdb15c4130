package dev.warden.broker;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import dev.warden.audit.AuditLog;
import dev.warden.broker.attest.AttestationException;
import dev.warden.broker.attest.Attestors;
import dev.warden.broker.attest.JwtParts;
import dev.warden.broker.attest.JwtRules;
import dev.warden.broker.ca.CertificateAuthority;
import dev.warden.broker.ca.SpiffeBundle;
import dev.warden.broker.lease.Leases;
import dev.warden.keys.SecretBox;
import dev.warden.policy.PolicyEngine;
import dev.warden.store.Database;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The broker as the server uses it: token exchange, the published keys and discovery document,
 * introspection (RFC 7662) and revocation (RFC 7009) of the tokens it issued, and its policies.
 * Built by the composition root from {@code warden.yaml}'s {@code broker} section.
 */
public final class Broker implements AutoCloseable {
    /** Scope that lets a Warden-issued access token call the introspection endpoint. */
    public static final String SCOPE_INTROSPECT = "warden:introspect";
    /** Scope that lets a Warden-issued access token call the revocation endpoint. */
    public static final String SCOPE_REVOKE = "warden:revoke";

    private final BrokerConfig config;
    private final PolicyEngine policies;
    private final SigningKeys keys;
    private final Issuances issuances;
    private final DecisionRecorder recorder;
    private final TokenExchange exchange;
    private final Attestors attestors;
    private final Clock clock;
    private final JwtRules ownRules;
    private final X509Svids svids;
    private volatile CachedBundle bundle;
    private final RateLimiter limiter;

    /** How often relying parties should fetch the SPIFFE bundle again (its {@code spiffe_refresh_hint}). */
    public static final Duration BUNDLE_REFRESH_HINT = Duration.ofMinutes(5);

    private record CachedBundle(String jwks, long caSequence, String json) {}

    /** A broker without X.509-SVIDs. */
    public Broker(BrokerConfig config, Database db, AuditLog audit, SecretBox box, Clock clock) {
        this(config, db, audit, box, clock, null, null);
    }

    /**
     * A broker that also issues X.509-SVIDs signed by {@code ca} as leases of {@code leases}, whose
     * issuers then hold the {@code x509-svid} issuer (both null: none).
     */
    public Broker(
            BrokerConfig config,
            Database db,
            AuditLog audit,
            SecretBox box,
            Clock clock,
            CertificateAuthority ca,
            Leases leases) {
        this.config = config;
        this.clock = clock;
        this.attestors = Attestors.fromConfig(config.attestors(), clock);
        this.policies = new PolicyEngine(config.policies(), audit);
        this.keys = new SigningKeys(db, box, audit, clock, config.algorithm(), config.rotation());
        this.issuances = new Issuances(db, audit);
        this.recorder = new DecisionRecorder(db, audit, clock, config.rateLimit());
        this.limiter = new RateLimiter(config.rateLimit(), clock);
        this.exchange = new TokenExchange(
                config.issuer(),
                config.environment(),
                attestors,
                policies,
                keys,
                box,
                recorder,
                clock,
                config.verbose());
        this.svids = ca == null ? null : new X509Svids(exchange, policies, ca, leases, recorder, box, clock);
        this.ownRules = new JwtRules(
                config.issuer(),
                Set.of("*"),
                Set.of(JWSAlgorithm.ES256, JWSAlgorithm.EdDSA),
                Duration.ofSeconds(30),
                Duration.ofHours(1).plusMinutes(1));
    }

    public BrokerConfig config() {
        return config;
    }

    public TokenExchange exchange() {
        return exchange;
    }

    public PolicyEngine policies() {
        return policies;
    }

    public Attestors attestors() {
        return attestors;
    }

    Issuances issuances() {
        return issuances;
    }

    SigningKeys keys() {
        return keys;
    }

    /** X.509-SVID issuance, or null when {@code broker.ca} is not configured. */
    public X509Svids svids() {
        return svids;
    }

    /** The token buckets in front of the OAuth endpoints. */
    public RateLimiter rateLimiter() {
        return limiter;
    }

    /** Counts a request the rate limiter refused into the audit window's summary. */
    public void rateLimited(String source) {
        recorder.denials().rateLimited(source);
    }

    /** Periodic work: key and CA rotation, pick-up of keys other servers created, deny summaries. */
    public void tick() {
        recorder.denials().flush();
        keys.refresh();
        if (svids != null) {
            svids.ca().refresh();
        }
    }

    /**
     * The SPIFFE trust bundle: the CA's trust anchors as {@code x509-svid} keys and the token-signing
     * keys as {@code jwt-svid} keys. Its sequence number is the epoch second of the latest change to
     * either. Empty when no CA is configured.
     */
    public Optional<String> spiffeBundle() {
        if (svids == null) {
            return Optional.empty();
        }
        String jwks = keys.jwks();
        long caSeq = svids.ca().sequence();
        CachedBundle b = bundle;
        if (b == null || !b.jwks().equals(jwks) || b.caSequence() != caSeq) {
            JWKSet set;
            try {
                set = JWKSet.parse(jwks);
            } catch (ParseException e) {
                throw new IllegalStateException("the broker's own JWKS does not parse", e);
            }
            long seq = Math.max(caSeq, keys.latestChange().getEpochSecond());
            b = new CachedBundle(jwks, caSeq, SpiffeBundle.json(svids.ca().anchors(), set, seq, BUNDLE_REFRESH_HINT));
            bundle = b;
        }
        return Optional.of(b.json());
    }

    /** The public keys, as {@code /.well-known/jwks.json} serves them. */
    public String jwks() {
        return keys.jwks();
    }

    /** The OpenID Provider / OAuth authorization server metadata (RFC 8414) Warden supports. */
    public Map<String, Object> discovery() {
        String iss = config.issuer();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", iss);
        m.put("token_endpoint", iss + "/oauth2/token");
        m.put("jwks_uri", iss + "/.well-known/jwks.json");
        m.put("introspection_endpoint", iss + "/oauth2/introspect");
        m.put("revocation_endpoint", iss + "/oauth2/revoke");
        m.put("grant_types_supported", List.of(TokenExchange.GRANT_TYPE));
        m.put("token_endpoint_auth_methods_supported", List.of("none", "tls_client_auth"));
        m.put("introspection_endpoint_auth_methods_supported", List.of("bearer"));
        m.put("revocation_endpoint_auth_methods_supported", List.of("bearer"));
        m.put("response_types_supported", List.of());
        m.put("subject_types_supported", List.of("public"));
        m.put("id_token_signing_alg_values_supported", List.of(keys.algorithm().getName()));
        m.put(
                "token_endpoint_auth_signing_alg_values_supported",
                List.of(keys.algorithm().getName()));
        m.put(
                "scopes_supported",
                policies.current().policies().stream()
                        .flatMap(p -> p.scopes().stream())
                        .distinct()
                        .sorted()
                        .toList());
        m.put("tls_client_certificate_bound_access_tokens", true);
        return m;
    }

    /** A token Warden issued, verified (signature, issuer; expiry not checked), with its claims. */
    record OwnToken(Map<String, Object> claims, Issuance issuance) {
        /** The audit actor of the workload the token was issued to. */
        String actor() {
            return "workload:" + issuance.attestor() + "/" + issuance.workload();
        }
    }

    /** Verifies that {@code token} is one of Warden's; empty when it is not (or is malformed). */
    Optional<OwnToken> own(String token) {
        if (token == null || token.length() > JwtParts.MAX_BYTES) {
            return Optional.empty();
        }
        try {
            JwtParts parts = JwtParts.parse(token);
            ownRules.verifySignatureOnly(parts, keys.verifiers());
            if (!config.issuer().equals(parts.string("iss")) || parts.string("jti") == null) {
                return Optional.empty();
            }
            return issuances.find(parts.string("jti")).map(i -> new OwnToken(parts.claims(), i));
        } catch (AttestationException e) {
            return Optional.empty();
        }
    }

    /** The RFC 7662 introspection response for {@code token}. */
    public Map<String, Object> introspect(String token) {
        Instant now = clock.instant();
        Optional<OwnToken> own = own(token);
        if (own.isEmpty() || !own.get().issuance().activeAt(now)) {
            return Map.of("active", false);
        }
        Map<String, Object> c = own.get().claims();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", true);
        for (String k : List.of("scope", "client_id", "sub", "aud", "iss", "exp", "iat", "jti", "act", "cnf")) {
            if (c.containsKey(k)) {
                out.put(k, c.get(k));
            }
        }
        out.put("token_type", "Bearer");
        return out;
    }

    /**
     * The active Warden-issued access token {@code bearer} when it grants {@code scope} for
     * Warden itself (its audience is the issuer): how resource servers authenticate to the
     * introspection and revocation endpoints without a static secret.
     */
    public Optional<String> authorizedCaller(String bearer, String scope) {
        Instant now = clock.instant();
        return own(bearer)
                .filter(t -> t.issuance().activeAt(now)
                        && t.issuance().scopes().contains(scope)
                        && t.issuance().audience().contains(config.issuer()))
                .map(OwnToken::actor);
    }

    /**
     * The audit actor of the workload {@code token} was issued to, when it is one of Warden's
     * (verified as by {@link #own}; expiry not checked); empty otherwise.
     */
    public Optional<String> holder(String token) {
        return own(token).map(OwnToken::actor);
    }

    /** Revokes one of Warden's tokens (RFC 7009: unknown or invalid tokens are not an error). */
    public boolean revoke(String token, String actor) {
        Optional<OwnToken> own = own(token);
        return own.isPresent() && issuances.revoke(own.get().issuance().jti(), actor, clock.instant());
    }

    @Override
    public void close() {
        recorder.close();
    }
}
