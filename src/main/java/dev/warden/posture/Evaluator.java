package dev.warden.posture;

import dev.warden.inventory.Credential;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.IdentityStatus;
import dev.warden.inventory.Inventory;
import dev.warden.inventory.Nature;
import dev.warden.inventory.Source;
import dev.warden.store.Database;
import dev.warden.usage.UsageStore;
import dev.warden.usage.UsageSummary;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * One pass of every check over the inventory, in bounded memory and on every core. The id space is
 * cut into pages of {@link #PAGE} identities (one pass over the primary-key index); worker threads,
 * each on its own read connection, read a page's whole records, join them with their usage
 * summaries (one indexed query per source scope that has usage), leaks, signals and the estate's shared
 * credentials, run the checks and decide, against the stored findings of the same id range, what
 * to write; the caller's thread applies the writes in page order in its own transaction. At most
 * {@code 2 x workers} pages are in flight. Persisting, it writes new, changed, reopened and resolved
 * findings; as a view (an as-of evaluation) it writes nothing and hands each finding to a sink.
 *
 * <p>Workers read committed data on their own connections while the caller's transaction is open:
 * the caller writes only findings, and only of pages the workers have finished, so they never need
 * to see its writes. (On SQLite the caller's write lock keeps other writers out meanwhile, so all
 * reads see one state; on PostgreSQL each page reads the latest committed state.)
 */
final class Evaluator {
    static final int PAGE = 2_000;

    private final Database db;
    private final Inventory inventory;
    private final UsageStore usage;
    private final LeakSource leaks;
    private final SignalSource signals;
    private final FindingStore store;
    private final int workers;

    Evaluator(
            Database db,
            Inventory inventory,
            UsageStore usage,
            LeakSource leaks,
            SignalSource signals,
            FindingStore store) {
        this.db = db;
        this.inventory = inventory;
        this.usage = usage;
        this.leaks = leaks;
        this.signals = signals;
        this.store = store;
        this.workers = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /** What a pass counted. */
    static final class Tally {
        long identities;
        long evaluated;
        long fresh;
        long resolved;
        long reopened;
        private final Map<String, long[]> counts = new HashMap<>();

        void count(String check, Severity severity, FindingStatus status) {
            counts.computeIfAbsent(check + "|" + severity.value() + "|" + status.value(), k -> new long[1])[0]++;
        }

        void add(Tally o) {
            identities += o.identities;
            evaluated += o.evaluated;
            fresh += o.fresh;
            resolved += o.resolved;
            reopened += o.reopened;
            o.counts.forEach((k, v) -> counts.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
        }

        long total(FindingStatus status) {
            return counts().stream()
                    .filter(c -> c.status() == status)
                    .mapToLong(Evaluation.Count::count)
                    .sum();
        }

        List<Evaluation.Count> counts() {
            List<Evaluation.Count> out = new ArrayList<>(counts.size());
            new TreeMap<>(counts).forEach((k, v) -> {
                String[] p = k.split("\\|", 3);
                out.add(new Evaluation.Count(p[0], Severity.parse(p[1]), FindingStatus.parse(p[2]), v[0]));
            });
            return out;
        }
    }

    private record Computed(String id, Check check, Identity identity, Credential credential, Detection detection) {}

    /** What one page found and what to write for it. */
    private record PageResult(
            Tally tally,
            List<FindingStore.Row> inserts,
            List<FindingStore.Row> updates,
            Map<String, Instant> resolves,
            List<Map.Entry<Finding, Identity>> view) {}

    /** Everything a page needs besides its range. */
    private record Pass(
            Instant asOf,
            PosturePolicy policy,
            List<Check> checks,
            boolean persist,
            Instant now,
            Instant previous,
            SharedCredentials shared,
            Set<Source> covered,
            Set<String> coveredTypes,
            boolean wantView) {}

    /**
     * Runs the checks as of {@code asOf}. With {@code persist}, reconciles with the stored findings
     * at {@code now} ({@code previous}: the latest persisted evaluation's time, or null) and writes on
     * {@code h}; otherwise hands each finding with its identity to {@code sink} (which may be null),
     * on the caller's thread, and writes nothing.
     */
    Tally run(
            Handle h,
            Instant asOf,
            PosturePolicy policy,
            List<Check> checks,
            boolean persist,
            Instant now,
            Instant previous,
            BiConsumer<Finding, Identity> sink) {
        Set<Source> covered = usage.scopes(h);
        Set<String> coveredTypes = new TreeSet<>();
        covered.forEach(c -> coveredTypes.add(c.type()));
        Pass pass = new Pass(
                asOf,
                policy,
                checks,
                persist,
                now,
                previous,
                SharedCredentials.load(h, asOf),
                covered,
                coveredTypes,
                sink != null);
        List<String> ends = inventory.pageEnds(h, PAGE);
        Tally tally = new Tally();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "warden-posture-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            Deque<Future<PageResult>> inflight = new ArrayDeque<>();
            int next = 0;
            while (next < ends.size() || !inflight.isEmpty()) {
                while (next < ends.size() && inflight.size() < 2 * workers) {
                    String after = next == 0 ? null : ends.get(next - 1);
                    String last = ends.get(next++);
                    inflight.add(pool.submit(() -> db.withHandle(w -> page(w, after, last, pass))));
                }
                PageResult r = await(inflight.poll());
                if (persist) {
                    store.insert(h, r.inserts(), now);
                    store.update(h, r.updates(), now);
                    store.resolve(h, r.resolves(), now);
                } else if (sink != null) {
                    r.view().forEach(e -> sink.accept(e.getKey(), e.getValue()));
                }
                tally.add(r.tally());
            }
        } finally {
            pool.shutdownNow();
        }
        // Findings of identities after the last one (or of any, when none is left) resolve too.
        Map<String, FindingStore.Stored> rest =
                store.forIdentities(h, ends.isEmpty() ? null : ends.get(ends.size() - 1), null);
        if (persist && !rest.isEmpty()) {
            PageResult r = reconcile(Map.of(), rest, pass);
            store.resolve(h, r.resolves(), now);
            tally.add(r.tally());
        }
        return tally;
    }

    private static PageResult await(Future<PageResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("posture evaluation interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** One page, on a worker's connection: read, check, decide. */
    private PageResult page(Handle h, String after, String last, Pass pass) {
        List<IdentityRecord> page = inventory.records(h, after, last);
        List<IdentityRecord> visible = new ArrayList<>(page.size());
        for (IdentityRecord r : page) {
            if (visible(r.identity(), pass.asOf())) {
                visible.add(asOf(r, pass.asOf()));
            }
        }
        Map<String, UsageSummary> usageById = visible.isEmpty()
                ? Map.of()
                : usage.summariesOfIdentities(h, after, last, pass.coveredTypes(), pass.asOf());
        Map<String, List<LeakSighting>> leaksById = leaks(visible, pass.asOf());
        Map<String, List<Signal>> signalsById = signals(visible, pass.asOf());
        Map<String, Computed> computed = new LinkedHashMap<>();
        for (IdentityRecord r : visible) {
            Identity i = r.identity();
            Subject subject = new Subject(
                    r,
                    usageById.get(i.id()),
                    leaksById.getOrDefault(i.id(), List.of()),
                    signalsById.getOrDefault(i.id(), List.of()),
                    pass.shared().of(i.id()),
                    pass.covered().contains(i.source()),
                    pass.policy(),
                    pass.asOf());
            for (Check check : pass.checks()) {
                try {
                    check.evaluate(subject, d -> {
                        String id = Finding.idFor(check.id(), i.id(), d.credentialId(), d.discriminator());
                        Computed before = computed.get(id);
                        if (before == null
                                || d.severity().rank()
                                        > before.detection().severity().rank()) {
                            computed.put(id, new Computed(id, check, i, credential(r, d.credentialId()), d));
                        }
                    });
                } catch (RuntimeException e) {
                    throw new IllegalStateException(
                            "check " + check.id() + " failed on identity " + i.id() + ": " + e.getMessage(), e);
                }
            }
        }
        // From the previous page's last id: findings of identities deleted in between resolve here.
        Map<String, FindingStore.Stored> stored = store.forIdentities(h, after, last);
        PageResult r = pass.persist() ? reconcile(computed, stored, pass) : view(computed, stored, pass);
        r.tally().identities = page.size();
        r.tally().evaluated = visible.size();
        return r;
    }

    /** Machine identities that existed at {@code asOf} and had not been removed by then. */
    static boolean visible(Identity i, Instant asOf) {
        if (i.nature() != Nature.MACHINE || i.firstSeen().isAfter(asOf)) {
            return false;
        }
        if (i.removedAt() != null) {
            return i.removedAt().isAfter(asOf);
        }
        return i.status() != IdentityStatus.REMOVED;
    }

    /** The record without the credentials created after {@code asOf}. */
    private static IdentityRecord asOf(IdentityRecord r, Instant asOf) {
        boolean later = r.credentials().stream()
                .anyMatch(c -> c.createdAt() != null && c.createdAt().isAfter(asOf));
        if (!later) {
            return r;
        }
        return IdentityRecord.whole(
                r.identity(),
                r.credentials().stream()
                        .filter(c -> c.createdAt() == null || !c.createdAt().isAfter(asOf))
                        .toList(),
                r.entitlements(),
                r.trusts());
    }

    private Map<String, List<LeakSighting>> leaks(List<IdentityRecord> records, Instant asOf) {
        if (leaks == LeakSource.NONE) {
            return Map.of();
        }
        return byIdentity(records, asOf, leaks::leaks, LeakSighting::identityId, LeakSighting::foundAt);
    }

    private Map<String, List<Signal>> signals(List<IdentityRecord> records, Instant asOf) {
        if (signals == SignalSource.NONE) {
            return Map.of();
        }
        return byIdentity(records, asOf, signals::signals, Signal::identityId, Signal::at);
    }

    /** What a source says of a page's identities, known at {@code asOf}, by identity id. */
    private static <T> Map<String, List<T>> byIdentity(
            List<IdentityRecord> records,
            Instant asOf,
            BiFunction<List<String>, Instant, List<T>> source,
            Function<T, String> identityId,
            Function<T, Instant> at) {
        if (records.isEmpty()) {
            return Map.of();
        }
        Map<String, List<T>> out = new HashMap<>();
        for (T t : source.apply(records.stream().map(r -> r.identity().id()).toList(), asOf)) {
            if (!at.apply(t).isAfter(asOf)) {
                out.computeIfAbsent(identityId.apply(t), k -> new ArrayList<>()).add(t);
            }
        }
        return out;
    }

    private static Credential credential(IdentityRecord r, String id) {
        if (id == null) {
            return null;
        }
        for (Credential c : r.credentials()) {
            if (id.equals(c.id())) {
                return c;
            }
        }
        return null;
    }

    private PageResult reconcile(Map<String, Computed> computed, Map<String, FindingStore.Stored> stored, Pass pass) {
        Tally tally = new Tally();
        List<FindingStore.Row> inserts = new ArrayList<>();
        List<FindingStore.Row> updates = new ArrayList<>();
        Map<String, Instant> resolves = new LinkedHashMap<>();
        Map<String, FindingStore.Stored> left = new HashMap<>(stored);
        for (Computed c : computed.values()) {
            FindingStore.Stored s = left.remove(c.id());
            String evidence = EvidenceJson.write(c.detection().evidence());
            FindingStatus status;
            if (s == null) {
                status = FindingStatus.OPEN;
                inserts.add(row(c, evidence, status));
                tally.fresh++;
            } else {
                status = s.status();
                boolean reopen = status == FindingStatus.RESOLVED
                        || status == FindingStatus.ACCEPTED
                                && (s.acceptedUntil() == null
                                        || !s.acceptedUntil().isAfter(pass.now()));
                if (reopen) {
                    status = FindingStatus.OPEN;
                    tally.reopened++;
                }
                FindingStore.Row row = row(c, evidence, status);
                if (reopen || changed(s, row)) {
                    updates.add(row);
                }
            }
            tally.count(c.check().id(), c.detection().severity(), status);
        }
        for (FindingStore.Stored s : left.values()) {
            if (s.status() != FindingStatus.RESOLVED) {
                Instant previous = pass.previous();
                resolves.put(s.id(), previous != null && previous.isAfter(s.lastSeen()) ? previous : s.lastSeen());
                tally.resolved++;
            }
        }
        return new PageResult(tally, inserts, updates, resolves, List.of());
    }

    private static boolean changed(FindingStore.Stored s, FindingStore.Row r) {
        return !r.digest().equals(s.digest());
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    });

    /** What a finding says (severity, summary, evidence, credential), as 16 hex digits. */
    static String digest(Detection d, String evidence, String kind, String externalId, String fingerprint) {
        MessageDigest sha = SHA256.get();
        sha.reset();
        for (String part : new String[] {d.severity().value(), d.summary(), evidence, kind, externalId, fingerprint}) {
            byte[] b = (part == null ? "\u0001" : part).getBytes(StandardCharsets.UTF_8);
            sha.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
            sha.update(b);
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 8);
    }

    private static FindingStore.Row row(Computed c, String evidence, FindingStatus status) {
        Credential cr = c.credential();
        String kind = cr == null ? null : cr.kind().value();
        String externalId = cr == null ? null : cr.externalId();
        String fingerprint = cr == null ? null : cr.fingerprint();
        return new FindingStore.Row(
                c.id(),
                c.identity().id(),
                c.check(),
                c.detection(),
                kind,
                externalId,
                fingerprint,
                evidence,
                digest(c.detection(), evidence, kind, externalId, fingerprint),
                status);
    }

    private static PageResult view(Map<String, Computed> computed, Map<String, FindingStore.Stored> stored, Pass pass) {
        Tally tally = new Tally();
        Instant asOf = pass.asOf();
        List<Map.Entry<Finding, Identity>> out = new ArrayList<>();
        for (Computed c : computed.values()) {
            FindingStore.Stored s = stored.get(c.id());
            FindingStatus status = FindingStatus.OPEN;
            Finding.Acceptance acceptance = null;
            if (s != null
                    && s.acceptedAt() != null
                    && !s.acceptedAt().isAfter(asOf)
                    && s.acceptedUntil() != null
                    && s.acceptedUntil().isAfter(asOf)) {
                status = FindingStatus.ACCEPTED;
                acceptance =
                        new Finding.Acceptance(s.acceptedReason(), s.acceptedBy(), s.acceptedAt(), s.acceptedUntil());
            }
            tally.count(c.check().id(), c.detection().severity(), status);
            if (!pass.wantView()) {
                continue;
            }
            Instant firstSeen = s != null && !s.firstSeen().isAfter(asOf) ? s.firstSeen() : asOf;
            Identity i = c.identity();
            Credential cr = c.credential();
            out.add(Map.entry(
                    new Finding(
                            c.id(),
                            c.check().id(),
                            c.check().risk(),
                            c.check().nist(),
                            c.detection().severity(),
                            status,
                            new Finding.IdentityRef(i.id(), i.kind(), i.name(), i.externalId(), i.source()),
                            c.detection().credentialId() == null
                                    ? null
                                    : new Finding.CredentialRef(
                                            c.detection().credentialId(),
                                            cr == null ? null : cr.kind(),
                                            cr == null ? null : cr.externalId(),
                                            cr == null ? null : cr.fingerprint()),
                            c.detection().summary(),
                            c.detection().evidence(),
                            c.check().remediation(),
                            firstSeen,
                            asOf,
                            null,
                            acceptance),
                    i));
        }
        return new PageResult(tally, List.of(), List.of(), Map.of(), out);
    }
}
