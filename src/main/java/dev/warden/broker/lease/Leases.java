package dev.warden.broker.lease;

import dev.warden.audit.AuditLog;
import dev.warden.broker.issue.IssueException;
import dev.warden.broker.issue.IssueRequest;
import dev.warden.broker.issue.Issued;
import dev.warden.broker.issue.Issuer;
import dev.warden.broker.issue.Issuers;
import dev.warden.input.Echo;
import dev.warden.inventory.Identity;
import dev.warden.inventory.Inventory;
import dev.warden.inventory.Page;
import dev.warden.keys.SecretBox;
import dev.warden.store.Database;
import dev.warden.store.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases: every credential Warden issues through an {@link Issuer} is recorded as a {@code pending}
 * lease before it exists, marked {@code active} after, renewed within its max TTL, revoked on
 * request or by the reaper at expiry — with retries and exponential backoff, ending {@code
 * irrevocable} (a posture finding) after the last attempt — and reconciled at start. Every change is
 * audited ({@code lease.create}, {@code lease.activate}, {@code lease.renew}, {@code lease.revoke},
 * {@code lease.revoke_failed}, {@code lease.irrevocable}, {@code lease.rollback}, {@code
 * lease.reconcile}); each active lease is a credential of its workload identity in the inventory.
 *
 * <p>This class is the API and issuance; revocation (the reaper, rollback, backoff) is {@link
 * LeaseReaper}, start-up reconciliation {@link LeaseReconciler}, and the inventory credential of a
 * lease {@link LeaseCredentials}. Several servers may share one store: a revocation attempt is
 * claimed in a short transaction ({@link LeaseStore#claimDue}) and finished only by its claimant, so
 * each lease is revoked once.
 */
public final class Leases implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Leases.class);
    static final String REAPER = "warden:lease-reaper";
    static final String SYSTEM = "warden:leases";
    /** What a lease's workload name must be, as said to a caller who sent another. */
    public static final String WORKLOAD_RULE = "workload must be 1-256 printable characters";

    /**
     * Reaper and reconciliation settings.
     *
     * @param reaperInterval how often the reaper looks for due leases
     * @param maxAttempts revocation attempts before a lease is irrevocable
     * @param backoff the wait after the first failed attempt (doubling after each)
     * @param maxBackoff the longest wait between attempts
     * @param batch leases claimed per reaper pass
     * @param parallelism revocations run at once
     * @param pendingGrace how old a pending lease must be before reconciliation rolls it back
     * @param claimTimeout how long a claimed revocation may take before another server may retry it
     */
    public record Settings(
            Duration reaperInterval,
            int maxAttempts,
            Duration backoff,
            Duration maxBackoff,
            int batch,
            int parallelism,
            Duration pendingGrace,
            Duration claimTimeout) {
        public Settings {
            if (maxAttempts < 1 || batch < 1 || parallelism < 1) {
                throw new IllegalArgumentException("maxAttempts, batch and parallelism must be at least 1");
            }
        }

        /** The wait after {@code attempts} failed attempts: backoff * 2^(attempts-1), at most maxBackoff. */
        Duration backoffAfter(int attempts) {
            Duration d = backoff;
            for (int i = 1; i < attempts && d.compareTo(maxBackoff) < 0; i++) {
                d = d.multipliedBy(2);
            }
            return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
        }

        public static Settings defaults() {
            return new Settings(
                    Duration.ofSeconds(5),
                    6,
                    Duration.ofSeconds(5),
                    Duration.ofMinutes(10),
                    500,
                    4,
                    Duration.ofMinutes(2),
                    Duration.ofMinutes(2));
        }
    }

    /**
     * Who a credential is for and who asked: {@code identity} (may be null) is created or updated in
     * the inventory and the credential recorded under it.
     */
    public record Grant(String workload, Identity identity, String actor) {}

    /** An issued credential: the active lease and what the caller receives once. */
    public record Outcome(Lease lease, Issued issued) {}

    /** What a reaper pass did. */
    public record Reaped(int claimed, int revoked, int failed, int irrevocable) {}

    /** What reconciliation did. */
    public record Reconciled(int rolledBack, int revoked, int orphansDropped, int errors) {}

    private final LeaseStore store;
    private final AuditLog audit;
    private final Issuers issuers;
    private final Clock clock;
    private final Settings settings;
    private final Inventory inventory;
    private final LeaseCredentials credentials;
    private final LeaseReaper reaper;
    private final LeaseReconciler reconciler;

    public Leases(Database db, AuditLog audit, Issuers issuers, SecretBox box, Clock clock, Settings settings) {
        this.store = new LeaseStore(db);
        this.audit = audit;
        this.issuers = issuers;
        this.clock = clock;
        this.settings = settings;
        this.inventory = new Inventory(db, audit, clock);
        this.credentials = new LeaseCredentials(issuers, box);
        this.reaper = new LeaseReaper(store, audit, issuers, clock, settings);
        this.reconciler = new LeaseReconciler(store, audit, issuers, clock, settings, reaper);
    }

    /** True when {@code workload} may name a lease's workload ({@link #WORKLOAD_RULE}). */
    public static boolean isWorkload(String workload) {
        return workload != null
                && !workload.isBlank()
                && workload.length() <= 256
                && workload.chars().noneMatch(Character::isISOControl);
    }

    public Settings settings() {
        return settings;
    }

    public Issuers issuers() {
        return issuers;
    }

    public LeaseStore store() {
        return store;
    }

    public Optional<Lease> get(String id) {
        return store.get(id);
    }

    public Page<Lease> list(LeaseFilter filter, String cursor, int limit) {
        return store.list(filter, cursor, limit);
    }

    /**
     * Issues a credential from issuer {@code issuerName}: records the pending lease (and the workload
     * identity), asks the issuer, marks the lease active and records the credential. On any failure
     * the partial credential is revoked and the lease rolled back before the error is thrown.
     */
    public Outcome issue(String issuerName, Grant grant, IssueRequest req) {
        Issuer issuer = issuers.get(issuerName)
                .orElseThrow(() -> new LeaseException(404, "no issuer named '" + Echo.shown(issuerName) + "'"));
        Issuer.Terms terms = issuer.terms(req.role())
                .orElseThrow(() -> new LeaseException(
                        404, "issuer '" + issuer.name() + "' has no role '" + Echo.shown(req.role()) + "'"));
        Duration ttl = req.ttl() == null ? terms.defaultTtl() : req.ttl();
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new LeaseException(400, "ttl must be at least 1 second");
        }
        if (ttl.compareTo(terms.maxTtl()) > 0) {
            throw new LeaseException(
                    400,
                    "ttl " + ttl.toSeconds() + "s is above the max ttl of role '" + req.role() + "' ("
                            + terms.maxTtl().toSeconds() + "s)");
        }
        Instant now = clock.instant();
        String id = Ids.next();
        String handle;
        try {
            handle = issuer.handle(id, req);
        } catch (IssueException e) {
            throw new LeaseException(e.reason().status(), e.getMessage(), e);
        }
        Lease planned = new Lease(
                id,
                issuer.kind(),
                issuer.name(),
                req.role(),
                grant.workload(),
                null,
                null,
                handle,
                LeaseState.PENDING,
                null,
                now,
                now,
                now.plus(ttl),
                now.plus(terms.maxTtl()),
                0,
                0,
                null,
                null,
                grant.actor(),
                null,
                Map.of());
        Lease pending = store.db().inTransaction(h -> {
            String identityId = grant.identity() == null ? null : inventory.touch(h, grant.identity(), now);
            Lease l = planned.withIdentity(identityId);
            store.insert(h, l);
            audit.append(h, grant.actor(), "lease.create", "lease", id, l.auditDetails());
            return l;
        });
        Issued issued;
        try {
            issued = issuer.issue(pending, req);
        } catch (IssueException e) {
            reaper.rollBack(pending, e.getMessage());
            throw new LeaseException(
                    e.reason().status(),
                    e.getMessage()
                            + (e.reason() == IssueException.Reason.UNAVAILABLE
                                    ? " (nothing was issued; lease " + id + " rolled back)"
                                    : ""),
                    e);
        } catch (RuntimeException e) {
            reaper.rollBack(pending, "internal error: " + e.getClass().getSimpleName());
            throw e;
        }
        Map<String, String> attrs = new LinkedHashMap<>(issued.attributes());
        Lease active;
        try {
            active = store.db().inTransaction(h -> activate(h, pending, issued, attrs));
        } catch (RuntimeException e) {
            reaper.rollBack(
                    pending, "the lease could not be activated: " + e.getClass().getSimpleName());
            throw e;
        }
        if (active == null) {
            // Revoked (revoke-prefix) while it was being issued: take back what was just created.
            revokeQuietly(issuer, pending);
            throw new LeaseException(
                    409, "lease " + id + " was revoked while it was issued; no credential is returned");
        }
        return new Outcome(active, issued);
    }

    private Lease activate(Handle h, Lease pending, Issued issued, Map<String, String> attrs) {
        Instant now = clock.instant();
        String credentialId = credentials.record(h, pending, issued, attrs, now);
        if (store.activate(h, pending.id(), credentialId, attrs, now) == 0) {
            credentials.forget(h, credentialId);
            return null;
        }
        Lease l = store.get(h, pending.id(), false).orElseThrow();
        audit.append(h, pending.createdBy(), "lease.activate", "lease", l.id(), l.auditDetails());
        return l;
    }

    /** Renews an active lease by {@code increment} (null: the role's default, capped at the max TTL). */
    public Lease renew(String id, Duration increment, String actor) {
        Lease l = get(id).orElseThrow(() -> noSuchLease(id));
        Instant now = clock.instant();
        if (l.state() != LeaseState.ACTIVE || !l.expiresAt().isAfter(now)) {
            throw new LeaseException(
                    409,
                    "lease " + id + " is "
                            + (l.state() == LeaseState.ACTIVE
                                    ? "expired"
                                    : l.state().value()) + " and cannot be renewed; request a new credential");
        }
        Issuer issuer = issuer(l);
        Duration inc = increment;
        if (inc == null) {
            inc = issuer.terms(l.role()).map(Issuer.Terms::defaultTtl).orElse(Duration.ofHours(1));
        } else if (inc.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new LeaseException(400, "increment must be at least 1 second");
        }
        Instant wanted = now.plus(inc);
        if (wanted.isAfter(l.maxExpiresAt())) {
            if (increment != null || !l.expiresAt().isBefore(l.maxExpiresAt())) {
                throw new LeaseException(
                        409,
                        "renewal past the max ttl: lease " + id + " may live until " + l.maxExpiresAt() + " ("
                                + Duration.between(now, l.maxExpiresAt()).toSeconds()
                                + "s from now); request a new credential after that");
            }
            wanted = l.maxExpiresAt();
        }
        Instant newExpiry = wanted;
        try {
            issuer.renew(l, newExpiry);
        } catch (IssueException e) {
            throw new LeaseException(e.reason().status(), e.getMessage(), e);
        }
        return store.db().inTransaction(h -> {
            if (store.renew(h, id, newExpiry, now) == 0) {
                throw new LeaseException(409, "lease " + id + " changed state while it was renewed");
            }
            LeaseCredentials.extend(h, l, newExpiry);
            Lease r = store.get(h, id, false).orElseThrow();
            audit.append(h, actor, "lease.renew", "lease", id, r.auditDetails());
            return r;
        });
    }

    /**
     * Revokes one lease now (idempotent: an ended lease is returned as it is; an irrevocable one is
     * tried once more). Returns the lease after the attempt: revoked, or revoking with its error.
     */
    public Lease revoke(String id, String actor) {
        Lease l = get(id).orElseThrow(() -> noSuchLease(id));
        if (!l.state().isLive()) {
            return l;
        }
        String claim = Ids.next();
        Instant now = clock.instant();
        List<Lease> claimed = store.db().inTransaction(h -> {
            List<Lease> c =
                    store.claim(h, List.of(id), now, claim, now.plus(settings.claimTimeout()), Lease.REASON_REQUEST);
            if (!c.isEmpty()) {
                audit.append(
                        h,
                        actor,
                        "lease.revoke_requested",
                        "lease",
                        id,
                        c.get(0).auditDetails());
            }
            return c;
        });
        for (Lease c : claimed) {
            reaper.revokeClaimed(c, claim, null);
        }
        return get(id).orElseThrow();
    }

    /**
     * Revokes every live lease whose {@code kind/issuer/role} starts with {@code pathPrefix} and whose
     * workload is {@code workload} (a trailing {@code *} matches a prefix); at least one is required.
     * The leases are made due at once and this call runs reaper passes over them; returns how many
     * leases matched.
     */
    public int revokePrefix(String pathPrefix, String workload, String actor) {
        if ((pathPrefix == null || pathPrefix.isEmpty()) && (workload == null || workload.isEmpty())) {
            throw new LeaseException(400, "give a path prefix, a workload, or both");
        }
        if (workload != null && workload.equals("*")) {
            throw new LeaseException(400, "workload '*' would match every lease; give a prefix before '*'");
        }
        Instant now = clock.instant();
        List<String> ids = store.db().inTransaction(h -> {
            List<String> due = store.dueNow(h, emptyToNull(pathPrefix), emptyToNull(workload), now);
            Map<String, String> d = new LinkedHashMap<>();
            d.put("path", pathPrefix == null ? "" : pathPrefix);
            d.put("workload", workload == null ? "" : workload);
            d.put("leases", Integer.toString(due.size()));
            audit.append(h, actor, "lease.revoke_prefix", "lease", pathPrefix == null ? workload : pathPrefix, d);
            return due;
        });
        for (int pass = 0; pass < 1 + ids.size() / settings.batch(); pass++) {
            if (reaper.reap().claimed() == 0) {
                break;
            }
        }
        return ids.size();
    }

    /** One reaper pass: claims due leases and revokes them (in parallel); never throws. See {@link LeaseReaper}. */
    public Reaped reap() {
        return reaper.reap();
    }

    /**
     * Reconciliation at start: interrupted issuances rolled back, missed expiries revoked, orphans
     * dropped. Never throws. See {@link LeaseReconciler}.
     */
    public Reconciled reconcile() {
        return reconciler.reconcile();
    }

    private Issuer issuer(Lease l) {
        return issuers.get(l.issuer())
                .orElseThrow(() -> new LeaseException(
                        409, "issuer '" + l.issuer() + "' of lease " + l.id() + " is no longer configured"));
    }

    private static void revokeQuietly(Issuer issuer, Lease l) {
        try {
            issuer.revoke(l);
        } catch (IssueException | RuntimeException e) {
            LOG.warn("event=lease_revoke_after_conflict_failed lease={} (the reaper retries)", l.id());
        }
    }

    private static LeaseException noSuchLease(String id) {
        return new LeaseException(404, "no lease with id '" + Echo.shown(id) + "'");
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    @Override
    public void close() {
        reaper.close();
        issuers.close();
    }
}
