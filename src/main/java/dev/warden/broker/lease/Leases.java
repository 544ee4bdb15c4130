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
import dev.warden.store.Ids;
import dev.warden.store.JsonColumns;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * <p>Several servers may share one store: a revocation attempt is claimed in a short transaction
 * ({@link LeaseStore#claimDue}) and finished only by its claimant, so each lease is revoked once.
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
    private final SecretBox box;
    private final Clock clock;
    private final Settings settings;
    private final Inventory inventory;
    private final ExecutorService workers;

    public Leases(
            dev.warden.store.Database db,
            AuditLog audit,
            Issuers issuers,
            SecretBox box,
            Clock clock,
            Settings settings) {
        this.store = new LeaseStore(db);
        this.audit = audit;
        this.issuers = issuers;
        this.box = box;
        this.clock = clock;
        this.settings = settings;
        this.inventory = new Inventory(db, audit, clock);
        this.workers = Executors.newFixedThreadPool(settings.parallelism(), r -> {
            Thread t = new Thread(r, "warden-lease-revoker");
            t.setDaemon(true);
            return t;
        });
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
            Lease l = withIdentity(planned, identityId);
            store.insert(h, l);
            audit.append(h, grant.actor(), "lease.create", "lease", id, details(l));
            return l;
        });
        Issued issued;
        try {
            issued = issuer.issue(pending, req);
        } catch (IssueException e) {
            rollback(pending, e.getMessage());
            throw new LeaseException(
                    e.reason().status(),
                    e.getMessage()
                            + (e.reason() == IssueException.Reason.UNAVAILABLE
                                    ? " (nothing was issued; lease " + id + " rolled back)"
                                    : ""),
                    e);
        } catch (RuntimeException e) {
            rollback(pending, "internal error: " + e.getClass().getSimpleName());
            throw e;
        }
        Map<String, String> attrs = new LinkedHashMap<>(issued.attributes());
        Lease active;
        try {
            active = store.db().inTransaction(h -> activate(h, pending, issued, attrs));
        } catch (RuntimeException e) {
            rollback(
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
        String credentialId = null;
        if (pending.identityId() != null) {
            credentialId = Ids.next();
            Map<String, String> credAttrs = new LinkedHashMap<>(attrs);
            credAttrs.put("lease.id", pending.id());
            credAttrs.put("lease.state", LeaseState.ACTIVE.value());
            credAttrs.put("lease.path", pending.path());
            h.createUpdate("INSERT INTO credentials (id, identity_id, kind, external_id, fingerprint, created_at,"
                            + " last_rotated_at, expires_at, last_used_at, status, attributes) VALUES (:id, :identityId,"
                            + " :kind, :externalId, :fingerprint, :createdAt, NULL, :expiresAt, NULL, 'active',"
                            + " :attributes)")
                    .bind("id", credentialId)
                    .bind("identityId", pending.identityId())
                    .bind(
                            "kind",
                            issuers.get(pending.issuer())
                                    .orElseThrow()
                                    .credentialKind()
                                    .value())
                    .bind("externalId", issued.externalId() != null ? issued.externalId() : "lease:" + pending.id())
                    .bind(
                            "fingerprint",
                            issued.secretField() == null
                                    ? null
                                    : box.fingerprint(issued.material().get(issued.secretField())))
                    .bind("createdAt", now.toEpochMilli())
                    .bind("expiresAt", pending.expiresAt().toEpochMilli())
                    .bind("attributes", JsonColumns.write(credAttrs))
                    .execute();
        }
        if (store.activate(h, pending.id(), credentialId, attrs, now) == 0) {
            if (credentialId != null) {
                h.createUpdate("DELETE FROM credentials WHERE id = :id")
                        .bind("id", credentialId)
                        .execute();
            }
            return null;
        }
        Lease l = store.get(h, pending.id(), false).orElseThrow();
        audit.append(h, pending.createdBy(), "lease.activate", "lease", l.id(), details(l));
        return l;
    }

    /** Takes back whatever a failed issuance created and marks the lease rolled back (or due for retry). */
    private void rollback(Lease pending, String error) {
        String claim = Ids.next();
        Instant now = clock.instant();
        List<Lease> claimed;
        try {
            claimed = store.db()
                    .inTransaction(h -> store.claim(
                            h,
                            List.of(pending.id()),
                            now,
                            claim,
                            now.plus(settings.claimTimeout()),
                            Lease.REASON_ROLLBACK));
        } catch (RuntimeException e) {
            LOG.warn("event=lease_rollback_deferred lease={} error=\"{}\"", pending.id(), e.getMessage());
            return; // reconciliation at the next start rolls it back
        }
        for (Lease l : claimed) {
            revokeClaimed(l, claim, error);
        }
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
            if (l.credentialId() != null) {
                h.createUpdate("UPDATE credentials SET expires_at = :e WHERE id = :id")
                        .bind("e", newExpiry.toEpochMilli())
                        .bind("id", l.credentialId())
                        .execute();
            }
            Lease r = store.get(h, id, false).orElseThrow();
            audit.append(h, actor, "lease.renew", "lease", id, details(r));
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
                audit.append(h, actor, "lease.revoke_requested", "lease", id, details(c.get(0)));
            }
            return c;
        });
        for (Lease c : claimed) {
            revokeClaimed(c, claim, null);
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
            if (reap().claimed() == 0) {
                break;
            }
        }
        return ids.size();
    }

    /** One reaper pass: claims due leases and revokes them (in parallel); never throws. */
    public Reaped reap() {
        Instant now = clock.instant();
        String claim = Ids.next();
        List<Lease> claimed;
        try {
            claimed = store.db()
                    .inTransaction(
                            h -> store.claimDue(h, now, settings.batch(), claim, now.plus(settings.claimTimeout())));
        } catch (RuntimeException e) {
            LOG.warn("event=lease_reaper_failed error=\"{}\"", e.getMessage());
            return new Reaped(0, 0, 0, 0);
        }
        if (claimed.isEmpty()) {
            return new Reaped(0, 0, 0, 0);
        }
        List<Future<LeaseState>> results = new ArrayList<>(claimed.size());
        for (Lease l : claimed) {
            results.add(workers.submit(() -> revokeClaimed(l, claim, null)));
        }
        int revoked = 0;
        int failed = 0;
        int irrevocable = 0;
        for (Future<LeaseState> f : results) {
            LeaseState s;
            try {
                s = f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException e) {
                s = null;
            }
            if (s == LeaseState.IRREVOCABLE) {
                irrevocable++;
            } else if (s == LeaseState.REVOKING || s == null) {
                failed++;
            } else {
                revoked++;
            }
        }
        return new Reaped(claimed.size(), revoked, failed, irrevocable);
    }

    /**
     * Revokes a lease this server claimed with {@code claim}; returns the state it ended in
     * ({@code revoking} after a failed attempt that will be retried).
     */
    private LeaseState revokeClaimed(Lease l, String claim, String cause) {
        String error;
        Issuer issuer = issuers.get(l.issuer()).orElse(null);
        if (issuer == null) {
            error = "issuer '" + l.issuer() + "' is no longer configured";
        } else {
            try {
                issuer.revoke(l);
                return finish(l, claim, cause);
            } catch (IssueException e) {
                error = e.getMessage();
            } catch (RuntimeException e) {
                LOG.error("event=lease_revoke_error lease={}", l.id(), e);
                error = "internal error: " + e.getClass().getSimpleName();
            }
        }
        return failed(l, claim, error);
    }

    private LeaseState finish(Lease l, String claim, String cause) {
        Instant now = clock.instant();
        LeaseState end = l.endState();
        try {
            return store.db().inTransaction(h -> {
                if (store.finish(h, l.id(), claim, end, now) == 0) {
                    return LeaseState.REVOKING; // another server took the claim over: it reports
                }
                updateCredential(
                        h,
                        l,
                        end == LeaseState.EXPIRED
                                ? dev.warden.inventory.CredentialStatus.EXPIRED
                                : dev.warden.inventory.CredentialStatus.REVOKED,
                        end);
                Map<String, String> d = details(l.with(end, now));
                d.put("reason", l.revokeReason() == null ? "" : l.revokeReason());
                d.put("attempts", Integer.toString(l.revokeAttempts() + 1));
                if (cause != null) {
                    d.put("cause", cause);
                }
                String action = end == LeaseState.ROLLED_BACK ? "lease.rollback" : "lease.revoke";
                // Who asked is in lease.revoke_requested / lease.revoke_prefix; this is Warden doing it.
                String actor = Lease.REASON_EXPIRY.equals(l.revokeReason()) ? REAPER : SYSTEM;
                audit.append(h, actor, action, "lease", l.id(), d);
                return end;
            });
        } catch (RuntimeException e) {
            LOG.warn("event=lease_finish_failed lease={} error=\"{}\"", l.id(), e.getMessage());
            return LeaseState.REVOKING; // the claim expires and the revocation (idempotent) is retried
        }
    }

    private LeaseState failed(Lease l, String claim, String error) {
        Instant now = clock.instant();
        int attempts = l.revokeAttempts() + 1;
        boolean last = attempts >= settings.maxAttempts();
        Instant next = last ? null : now.plus(backoff(attempts));
        String safe =
                error == null ? "unknown error" : error.lines().findFirst().orElse(error);
        try {
            return store.db().inTransaction(h -> {
                if (store.failed(h, l.id(), claim, attempts, next, safe, now) == 0) {
                    return LeaseState.REVOKING;
                }
                Map<String, String> d = details(l);
                d.put("attempts", Integer.toString(attempts));
                d.put("error", safe);
                if (last) {
                    updateCredential(h, l, dev.warden.inventory.CredentialStatus.ACTIVE, LeaseState.IRREVOCABLE);
                    audit.append(h, REAPER, "lease.irrevocable", "lease", l.id(), d);
                    LOG.error("event=lease_irrevocable lease={} handle={} attempts={}", l.id(), l.handle(), attempts);
                    return LeaseState.IRREVOCABLE;
                }
                d.put("nextAttemptAt", next.toString());
                audit.append(h, REAPER, "lease.revoke_failed", "lease", l.id(), d);
                LOG.warn(
                        "event=lease_revoke_failed lease={} attempt={} next={} error=\"{}\"",
                        l.id(),
                        attempts,
                        next,
                        safe);
                return LeaseState.REVOKING;
            });
        } catch (RuntimeException e) {
            LOG.warn("event=lease_fail_record_failed lease={} error=\"{}\"", l.id(), e.getMessage());
            return LeaseState.REVOKING;
        }
    }

    /** The wait after {@code attempts} failed attempts: backoff * 2^(attempts-1), at most maxBackoff. */
    Duration backoff(int attempts) {
        Duration d = settings.backoff();
        for (int i = 1; i < attempts && d.compareTo(settings.maxBackoff()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : d;
    }

    private void updateCredential(
            Handle h, Lease l, dev.warden.inventory.CredentialStatus status, LeaseState leaseState) {
        if (l.credentialId() == null) {
            return;
        }
        String attrs = h.createQuery("SELECT attributes FROM credentials WHERE id = :id")
                .bind("id", l.credentialId())
                .mapTo(String.class)
                .findOne()
                .orElse(null);
        if (attrs == null) {
            return;
        }
        Map<String, String> a = new java.util.TreeMap<>(JsonColumns.readStringMap(attrs));
        a.put("lease.state", leaseState.value());
        h.createUpdate("UPDATE credentials SET status = :status, attributes = :attributes WHERE id = :id")
                .bind("status", status.value())
                .bind("attributes", JsonColumns.write(a))
                .bind("id", l.credentialId())
                .execute();
    }

    /**
     * Reconciliation at start: pending leases older than the grace period (issuances interrupted by
     * a crash) are rolled back — whatever they created is revoked — expired leases are revoked, and
     * external objects carrying an issuer's prefix that no live lease accounts for are dropped.
     * Audited as {@code lease.reconcile}. Never throws.
     */
    public Reconciled reconcile() {
        Instant now = clock.instant();
        int rolledBack = 0;
        int revoked = 0;
        int dropped = 0;
        int errors = 0;
        try {
            String claim = Ids.next();
            List<Lease> stale = store.db()
                    .inTransaction(h -> store.claim(
                            h,
                            store.stalePending(h, now.minus(settings.pendingGrace())),
                            now,
                            claim,
                            now.plus(settings.claimTimeout()),
                            Lease.REASON_ROLLBACK));
            for (Lease l : stale) {
                if (revokeClaimed(l, claim, "reconcile: interrupted issuance") == LeaseState.ROLLED_BACK) {
                    rolledBack++;
                } else {
                    errors++;
                }
            }
            for (Reaped r = reap(); r.claimed() > 0; r = reap()) {
                revoked += r.revoked();
                errors += r.failed() + r.irrevocable();
                if (r.revoked() == 0) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("event=lease_reconcile_failed error=\"{}\"", e.getMessage());
            errors++;
        }
        for (Issuer issuer : issuers.all()) {
            try {
                List<String> managed = issuer.managed();
                Set<String> live = store.liveHandles(issuer.kind(), issuer.name(), managed);
                for (String handle : managed) {
                    if (live.contains(handle)) {
                        continue;
                    }
                    issuer.dropOrphan(handle);
                    dropped++;
                    Map<String, String> d = new LinkedHashMap<>();
                    d.put("orphan", handle);
                    d.put("issuer", issuer.name());
                    d.put("kind", issuer.kind());
                    store.db().inTransaction(h -> audit.append(h, REAPER, "lease.reconcile", "orphan", handle, d));
                }
            } catch (IssueException | RuntimeException e) {
                LOG.warn(
                        "event=lease_orphans_failed issuer={} error=\"{}\"",
                        issuer.name(),
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                errors++;
            }
        }
        Reconciled r = new Reconciled(rolledBack, revoked, dropped, errors);
        if (rolledBack + revoked + dropped + errors > 0) {
            Map<String, String> d = new LinkedHashMap<>();
            d.put("rolledBack", Integer.toString(rolledBack));
            d.put("revoked", Integer.toString(revoked));
            d.put("orphansDropped", Integer.toString(dropped));
            d.put("errors", Integer.toString(errors));
            try {
                store.db().inTransaction(h -> audit.append(h, REAPER, "lease.reconcile", "leases", "start", d));
            } catch (RuntimeException e) {
                LOG.warn("event=lease_reconcile_audit_failed error=\"{}\"", e.getMessage());
            }
        }
        LOG.info(
                "event=lease_reconcile rolled_back={} revoked={} orphans_dropped={} errors={}",
                rolledBack,
                revoked,
                dropped,
                errors);
        return r;
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

    private static Lease withIdentity(Lease l, String identityId) {
        return new Lease(
                l.id(),
                l.kind(),
                l.issuer(),
                l.role(),
                l.workload(),
                identityId,
                l.credentialId(),
                l.handle(),
                l.state(),
                l.revokeReason(),
                l.createdAt(),
                l.updatedAt(),
                l.expiresAt(),
                l.maxExpiresAt(),
                l.renewals(),
                l.revokeAttempts(),
                l.nextAttemptAt(),
                l.lastError(),
                l.createdBy(),
                l.endedAt(),
                l.attributes());
    }

    static Map<String, String> details(Lease l) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("kind", l.kind());
        d.put("issuer", l.issuer());
        d.put("role", l.role() == null ? "" : l.role());
        d.put("workload", l.workload());
        d.put("handle", l.handle());
        d.put("state", l.state().value());
        d.put("expiresAt", l.expiresAt().toString());
        return d;
    }

    private static LeaseException noSuchLease(String id) {
        return new LeaseException(404, "no lease with id '" + Echo.shown(id) + "'");
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    @Override
    public void close() {
        workers.shutdownNow();
        issuers.close();
    }
}
