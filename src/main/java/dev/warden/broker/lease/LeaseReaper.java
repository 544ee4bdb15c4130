package dev.warden.broker.lease;

import dev.warden.audit.AuditLog;
import dev.warden.broker.issue.IssueException;
import dev.warden.broker.issue.Issuer;
import dev.warden.broker.issue.Issuers;
import dev.warden.inventory.CredentialStatus;
import dev.warden.store.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revocation of leases. A reaper pass claims the leases that are due — expired, or made due by a
 * revocation request — in one short transaction ({@link LeaseStore#claimDue}) and revokes them in
 * parallel. Every revocation (at expiry, on request, when an issuance is rolled back, at
 * reconciliation) ends in {@link #revokeClaimed}: the issuer takes the credential back and the lease
 * ends, audited ({@code lease.revoke}, {@code lease.rollback}); a failed attempt is retried after an
 * exponential backoff ({@code lease.revoke_failed}) and after the last one the lease is {@code
 * irrevocable} ({@code lease.irrevocable}, a posture finding). Only the claimant finishes a claimed
 * lease, so with several servers on one store each lease is revoked once.
 */
final class LeaseReaper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseReaper.class);

    private final LeaseStore store;
    private final AuditLog audit;
    private final Issuers issuers;
    private final Clock clock;
    private final Leases.Settings settings;
    private final ExecutorService workers;

    LeaseReaper(LeaseStore store, AuditLog audit, Issuers issuers, Clock clock, Leases.Settings settings) {
        this.store = store;
        this.audit = audit;
        this.issuers = issuers;
        this.clock = clock;
        this.settings = settings;
        this.workers = Executors.newFixedThreadPool(settings.parallelism(), r -> {
            Thread t = new Thread(r, "warden-lease-revoker");
            t.setDaemon(true);
            return t;
        });
    }

    /** One reaper pass: claims due leases and revokes them (in parallel); never throws. */
    Leases.Reaped reap() {
        Instant now = clock.instant();
        String claim = Ids.next();
        List<Lease> claimed;
        try {
            claimed = store.db()
                    .inTransaction(
                            h -> store.claimDue(h, now, settings.batch(), claim, now.plus(settings.claimTimeout())));
        } catch (RuntimeException e) {
            LOG.warn("event=lease_reaper_failed error=\"{}\"", e.getMessage());
            return new Leases.Reaped(0, 0, 0, 0);
        }
        if (claimed.isEmpty()) {
            return new Leases.Reaped(0, 0, 0, 0);
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
        return new Leases.Reaped(claimed.size(), revoked, failed, irrevocable);
    }

    /** Takes back whatever a failed issuance created and marks the lease rolled back (or due for retry). */
    void rollBack(Lease pending, String error) {
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

    /**
     * Revokes a lease this server claimed with {@code claim}; returns the state it ended in
     * ({@code revoking} after a failed attempt that will be retried).
     */
    LeaseState revokeClaimed(Lease l, String claim, String cause) {
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
                LeaseCredentials.mark(
                        h, l, end == LeaseState.EXPIRED ? CredentialStatus.EXPIRED : CredentialStatus.REVOKED, end);
                Map<String, String> d = l.with(end, now).auditDetails();
                d.put("reason", l.revokeReason() == null ? "" : l.revokeReason());
                d.put("attempts", Integer.toString(l.revokeAttempts() + 1));
                if (cause != null) {
                    d.put("cause", cause);
                }
                String action = end == LeaseState.ROLLED_BACK ? "lease.rollback" : "lease.revoke";
                // Who asked is in lease.revoke_requested / lease.revoke_prefix; this is Warden doing it.
                String actor = Lease.REASON_EXPIRY.equals(l.revokeReason()) ? Leases.REAPER : Leases.SYSTEM;
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
        Instant next = last ? null : now.plus(settings.backoffAfter(attempts));
        String safe =
                error == null ? "unknown error" : error.lines().findFirst().orElse(error);
        try {
            return store.db().inTransaction(h -> {
                if (store.failed(h, l.id(), claim, attempts, next, safe, now) == 0) {
                    return LeaseState.REVOKING;
                }
                Map<String, String> d = l.auditDetails();
                d.put("attempts", Integer.toString(attempts));
                d.put("error", safe);
                if (last) {
                    LeaseCredentials.mark(h, l, CredentialStatus.ACTIVE, LeaseState.IRREVOCABLE);
                    audit.append(h, Leases.REAPER, "lease.irrevocable", "lease", l.id(), d);
                    LOG.error("event=lease_irrevocable lease={} handle={} attempts={}", l.id(), l.handle(), attempts);
                    return LeaseState.IRREVOCABLE;
                }
                d.put("nextAttemptAt", next.toString());
                audit.append(h, Leases.REAPER, "lease.revoke_failed", "lease", l.id(), d);
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

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
