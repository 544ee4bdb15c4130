package dev.warden.broker;

import dev.warden.audit.AuditLog;
import dev.warden.inventory.Identity;
import dev.warden.inventory.Inventory;
import dev.warden.store.Database;
import dev.warden.store.Ids;
import dev.warden.store.JsonColumns;
import dev.warden.store.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every broker decision to the store before the caller gets an answer, with group commit:
 * one writer thread takes whatever requests are waiting and writes them in one transaction (the
 * replay-cache insert, the workload identity, the issuance and the audit entry of each), so a
 * store commit is shared by many concurrent exchanges instead of one each. A request's future
 * completes only after its transaction committed; a token is signed only after that.
 *
 * <p>The replay check is an {@code INSERT ... ON CONFLICT DO NOTHING} on the subject token's keyed
 * {@code jti} fingerprint, so it holds across every server sharing one PostgreSQL. A replay is
 * audited and recorded as a finding on the workload (and a tag on its identity).
 */
final class DecisionRecorder implements AutoCloseable {
    static final int MAX_BATCH = 256;
    static final int QUEUE = 8192;
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(DecisionRecorder.class);

    enum Outcome {
        RECORDED,
        REPLAYED
    }

    /**
     * One decision to record. {@code issuance} is inserted when the decision allowed, and then
     * {@code identity} is created or updated; on a replay {@code identity} carries the finding.
     * {@code jtiKey} (when non-null) must be new or the entry is a replay.
     */
    record Entry(
            String actor,
            String workload,
            String jtiKey,
            Instant jtiExpiresAt,
            Identity identity,
            Issuance issuance,
            String auditAction,
            Map<String, String> auditDetails) {
        Entry {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(workload, "workload");
            Objects.requireNonNull(auditAction, "auditAction");
            auditDetails = Map.copyOf(auditDetails);
        }
    }

    private record Pending(Entry entry, CompletableFuture<Outcome> result) {}

    private final Database db;
    private final AuditLog audit;
    private final Inventory inventory;
    private final Clock clock;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread writer;
    private final DenialAudit denials;
    private volatile boolean running = true;
    private Instant lastPrune = Instant.MIN;
    /**
     * Identities written recently, by (source, external id, owners): a workload identity is written
     * at once when it is new or its owners change, and otherwise at most once per
     * {@link #TOUCH_EVERY}. Versions that arrive in between (a new pod name, a later last-seen) are
     * folded into {@link Touched#pending} and written when that period is over ({@link
     * #flushPending}), so the identity's attested attributes lag the latest exchange by at most two
     * periods; each exchange's issuance row is written before its token all the same. Only the
     * writer thread uses it; it is cleared whenever a transaction fails.
     */
    private final Map<String, Touched> recentlyTouched = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Touched> eldest) {
            if (size() > 10_000) {
                if (eldest.getValue().pending != null) {
                    evictedPending.add(eldest.getValue().pending);
                }
                return true;
            }
            return false;
        }
    };

    /** Pending versions of identities evicted from {@link #recentlyTouched}: written in the next batch. */
    private final List<Identity> evictedPending = new ArrayList<>();

    private static final class Touched {
        final String identityId;
        final Instant at;
        Identity pending;

        Touched(String identityId, Instant at) {
            this.identityId = identityId;
            this.at = at;
        }
    }

    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    DecisionRecorder(Database db, AuditLog audit, Clock clock, RateLimiter.Settings limits) {
        this.db = db;
        this.audit = audit;
        this.inventory = new Inventory(db, audit, clock);
        this.clock = clock;
        this.denials = new DenialAudit(clock, limits.auditWindow(), limits.maxAuditedDenials(), this::submitSummary);
        this.writer = new Thread(this::run, "warden-broker-recorder");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Which denials are audited in full and which only counted. */
    DenialAudit denials() {
        return denials;
    }

    private void submitSummary(Entry e) {
        submit(e).whenComplete((o, ex) -> {
            if (ex != null) {
                LOG.warn("event=deny_summary_lost error=\"{}\" details={}", ex.getMessage(), e.auditDetails());
            }
        });
    }

    /** Queues {@code e}; the future fails when the queue is full or the store fails. */
    CompletableFuture<Outcome> submit(Entry e) {
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        if (!running || !queue.offer(new Pending(e, f))) {
            f.completeExceptionally(new IllegalStateException("the broker's store writer is overloaded or stopped"));
        }
        return f;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    pruneIfDue();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
                pruneIfDue();
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (RuntimeException e) {
                LOG.error("event=recorder_error", e);
            } finally {
                batch.clear();
            }
        }
        for (Pending p; (p = queue.poll()) != null; ) {
            p.result().completeExceptionally(new IllegalStateException("the broker is shutting down"));
        }
        flushPending(true);
    }

    private void write(List<Pending> batch) {
        List<Outcome> outcomes;
        try {
            outcomes = db.inTransaction(
                    h -> recordAll(h, batch.stream().map(Pending::entry).toList()));
        } catch (RuntimeException e) {
            recentlyTouched.clear(); // an identity may have been removed meanwhile: write them again
            if (batch.size() == 1) {
                batch.get(0).result().completeExceptionally(e);
                return;
            }
            // One bad entry must not fail its neighbours: retry each alone.
            for (Pending p : batch) {
                try {
                    p.result()
                            .complete(db.inTransaction(h -> recordAll(h, List.of(p.entry())))
                                    .get(0));
                } catch (RuntimeException e2) {
                    recentlyTouched.clear();
                    p.result().completeExceptionally(e2);
                }
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(outcomes.get(i));
        }
    }

    /**
     * Records {@code entries} in the transaction of {@code h} with a handful of statements: one
     * multi-row replay-cache insert, one identity write per distinct workload, one batched insert of
     * issuances and one of audit entries (in entry order).
     */
    private List<Outcome> recordAll(Handle h, List<Entry> entries) {
        Instant now = clock.instant();
        boolean[] replayed = replays(h, entries, now);
        Map<String, String> identityIds = touchIdentities(h, entries, replayed, now);
        List<Outcome> out = new ArrayList<>(entries.size());
        List<AuditLog.Pending> auditEntries = new ArrayList<>(entries.size());
        List<Map.Entry<Issuance, String>> issuances = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (replayed[i]) {
                // A replay flood from one source writes one finding and audit entry per window.
                if (denials.admit(e.auditDetails().get("sourceAddress"))) {
                    auditEntries.add(replay(h, e, now));
                }
                out.add(Outcome.REPLAYED);
                continue;
            }
            if (e.issuance() != null) {
                String identityId = e.identity() == null ? null : identityIds.get(naturalKey(e.identity()));
                issuances.add(new AbstractMap.SimpleImmutableEntry<>(e.issuance(), identityId));
            }
            auditEntries.add(
                    new AuditLog.Pending(e.actor(), e.auditAction(), "workload", e.workload(), e.auditDetails()));
            out.add(Outcome.RECORDED);
        }
        Issuances.insertAll(h, issuances);
        audit.appendAll(h, auditEntries);
        return out;
    }

    /**
     * Creates or updates the workload identity of every allowed entry: the batch's versions of one
     * identity folded in order (as successive writes would merge them), written at once when the
     * identity is new to this writer or its owners changed, otherwise kept pending until
     * {@link #TOUCH_EVERY} has passed (see {@link #recentlyTouched}). Returns the identity ids by
     * natural key.
     */
    private Map<String, String> touchIdentities(Handle h, List<Entry> entries, boolean[] replayed, Instant now) {
        for (Identity evicted : evictedPending) {
            inventory.touch(h, evicted, now);
        }
        evictedPending.clear();
        Map<String, Identity> folded = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (!replayed[i] && e.issuance() != null && e.identity() != null) {
                folded.merge(naturalKey(e.identity()), e.identity(), DecisionRecorder::fold);
            }
        }
        Map<String, String> ids = new HashMap<>();
        folded.forEach((nk, id) -> {
            String key = nk + "\0" + id.businessOwner() + "\0" + id.technicalOwner() + "\0" + id.ownershipProvenance();
            Touched recent = recentlyTouched.get(key);
            if (recent != null && now.isBefore(recent.at.plus(TOUCH_EVERY))) {
                recent.pending = recent.pending == null ? id : fold(recent.pending, id);
                ids.put(nk, recent.identityId);
            } else {
                Identity write = recent == null || recent.pending == null ? id : fold(recent.pending, id);
                String identityId = inventory.touch(h, write, now);
                recentlyTouched.put(key, new Touched(identityId, now));
                ids.put(nk, identityId);
            }
        });
        return ids;
    }

    /**
     * Writes the pending identity versions whose period is over ({@code all}: every one, at
     * shutdown), in one transaction.
     */
    private void flushPending(boolean all) {
        Instant now = clock.instant();
        List<Map.Entry<String, Touched>> due = new ArrayList<>();
        for (Map.Entry<String, Touched> e : recentlyTouched.entrySet()) {
            Touched t = e.getValue();
            if (t.pending != null && (all || !now.isBefore(t.at.plus(TOUCH_EVERY)))) {
                due.add(e);
            }
        }
        if (due.isEmpty() && evictedPending.isEmpty()) {
            return;
        }
        try {
            db.inTransaction(h -> {
                for (Identity evicted : evictedPending) {
                    inventory.touch(h, evicted, now);
                }
                for (Map.Entry<String, Touched> e : due) {
                    inventory.touch(h, e.getValue().pending, now);
                }
                return null;
            });
            evictedPending.clear();
            for (Map.Entry<String, Touched> e : due) {
                recentlyTouched.put(e.getKey(), new Touched(e.getValue().identityId, now));
            }
        } catch (RuntimeException e) {
            recentlyTouched.clear();
            evictedPending.clear();
            LOG.warn("event=identity_flush_failed error=\"{}\"", e.getMessage());
        }
    }

    /** An identity's natural key (source and external id), as the inventory keys it. */
    private static String naturalKey(Identity i) {
        return i.source().type() + "\0" + i.source().scope() + "\0" + i.externalId();
    }

    /**
     * {@code a} then {@code b} as one identity, merged the way {@link Inventory#touch} merges
     * an incoming identity into a stored one, so touching the fold equals touching both in turn.
     */
    static Identity fold(Identity a, Identity b) {
        Map<String, String> tags = new LinkedHashMap<>(a.tags());
        tags.putAll(b.tags());
        Map<String, String> attributes = new LinkedHashMap<>(a.attributes());
        attributes.putAll(b.attributes());
        boolean keepOwners = b.businessOwner() == null && b.technicalOwner() == null;
        return new Identity(
                null,
                b.kind(),
                b.name(),
                b.externalId(),
                b.source(),
                b.environment() != null ? b.environment() : a.environment(),
                keepOwners ? a.businessOwner() : b.businessOwner(),
                keepOwners ? a.technicalOwner() : b.technicalOwner(),
                keepOwners ? a.ownershipProvenance() : b.ownershipProvenance(),
                b.workload() != null ? b.workload() : a.workload(),
                b.purpose() != null ? b.purpose() : a.purpose(),
                b.status(),
                b.thirdPartyVendor() != null ? b.thirdPartyVendor() : a.thirdPartyVendor(),
                tags,
                a.createdAt() != null ? a.createdAt() : b.createdAt(),
                a.firstSeen().isBefore(b.firstSeen()) ? a.firstSeen() : b.firstSeen(),
                b.lastSeen().isAfter(a.lastSeen()) ? b.lastSeen() : a.lastSeen(),
                b.natureReason() != null ? b.nature() : a.nature(),
                b.natureReason() != null ? b.natureReason() : a.natureReason(),
                attributes,
                null);
    }

    /**
     * Inserts the entries' jti keys into the replay cache; an entry is a replay when its key was
     * already there or appeared earlier in the same batch.
     */
    private static boolean[] replays(Handle h, List<Entry> entries, Instant now) {
        boolean[] replayed = new boolean[entries.size()];
        Map<String, Integer> first = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String k = entries.get(i).jtiKey();
            if (k == null) {
                continue;
            }
            if (first.containsKey(k)) {
                replayed[i] = true;
                continue;
            }
            first.put(k, i);
        }
        if (first.isEmpty()) {
            return replayed;
        }
        // One multi-row statement with positional parameters (plain JDBC: the SQL differs with the
        // batch size, and named-parameter parsing of every new shape cost more than the insert).
        StringBuilder sql = new StringBuilder(96 + 14 * first.size())
                .append("INSERT INTO broker_seen_jti (jti_key, workload, seen_at, expires_at) VALUES ");
        for (int n = 0; n < first.size(); n++) {
            sql.append(n == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)");
        }
        sql.append(" ON CONFLICT (jti_key) DO NOTHING RETURNING jti_key");
        Set<String> inserted = new HashSet<>();
        try (PreparedStatement ps = h.getConnection().prepareStatement(sql.toString())) {
            int p = 1;
            for (int i : first.values()) {
                Entry e = entries.get(i);
                ps.setString(p++, e.jtiKey());
                ps.setString(p++, e.workload());
                ps.setLong(p++, now.toEpochMilli());
                ps.setLong(p++, e.jtiExpiresAt().toEpochMilli());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot record subject token ids: " + e.getMessage(), e);
        }
        first.forEach((k, i) -> replayed[i] = !inserted.contains(k));
        return replayed;
    }

    /** Records a replay: the finding, the tag on the workload's identity; returns its audit entry. */
    private AuditLog.Pending replay(Handle h, Entry e, Instant now) {
        String identityId = null;
        if (e.identity() != null) {
            Identity i = e.identity();
            Map<String, String> tags = new LinkedHashMap<>(i.tags());
            tags.put("finding.token_replay", now.toString());
            identityId = inventory.touch(
                    h,
                    new Identity(
                            null,
                            i.kind(),
                            i.name(),
                            i.externalId(),
                            i.source(),
                            i.environment(),
                            null,
                            null,
                            null,
                            i.workload(),
                            i.purpose(),
                            i.status(),
                            i.thirdPartyVendor(),
                            tags,
                            i.createdAt(),
                            i.firstSeen(),
                            i.lastSeen()),
                    now);
        }
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("subjectFingerprint", e.auditDetails().getOrDefault("subjectFingerprint", ""));
        evidence.put("jtiFingerprint", e.jtiKey());
        evidence.put("attestor", e.auditDetails().getOrDefault("attestor", ""));
        evidence.put("sourceAddress", e.auditDetails().getOrDefault("sourceAddress", ""));
        h.createUpdate("INSERT INTO broker_findings (id, identity_id, workload, kind, severity, evidence, at)"
                        + " VALUES (:id, :identityId, :w, 'token_replay', 'high', :evidence, :at)")
                .bind("id", Ids.next())
                .bind("identityId", identityId)
                .bind("w", e.workload())
                .bind("evidence", JsonColumns.write(evidence))
                .bind("at", now.toEpochMilli())
                .execute();
        Map<String, String> d = new LinkedHashMap<>(e.auditDetails());
        d.put("decision", "deny");
        d.put("reason", "subject token replayed (its jti was already accepted)");
        d.put("jtiFingerprint", e.jtiKey());
        d.remove("jti");
        d.remove("ttlSeconds");
        return new AuditLog.Pending(e.actor(), "broker.replay", "workload", e.workload(), d);
    }

    private void pruneIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(lastPrune.plus(PRUNE_EVERY))) {
            return;
        }
        lastPrune = now;
        flushPending(false);
        try {
            db.inTransaction(h -> h.createUpdate("DELETE FROM broker_seen_jti WHERE expires_at < :now")
                    .bind("now", now.toEpochMilli())
                    .execute());
        } catch (RuntimeException e) {
            LOG.warn("event=jti_prune_failed error=\"{}\"", e.getMessage());
        }
    }

    @Override
    public void close() {
        denials.flush();
        running = false;
        try {
            writer.join(5_000);
            if (writer.isAlive()) {
                writer.interrupt();
                writer.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
