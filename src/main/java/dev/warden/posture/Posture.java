package dev.warden.posture;

import dev.warden.audit.AuditLog;
import dev.warden.input.Echo;
import dev.warden.inventory.Inventory;
import dev.warden.inventory.Page;
import dev.warden.store.Database;
import dev.warden.store.Ids;
import dev.warden.usage.UsageStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Posture as the CLI and the API use it: evaluate every check over the inventory and usage
 * (persisting: one transaction that reconciles findings, records the evaluation and audits it; or as
 * of a past instant: read-only), list and show findings, accept a finding under an exception.
 */
public final class Posture {
    /** Longest an exception may run. */
    public static final Duration MAX_EXCEPTION = Duration.ofDays(180);

    /** Earliest as-of instant accepted (Warden has no data older than this). */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

    private static final int MAX_REASON = 2_000;

    private final Database db;
    private final Checks checks;
    private final FindingStore store;
    private final Evaluator evaluator;
    private final AuditLog audit;
    private final Clock clock;
    private final PosturePolicy policy;

    public Posture(
            Database db,
            UsageStore usage,
            LeakSource leaks,
            SignalSource signals,
            AuditLog audit,
            Clock clock,
            Checks checks,
            PosturePolicy policy) {
        this.db = db;
        this.checks = checks;
        this.store = new FindingStore(db, checks);
        this.evaluator = new Evaluator(db, new Inventory(db, audit, clock), usage, leaks, signals, store);
        this.audit = audit;
        this.clock = clock;
        this.policy = policy;
    }

    public Checks checks() {
        return checks;
    }

    /** The policy this instance was configured with. */
    public PosturePolicy policy() {
        return policy;
    }

    /** Evaluates now with the configured policy, persisting; see {@link #evaluate(PosturePolicy, String)}. */
    public Evaluation evaluate(String actor) {
        return evaluate(policy, actor);
    }

    /**
     * Runs every enabled check now and reconciles with the stored findings in one transaction: new
     * findings open, present ones updated, gone ones resolved, accepted ones stay accepted while their
     * exception holds and reopen when it has expired. Records the evaluation and audits it.
     */
    public Evaluation evaluate(PosturePolicy policy, String actor) {
        Instant now = clock.instant();
        long started = System.nanoTime();
        return db.inTransaction(h -> {
            db.lock(h, "warden.posture.evaluate");
            Instant previous = store.evaluations(h, 1).stream()
                    .findFirst()
                    .map(Evaluation::at)
                    .orElse(null);
            Evaluator.Tally t = evaluator.run(h, now, policy, checks.enabled(policy), true, now, previous, null);
            Evaluation e = new Evaluation(
                    Ids.next(),
                    now,
                    now,
                    actor,
                    true,
                    t.identities,
                    t.evaluated,
                    t.total(FindingStatus.OPEN),
                    t.total(FindingStatus.ACCEPTED),
                    t.fresh,
                    t.resolved,
                    t.reopened,
                    (System.nanoTime() - started) / 1_000_000,
                    t.counts());
            store.insertEvaluation(h, e, policy.toJson());
            Map<String, String> details = new LinkedHashMap<>();
            details.put("identities", Long.toString(e.identities()));
            details.put("evaluated", Long.toString(e.evaluated()));
            details.put("open", Long.toString(e.open()));
            details.put("accepted", Long.toString(e.accepted()));
            details.put("new", Long.toString(e.newFindings()));
            details.put("resolved", Long.toString(e.resolved()));
            details.put("reopened", Long.toString(e.reopened()));
            details.put("checks", Integer.toString(checks.enabled(policy).size()));
            audit.append(h, actor, "posture.evaluate", "posture", e.id(), details);
            return e;
        });
    }

    /** An as-of evaluation: what it counted and the findings that pass the filter, most severe first. */
    public record View(Evaluation evaluation, List<Finding> findings) {}

    /**
     * Evaluates as of {@code asOf} without writing anything: ages, dormancy and expiry are judged at
     * {@code asOf}, usage counts up to it, identities first seen after it are left out, and a
     * finding is accepted if an exception held at {@code asOf}. The same store and instant give the
     * same result. Memory grows with the findings that pass {@code filter} (not with the estate).
     */
    public View evaluateAsOf(Instant asOf, PosturePolicy policy, FindingFilter filter) {
        long started = System.nanoTime();
        List<Finding> kept = new ArrayList<>();
        Evaluator.Tally t = db.streaming(h ->
                evaluator.run(h, asOf, policy, checks.enabled(policy), false, clock.instant(), null, (f, identity) -> {
                    if (filter.test(f)
                            && (filter.team() == null
                                    || filter.team().equals(identity.businessOwner())
                                    || filter.team().equals(identity.technicalOwner()))) {
                        kept.add(f);
                    }
                }));
        kept.sort(Comparator.comparingInt((Finding f) -> -f.severity().rank()).thenComparing(Finding::id));
        Evaluation e = new Evaluation(
                Ids.next(),
                clock.instant(),
                asOf,
                "as-of",
                false,
                t.identities,
                t.evaluated,
                t.total(FindingStatus.OPEN),
                t.total(FindingStatus.ACCEPTED),
                0,
                0,
                0,
                (System.nanoTime() - started) / 1_000_000,
                t.counts());
        return new View(e, kept);
    }

    /** A page of stored findings as they stand now, most severe first. */
    public Page<Finding> list(FindingFilter filter, String cursor, int limit) {
        return store.list(filter, cursor, limit, clock.instant(), latestAt());
    }

    /** A page of an as-of evaluation (each page evaluates again: reproducible, not cheap). */
    public Page<Finding> listAsOf(Instant asOf, PosturePolicy policy, FindingFilter filter, String cursor, int limit) {
        if (limit < 1 || limit > FindingStore.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + FindingStore.MAX_LIMIT);
        }
        Object[] after = cursor == null || cursor.isEmpty() ? null : FindingStore.decodeCursor(cursor);
        List<Finding> all = evaluateAsOf(asOf, policy, filter).findings();
        int from = 0;
        if (after != null) {
            int rank = (Integer) after[0];
            String id = (String) after[1];
            while (from < all.size()
                    && (all.get(from).severity().rank() > rank
                            || all.get(from).severity().rank() == rank
                                    && all.get(from).id().compareTo(id) <= 0)) {
                from++;
            }
        }
        int to = Math.min(all.size(), from + limit);
        List<Finding> page = all.subList(from, to);
        String next = to < all.size() && !page.isEmpty()
                ? FindingStore.encodeCursor(
                        page.get(page.size() - 1).severity().rank(),
                        page.get(page.size() - 1).id())
                : null;
        return new Page<>(page, next);
    }

    /** One stored finding, if it exists (and, with a team, if the team owns its identity). */
    public Optional<Finding> get(String id, String team) {
        if (!Finding.isValidId(id)) {
            return Optional.empty();
        }
        Instant latest = latestAt();
        return db.withHandle(h -> store.get(h, id, team, clock.instant(), latest));
    }

    /** The identity's current (open and accepted) findings, most severe first. */
    public List<Finding> forIdentity(String identityId) {
        List<Finding> out = new ArrayList<>();
        String cursor = null;
        do {
            Page<Finding> p =
                    list(new FindingFilter(null, null, null, identityId, null), cursor, FindingStore.MAX_LIMIT);
            out.addAll(p.items());
            cursor = p.nextCursor();
        } while (cursor != null && out.size() < 10_000);
        return out;
    }

    /** The latest persisted evaluations, newest first. */
    public List<Evaluation> evaluations(int limit) {
        return db.withHandle(h -> store.evaluations(h, limit));
    }

    private Instant latestAt() {
        return evaluations(1).stream().findFirst().map(Evaluation::at).orElse(null);
    }

    /** A report as of the latest evaluation, with up to {@code top} identities per section. */
    public PostureReport report(PostureReport.Framework framework, int top) {
        if (top < 1 || top > 100) {
            throw new IllegalArgumentException("top must be between 1 and 100");
        }
        return db.withHandle(h -> PostureReport.build(h, store, checks, framework, top, clock.instant()));
    }

    /** No finding with that id (for the API: 404). */
    public static final class NoSuchFindingException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        NoSuchFindingException(String id) {
            super("no finding '" + Echo.shown(id) + "'");
        }
    }

    /**
     * Accepts a finding under an exception: a reason, an expiry at most {@link #MAX_EXCEPTION} ahead,
     * the approver recorded. Audited in detail. While the exception holds the finding stays
     * accepted; the first evaluation after it expires reopens it.
     *
     * @param until a date (the exception holds through that day, UTC) or an ISO-8601 instant
     * @throws IllegalArgumentException for a missing reason or expiry, an expiry in the past or too
     *     far ahead, a resolved finding; {@link NoSuchFindingException} for an unknown one
     */
    public Finding accept(String id, String reason, String until, String approver, String team) {
        Instant now = clock.instant();
        Finding f = get(id, team).orElseThrow(() -> new NoSuchFindingException(id));
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason is required to accept a finding");
        }
        String why = reason.strip();
        if (why.length() > MAX_REASON) {
            throw new IllegalArgumentException("the reason is longer than " + MAX_REASON + " characters");
        }
        if (why.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
            throw new IllegalArgumentException("the reason contains a control character");
        }
        Instant expiry = parseUntil(until, now);
        if (f.status() == FindingStatus.RESOLVED) {
            throw new IllegalArgumentException(
                    "finding " + id + " is resolved (since " + f.resolvedAt() + "); there is nothing to accept");
        }
        db.inTransaction(h -> {
            store.accept(h, id, why, approver, now, expiry);
            Map<String, String> d = new LinkedHashMap<>();
            d.put("check", f.checkId());
            d.put("risk", f.risk().value());
            d.put("severity", f.severity().value());
            d.put("identity", f.identity().id());
            d.put("previousStatus", f.status().value());
            d.put("reason", why);
            d.put("until", expiry.toString());
            d.put("approvedBy", approver);
            if (f.acceptance() != null) {
                d.put(
                        "replaces",
                        "exception until " + f.acceptance().until() + " by "
                                + f.acceptance().approvedBy());
            }
            audit.append(h, approver, "finding.accept", "finding", id, d);
            return null;
        });
        return get(id, team).orElseThrow();
    }

    /**
     * The expiry of an exception: a date means through the end of that day (UTC); an instant is
     * taken as given. It must be after {@code now} and at most {@link #MAX_EXCEPTION} ahead.
     */
    public static Instant parseUntil(String text, Instant now) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an expiry is required (until: a date at most 180 days ahead)");
        }
        String t = text.strip();
        Instant until;
        LocalDate date = null;
        try {
            date = LocalDate.parse(t);
            until = date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            until = parseInstant(t, "until");
        }
        if (!until.isAfter(now)) {
            throw new IllegalArgumentException("until " + t + " is in the past");
        }
        LocalDate latestDate = now.plus(MAX_EXCEPTION).atZone(ZoneOffset.UTC).toLocalDate();
        boolean tooFar = date != null ? date.isAfter(latestDate) : until.isAfter(now.plus(MAX_EXCEPTION));
        if (tooFar) {
            throw new IllegalArgumentException("until " + t + " is more than 180 days ahead (latest: " + latestDate
                    + "); exceptions must be renewed, not open-ended");
        }
        return until;
    }

    /**
     * An as-of instant: an ISO-8601 instant or offset date-time, or a date (the end of that day,
     * UTC); not before {@link #EARLIEST}, not after {@code now}.
     */
    public static Instant parseAsOf(String text, Instant now, String label) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(label + " needs a value (2026-05-01T00:00:00Z or 2026-05-01)");
        }
        String t = text.strip();
        Instant at;
        try {
            at = LocalDate.parse(t)
                    .plusDays(1)
                    .atStartOfDay(ZoneOffset.UTC)
                    .toInstant()
                    .minusMillis(1);
        } catch (DateTimeParseException e) {
            at = parseInstant(t, label);
        }
        if (at.isBefore(EARLIEST)) {
            throw new IllegalArgumentException(
                    label + " " + Echo.shown(t) + " is before " + EARLIEST + "; Warden has no data that old");
        }
        if (at.isAfter(now)) {
            throw new IllegalArgumentException(label + " " + Echo.shown(t) + " is in the future (now is " + now + ")");
        }
        return at;
    }

    private static Instant parseInstant(String t, String label) {
        if (t.length() <= 64) {
            try {
                return Instant.parse(t);
            } catch (DateTimeParseException e) {
                try {
                    return OffsetDateTime.parse(t).toInstant();
                } catch (DateTimeParseException e2) {
                    // fall through to the error below
                }
            }
        }
        throw new IllegalArgumentException(label + " '" + Echo.shown(t)
                + "' is not an ISO-8601 instant (2026-05-01T00:00:00Z) or date (2026-05-01)");
    }
}
