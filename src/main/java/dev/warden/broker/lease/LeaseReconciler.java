package dev.warden.broker.lease;

import dev.warden.audit.AuditLog;
import dev.warden.broker.issue.IssueException;
import dev.warden.broker.issue.Issuer;
import dev.warden.broker.issue.Issuers;
import dev.warden.store.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciliation at start, so that a crash leaves nothing Warden cannot find again: pending leases
 * older than the grace period (issuances interrupted by a crash) are rolled back — whatever they
 * created is revoked — leases that expired while no server ran are revoked by reaper passes, and
 * external objects carrying an issuer's prefix that no live lease accounts for are dropped. Audited
 * as {@code lease.reconcile}; never throws.
 */
final class LeaseReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseReconciler.class);

    private final LeaseStore store;
    private final AuditLog audit;
    private final Issuers issuers;
    private final Clock clock;
    private final Leases.Settings settings;
    private final LeaseReaper reaper;

    LeaseReconciler(
            LeaseStore store,
            AuditLog audit,
            Issuers issuers,
            Clock clock,
            Leases.Settings settings,
            LeaseReaper reaper) {
        this.store = store;
        this.audit = audit;
        this.issuers = issuers;
        this.clock = clock;
        this.settings = settings;
        this.reaper = reaper;
    }

    /** Rolls back interrupted issuances, revokes missed expiries and drops orphans; returns what it did. */
    Leases.Reconciled reconcile() {
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
                if (reaper.revokeClaimed(l, claim, "reconcile: interrupted issuance") == LeaseState.ROLLED_BACK) {
                    rolledBack++;
                } else {
                    errors++;
                }
            }
            for (Leases.Reaped r = reaper.reap(); r.claimed() > 0; r = reaper.reap()) {
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
                    store.db()
                            .inTransaction(h -> audit.append(h, Leases.REAPER, "lease.reconcile", "orphan", handle, d));
                }
            } catch (IssueException | RuntimeException e) {
                LOG.warn(
                        "event=lease_orphans_failed issuer={} error=\"{}\"",
                        issuer.name(),
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                errors++;
            }
        }
        Leases.Reconciled r = new Leases.Reconciled(rolledBack, revoked, dropped, errors);
        if (rolledBack + revoked + dropped + errors > 0) {
            Map<String, String> d = new LinkedHashMap<>();
            d.put("rolledBack", Integer.toString(rolledBack));
            d.put("revoked", Integer.toString(revoked));
            d.put("orphansDropped", Integer.toString(dropped));
            d.put("errors", Integer.toString(errors));
            try {
                store.db().inTransaction(h -> audit.append(h, Leases.REAPER, "lease.reconcile", "leases", "start", d));
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
}
