package dev.warden.broker;

import dev.warden.auth.ApiToken;
import dev.warden.auth.Role.Permission;
import dev.warden.broker.attest.AttestationException;
import dev.warden.broker.attest.Proof;
import dev.warden.broker.issue.IssueRequest;
import dev.warden.broker.issue.Issuer;
import dev.warden.broker.issue.postgresql.PostgresIssuer;
import dev.warden.broker.lease.LeaseException;
import dev.warden.broker.lease.Leases;
import dev.warden.input.Echo;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.Source;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Requests for a leased credential (a dynamic PostgreSQL login), decided in one place. Two kinds of
 * caller may ask: the holder of a Warden API token whose role may issue credentials (for itself or
 * a named workload), or a workload with its own proof — a subject JWT, or the mTLS client
 * certificate — that a broker policy allows for the target {@code urn:warden:creds:postgresql:ROLE}
 * (attested, decided and recorded by {@link TokenExchange}, replay refused). The lease lives the
 * requested TTL (the role's default when none), never longer than the policy's. The credential is
 * recorded under the workload's inventory identity.
 */
public final class CredentialRequests {
    /** The policy target a workload must be granted to obtain a login of {@code role}. */
    static final String TARGET_PREFIX = "urn:warden:creds:postgresql:";

    private final Leases leases;
    private final Broker broker;
    private final Clock clock;

    /** Requests served by {@code leases}; workload proofs are decided by {@code broker} (null: API tokens only). */
    public CredentialRequests(Leases leases, Broker broker, Clock clock) {
        this.leases = leases;
        this.broker = broker;
        this.clock = clock;
    }

    /** Who asks for a credential, as the adapter received them. */
    public sealed interface Caller {
        /** The holder of a live Warden API token (authenticated by the adapter). */
        record Operator(ApiToken token) implements Caller {}

        /**
         * A workload with its own proof: {@code subjectToken} (a JWT) when it sent one, otherwise the
         * TLS client certificate {@code chain} (leaf first); {@code sourceAddress} is its address.
         */
        record Workload(String subjectToken, List<X509Certificate> chain, String sourceAddress) implements Caller {
            public Workload {
                chain = chain == null ? List.of() : List.copyOf(chain);
                if (subjectToken == null && chain.isEmpty()) {
                    throw new IllegalArgumentException("a workload caller needs a subject token or a certificate");
                }
            }
        }
    }

    /** A role on offer: the issuer that leases logins of it. */
    public static final class Offer {
        private final String role;
        private final Issuer issuer;

        private Offer(String role, Issuer issuer) {
            this.role = role;
            this.issuer = issuer;
        }

        String role() {
            return role;
        }
    }

    /**
     * A refused request: the HTTP status, a lower-case detail safe to show, and whether the bearer
     * token itself was refused (the answer then carries an {@code invalid_token} challenge).
     */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final boolean invalidToken;

        Refused(int status, String detail, boolean invalidToken) {
            super(detail);
            this.status = status;
            this.invalidToken = invalidToken;
        }

        Refused(int status, String detail) {
            this(status, detail, false);
        }

        public int status() {
            return status;
        }

        public boolean invalidToken() {
            return invalidToken;
        }
    }

    /** The PostgreSQL role {@code role} as some configured database offers it; 404 when none does. */
    public Offer offer(String role) throws Refused {
        Issuer issuer = leases.issuers()
                .offering(PostgresIssuer.KIND, role)
                .orElseThrow(() -> new Refused(404, "no postgresql role '" + Echo.shown(role) + "' is configured"));
        return new Offer(role, issuer);
    }

    /**
     * Grants {@code caller} a login of {@code offer}'s role as a lease living {@code ttl} (null: the
     * role's default, or the policy's TTL when that is shorter). {@code workload} names the workload
     * an API token asks for (null: the token itself); a workload's name comes from its proof, so it
     * must not send one.
     */
    public Leases.Outcome grant(Offer offer, Caller caller, Duration ttl, String workload) throws Refused {
        Leases.Grant grant;
        Duration leaseTtl = ttl;
        if (caller instanceof Caller.Operator op) {
            ApiToken t = op.token();
            if (!t.role().permits(Permission.ISSUE_CREDENTIALS)) {
                throw new Refused(403, "role '" + t.role().value() + "' may not obtain credentials");
            }
            String w = workload == null ? t.actor() : checkWorkload(workload);
            grant = new Leases.Grant(w, identity(w, clock.instant()), t.actor());
        } else {
            Caller.Workload wl = (Caller.Workload) caller;
            if (broker == null) {
                throw new Refused(401, "workload proofs need the broker; use a Warden API token");
            }
            if (workload != null) {
                throw new Refused(400, "workload is set by the subject token; do not send it");
            }
            TokenExchange.Authorization a = authorize(wl, TARGET_PREFIX + offer.role, ttl);
            Duration decided = a.decision().ttl();
            if (decided != null && (leaseTtl == null || decided.compareTo(leaseTtl) < 0)) {
                leaseTtl = decided;
            }
            grant = new Leases.Grant(a.subject().workload(), a.identity(), a.actor());
        }
        try {
            return leases.issue(offer.issuer.name(), grant, IssueRequest.of(offer.role, leaseTtl));
        } catch (LeaseException e) {
            throw new Refused(e.status(), e.getMessage());
        }
    }

    /** Attests and decides a workload's proof; a refused target is 403, a refused token 401. */
    private TokenExchange.Authorization authorize(Caller.Workload w, String target, Duration ttl) throws Refused {
        TokenExchange exchange = broker.exchange();
        try {
            if (w.subjectToken() != null) {
                return exchange.authorize(w.subjectToken(), target, ttl, w.sourceAddress());
            }
            Proof.Certificate certificate;
            try {
                certificate = Proof.Certificate.of(w.chain());
            } catch (AttestationException e) {
                throw new Refused(401, "client certificate: " + e.getMessage());
            }
            return exchange.authorize(certificate, target, ttl, w.sourceAddress());
        } catch (OAuthError e) {
            int status = e.status() == 400 && "invalid_target".equals(e.error()) ? 403 : e.status();
            throw new Refused(status, e.description(), e.status() == 401);
        }
    }

    private static String checkWorkload(String w) throws Refused {
        if (!Leases.isWorkload(w)) {
            throw new Refused(400, Leases.WORKLOAD_RULE);
        }
        return w;
    }

    /** The inventory identity of a workload an API token asked for. */
    private static Identity identity(String workload, Instant now) {
        return Identity.builder(IdentityKind.WORKLOAD, workload, workload, Source.of("broker", "api-token"))
                .workload(workload)
                .purpose("leased credentials requested with a Warden API token")
                .seen(now)
                .build();
    }
}
