package dev.warden.posture;

import dev.warden.inventory.Credential;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.IdentityStatus;
import dev.warden.inventory.InventoryStore;
import dev.warden.inventory.Nature;
import dev.warden.usage.UsageStore;
import dev.warden.usage.UsageSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.jdbi.v3.core.Handle;

/**
 * One pass of every check over the inventory, in bounded memory: identities are read in keyset pages
 * of {@link #PAGE} whole records, each page is joined with its usage summaries (one indexed query
 * per source scope that has usage), its leaks and the estate's shared credentials, the checks run,
 * and the page's findings are reconciled with the stored ones of the same identities before the next
 * page is read. Persisting, it writes new, changed, reopened and resolved findings; as a view (an
 * as-of evaluation) it writes nothing and hands each finding to a sink.
 */
final class Evaluator {
    static final int PAGE = 1_000;

    private final InventoryStore inventory;
    private final UsageStore usage;
    private final LeakSource leaks;
    private final FindingStore store;

    Evaluator(InventoryStore inventory, UsageStore usage, LeakSource leaks, FindingStore store) {
        this.inventory = inventory;
        this.usage = usage;
        this.leaks = leaks;
        this.store = store;
    }

    /** What a pass counted. */
    static final class Tally {
        long identities;
        long evaluated;
        long fresh;
        long resolved;
        long reopened;
        private final Map<String, long[]> counts = new TreeMap<>();

        void count(String check, Severity severity, FindingStatus status) {
            counts.computeIfAbsent(check + "|" + severity.value() + "|" + status.value(), k -> new long[1])[0]++;
        }

        long total(FindingStatus status) {
            return counts().stream()
                    .filter(c -> c.status() == status)
                    .mapToLong(Evaluation.Count::count)
                    .sum();
        }

        List<Evaluation.Count> counts() {
            List<Evaluation.Count> out = new ArrayList<>(counts.size());
            counts.forEach((k, v) -> {
                String[] p = k.split("\\|", 3);
                out.add(new Evaluation.Count(p[0], Severity.parse(p[1]), FindingStatus.parse(p[2]), v[0]));
            });
            return out;
        }
    }

    private record Computed(String id, Check check, Identity identity, Credential credential, Detection detection) {}

    /**
     * Runs the checks as of {@code asOf}. With {@code persist}, reconciles with the stored findings
     * at {@code now} ({@code previous}: the latest persisted evaluation's time, or null); otherwise
     * hands each finding with its identity to {@code sink} (which may be null) and writes nothing.
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
        Tally tally = new Tally();
        SharedCredentials shared = SharedCredentials.load(h, asOf);
        Set<String> covered = usage.scopes(h);
        String after = null;
        while (true) {
            List<IdentityRecord> page = inventory.records(h, after, PAGE);
            if (page.isEmpty()) {
                break;
            }
            tally.identities += page.size();
            String first = page.get(0).identity().id();
            after = page.get(page.size() - 1).identity().id();
            List<IdentityRecord> visible = new ArrayList<>(page.size());
            for (IdentityRecord r : page) {
                if (visible(r.identity(), asOf)) {
                    visible.add(asOf(r, asOf));
                }
            }
            Map<String, UsageSummary> usageById = usage(h, visible, covered, asOf);
            Map<String, List<LeakSighting>> leaksById = leaks(visible, asOf);
            Map<String, Computed> computed = new LinkedHashMap<>();
            for (IdentityRecord r : visible) {
                tally.evaluated++;
                Identity i = r.identity();
                Subject subject = new Subject(
                        r,
                        usageById.get(i.id()),
                        leaksById.getOrDefault(i.id(), List.of()),
                        shared.of(i.id()),
                        covered.contains(
                                i.source().type() + "\u0000" + i.source().scope()),
                        policy,
                        asOf);
                for (Check check : checks) {
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
            Map<String, FindingStore.Stored> stored = store.forIdentities(h, first, after);
            if (persist) {
                reconcile(h, computed, stored, tally, now, previous);
            } else {
                view(computed, stored, tally, asOf, sink);
            }
        }
        return tally;
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

    private Map<String, UsageSummary> usage(Handle h, List<IdentityRecord> records, Set<String> covered, Instant asOf) {
        Map<String, Map<String, String>> idByPrincipalByScope = new LinkedHashMap<>();
        for (IdentityRecord r : records) {
            Identity i = r.identity();
            String scope = i.source().type() + "\u0000" + i.source().scope();
            if (covered.contains(scope)) {
                idByPrincipalByScope
                        .computeIfAbsent(scope, k -> new LinkedHashMap<>())
                        .put(i.externalId(), i.id());
            }
        }
        Map<String, UsageSummary> out = new HashMap<>();
        idByPrincipalByScope.forEach((scope, ids) -> {
            int nul = scope.indexOf('\u0000');
            usage.summaries(h, scope.substring(0, nul), scope.substring(nul + 1), ids.keySet(), asOf)
                    .forEach((principal, summary) -> out.put(ids.get(principal), summary));
        });
        return out;
    }

    private Map<String, List<LeakSighting>> leaks(List<IdentityRecord> records, Instant asOf) {
        if (leaks == LeakSource.NONE || records.isEmpty()) {
            return Map.of();
        }
        Map<String, List<LeakSighting>> out = new HashMap<>();
        for (LeakSighting l :
                leaks.leaks(records.stream().map(r -> r.identity().id()).toList(), asOf)) {
            if (!l.foundAt().isAfter(asOf)) {
                out.computeIfAbsent(l.identityId(), k -> new ArrayList<>()).add(l);
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

    private void reconcile(
            Handle h,
            Map<String, Computed> computed,
            Map<String, FindingStore.Stored> stored,
            Tally tally,
            Instant now,
            Instant previous) {
        List<FindingStore.Row> inserts = new ArrayList<>();
        List<FindingStore.Row> updates = new ArrayList<>();
        Map<String, Instant> resolves = new LinkedHashMap<>();
        for (Computed c : computed.values()) {
            FindingStore.Stored s = stored.remove(c.id());
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
                                        || !s.acceptedUntil().isAfter(now));
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
        for (FindingStore.Stored s : stored.values()) {
            if (s.status() != FindingStatus.RESOLVED) {
                resolves.put(s.id(), previous != null && previous.isAfter(s.lastSeen()) ? previous : s.lastSeen());
                tally.resolved++;
            }
        }
        store.insert(h, inserts, now);
        store.update(h, updates, now);
        store.resolve(h, resolves, now);
    }

    private static boolean changed(FindingStore.Stored s, FindingStore.Row r) {
        return s.severity() != r.detection().severity()
                || !s.summary().equals(r.detection().summary())
                || !s.evidence().equals(r.evidence())
                || !java.util.Objects.equals(s.credentialKind(), r.credentialKind())
                || !java.util.Objects.equals(s.credentialExternalId(), r.credentialExternalId())
                || !java.util.Objects.equals(s.credentialFingerprint(), r.credentialFingerprint());
    }

    private static FindingStore.Row row(Computed c, String evidence, FindingStatus status) {
        Credential cr = c.credential();
        return new FindingStore.Row(
                c.id(),
                c.identity().id(),
                c.check(),
                c.detection(),
                cr == null ? null : cr.kind().value(),
                cr == null ? null : cr.externalId(),
                cr == null ? null : cr.fingerprint(),
                evidence,
                status);
    }

    private static void view(
            Map<String, Computed> computed,
            Map<String, FindingStore.Stored> stored,
            Tally tally,
            Instant asOf,
            BiConsumer<Finding, Identity> sink) {
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
            if (sink == null) {
                continue;
            }
            Instant firstSeen = s != null && !s.firstSeen().isAfter(asOf) ? s.firstSeen() : asOf;
            Identity i = c.identity();
            Credential cr = c.credential();
            sink.accept(
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
                    i);
        }
    }
}
