package dev.warden.broker;

import dev.warden.broker.attest.Attestation;
import dev.warden.broker.ca.CertificateAuthority;
import dev.warden.broker.ca.Csr;
import dev.warden.broker.ca.Pem;
import dev.warden.broker.issue.IssueRequest;
import dev.warden.broker.issue.svid.SvidIssuer;
import dev.warden.broker.lease.LeaseException;
import dev.warden.broker.lease.Leases;
import dev.warden.input.Echo;
import dev.warden.inventory.Identity;
import dev.warden.keys.SecretBox;
import dev.warden.policy.Decision;
import dev.warden.policy.PolicyEngine;
import dev.warden.policy.PolicyInput;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * X.509-SVIDs for workloads: the subject token is attested and the request decided exactly as for
 * token exchange ({@link TokenExchange#attestSubject}, the same policies, the same replay cache and
 * decision recorder), the policy names the SPIFFE ID and the DNS names allowed. The decision is
 * recorded first; an allowed request then becomes a lease ({@link Leases#issue}: pending before the
 * certificate exists, active after, the certificate a credential of the workload identity) whose
 * {@link SvidIssuer} has Warden's CA sign the CSR's key.
 */
public final class X509Svids {
    /** Shortest lifetime a request may ask for. */
    static final Duration MIN_TTL = Duration.ofMinutes(1);

    private final TokenExchange exchange;
    private final PolicyEngine policies;
    private final CertificateAuthority ca;
    private final Leases leases;
    private final DecisionRecorder recorder;
    private final SecretBox box;
    private final Clock clock;

    X509Svids(
            TokenExchange exchange,
            PolicyEngine policies,
            CertificateAuthority ca,
            Leases leases,
            DecisionRecorder recorder,
            SecretBox box,
            Clock clock) {
        this.exchange = exchange;
        this.policies = policies;
        this.ca = ca;
        this.leases = leases;
        this.recorder = recorder;
        this.box = box;
        this.clock = clock;
    }

    public CertificateAuthority ca() {
        return ca;
    }

    /**
     * A request: the subject token and its type (as at the token endpoint), the CSR (PEM or base64
     * DER), the requested lifetime (null: the policy's default), the caller's address and the TLS
     * client certificate chain (empty without mTLS).
     */
    public record Request(
            String subjectToken,
            String subjectTokenType,
            String csr,
            Long ttlSeconds,
            String sourceAddress,
            List<X509Certificate> clientCertificate) {
        public Request {
            clientCertificate = clientCertificate == null ? List.of() : List.copyOf(clientCertificate);
        }
    }

    /** An issued SVID: the chain (leaf first), its SPIFFE ID, expiry, lease id, serial and fingerprint. */
    public record Response(
            String spiffeId,
            List<X509Certificate> chain,
            Instant expiresAt,
            String leaseId,
            String serial,
            String fingerprint) {
        public Response {
            chain = List.copyOf(chain);
        }
    }

    /** A refused request: the HTTP status, a title and a lower-case detail safe to show. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        public Refused(int status, String detail) {
            super(detail);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public Response issue(Request req) throws Refused {
        if (req.subjectToken() == null || req.subjectToken().isEmpty()) {
            throw new Refused(400, "subject_token is required");
        }
        String type = Objects.requireNonNullElse(req.subjectTokenType(), TokenExchange.TYPE_JWT);
        Duration max = ca.config().maxTtl();
        Duration requested = null;
        if (req.ttlSeconds() != null) {
            long s = req.ttlSeconds();
            if (s < MIN_TTL.toSeconds() || s > max.toSeconds()) {
                throw new Refused(
                        400, "ttl must be between " + MIN_TTL.toSeconds() + " and " + max.toSeconds() + " seconds");
            }
            requested = Duration.ofSeconds(s);
        }
        Csr csr;
        byte[] der;
        try {
            der = Csr.decode(req.csr());
            csr = Csr.parse(der, true);
        } catch (Csr.Rejected e) {
            throw new Refused(e.status(), e.getMessage());
        }
        Instant now = clock.instant();
        String fingerprint = box.fingerprint(req.subjectToken());
        Attestation subject;
        try {
            subject = exchange.attestSubject(
                    req.subjectToken(), type, req.clientCertificate(), fingerprint, req.sourceAddress());
        } catch (OAuthError e) {
            throw new Refused(401, e.description());
        }
        PolicyInput input = new PolicyInput(
                TokenExchange.policySubject(subject),
                PolicyInput.Request.x509Svid(requested),
                new PolicyInput.Context(now, req.sourceAddress(), exchange.environment()));
        Decision d = policies.decideSvid(input, csr.dnsNames());
        String denial = d.allowed() ? check(d, csr) : d.reason();

        Map<String, String> details = new LinkedHashMap<>();
        details.put("decision", denial == null ? "allow" : "deny");
        details.put("credential", SvidIssuer.KIND);
        details.put("policy", d.policy() == null ? "" : d.policy());
        details.put("reason", denial == null ? d.reason() : denial);
        details.put("policyDigest", policies.current().digest());
        details.put("subjectFingerprint", fingerprint);
        details.put("attestor", subject.attestor());
        details.put("sourceAddress", req.sourceAddress() == null ? "" : req.sourceAddress());
        Identity identity;
        try {
            identity = TokenExchange.identity(subject, denial == null ? d : denied(d), now);
        } catch (IllegalArgumentException e) {
            throw new Refused(400, "subject_token: its claims cannot be recorded (" + e.getMessage() + ")");
        }
        Duration ttl = null;
        if (denial == null) {
            ttl = d.ttl();
            if (requested == null && ttl.compareTo(ca.config().defaultTtl()) > 0) {
                ttl = ca.config().defaultTtl();
            }
            if (ttl.compareTo(max) > 0) {
                ttl = max;
            }
            details.put("spiffeId", d.spiffeId());
            details.put("ttlSeconds", Long.toString(ttl.toSeconds()));
        }
        String actor = "workload:" + subject.attestor() + "/" + subject.workload();
        DecisionRecorder.Entry entry = new DecisionRecorder.Entry(
                actor,
                subject.workload(),
                exchange.jtiKey(subject),
                subject.proofExpiresAt().plus(TokenExchange.JTI_GRACE),
                identity,
                null,
                denial == null ? "broker.issue" : "broker.deny",
                details);
        DecisionRecorder.Outcome outcome;
        try {
            outcome = TokenExchange.await(recorder.submit(entry));
        } catch (OAuthError e) {
            throw new Refused(503, e.description());
        }
        if (outcome == DecisionRecorder.Outcome.REPLAYED) {
            throw new Refused(401, "subject_token was already used (its jti was accepted before)");
        }
        if (denial != null) {
            throw new Refused(
                    403,
                    d.allowed()
                            ? exchange.refusal(denial, "the policy's SPIFFE ID cannot be issued for this CSR")
                            : exchange.refusal(d));
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("spiffe_id", d.spiffeId());
        if (!csr.dnsNames().isEmpty()) {
            attrs.put("dns_names", String.join(" ", csr.dnsNames()));
        }
        Leases.Outcome lease;
        try {
            lease = leases.issue(
                    SvidIssuer.KIND, // the one x509-svid issuer is named after its kind
                    new Leases.Grant(subject.workload(), identity, actor),
                    new IssueRequest(null, ttl, attrs, der));
        } catch (LeaseException e) {
            throw new Refused(e.status(), e.getMessage());
        }
        Map<String, String> m = lease.issued().material();
        Map<String, String> a = lease.issued().attributes();
        return new Response(
                d.spiffeId(),
                Pem.certificates(m.get("certificate_chain")),
                Instant.parse(m.get("not_after")),
                lease.lease().id(),
                a.get("serial"),
                lease.issued().externalId());
    }

    /** Why an allowed decision still cannot be issued for this CSR, or null when it can. */
    private String check(Decision d, Csr csr) {
        SpiffeId id = SpiffeId.parse(d.spiffeId()).orElse(null);
        if (id == null) {
            return "policy " + d.policy() + " gives '" + Echo.shown(d.spiffeId()) + "', which is not a valid SPIFFE ID";
        }
        if (!id.trustDomain().equals(ca.trustDomain())) {
            return "policy " + d.policy() + " gives SPIFFE ID '" + Echo.shown(d.spiffeId())
                    + "' outside the trust domain " + ca.trustDomain();
        }
        for (String uri : csr.uris()) {
            if (!uri.equals(d.spiffeId())) {
                return "csr asks for SPIFFE ID '" + Echo.shown(uri) + "' but policy allows '" + Echo.shown(d.spiffeId())
                        + "'";
            }
        }
        return null;
    }

    private static Decision denied(Decision d) {
        return new Decision(false, d.outcome(), d.policy(), d.reason(), null, List.of(), null, null, List.of());
    }
}
