package dev.warden.posture;

import dev.warden.input.Echo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * A posture report to hand an auditor, per OWASP NHI Top 10 risk or per NIST CSF 2.0 subcategory:
 * open and accepted findings by severity as of the latest evaluation, the change since the
 * evaluation before it (from the per-evaluation summary rows), and the identities with the most
 * severe findings. Counts come from the latest evaluation's summary, so a report is consistent with
 * one evaluation; top identities are read from the findings as they stand.
 */
public record PostureReport(
        String framework,
        String title,
        Instant generatedAt,
        Evaluation latest,
        Evaluation previous,
        Map<Severity, Long> totals,
        List<Section> sections) {
    public PostureReport {
        totals = Map.copyOf(totals);
        sections = List.copyOf(sections);
    }

    /** The two report frameworks. */
    public enum Framework {
        OWASP_NHI("owasp-nhi", "OWASP Non-Human Identities Top 10 (2025)"),
        NIST_CSF("nist-csf", "NIST Cybersecurity Framework 2.0");

        private final String value;
        private final String title;

        Framework(String value, String title) {
            this.value = value;
            this.title = title;
        }

        public String value() {
            return value;
        }

        public String title() {
            return title;
        }

        public static Framework parse(String text) {
            for (Framework f : values()) {
                if (f.value.equals(text == null ? "" : text.strip().toLowerCase(Locale.ROOT))) {
                    return f;
                }
            }
            throw new IllegalArgumentException(
                    "unknown report '" + Echo.shown(text) + "' (expected owasp-nhi or nist-csf)");
        }
    }

    /**
     * One risk or subcategory.
     *
     * @param counts open and accepted findings by severity at the latest evaluation
     * @param previousTotal the same total at the evaluation before (null when there was none)
     * @param change total minus previousTotal (null when there was no previous evaluation)
     */
    public record Section(
            String id,
            String title,
            List<String> checks,
            Map<Severity, Long> counts,
            long total,
            long accepted,
            Long previousTotal,
            Long change,
            Map<Severity, Long> changeBySeverity,
            List<TopIdentity> topIdentities) {}

    /** An identity among those with the most severe findings of a section. */
    public record TopIdentity(
            String id, String kind, String name, String externalId, String source, long findings, Severity worst) {}

    static PostureReport build(Handle h, FindingStore store, Checks checks, Framework f, int top, Instant now) {
        List<Evaluation> evals = store.evaluations(h, 2);
        if (evals.isEmpty()) {
            throw new IllegalArgumentException(
                    "no evaluation yet: run 'warden findings' (or POST /v1/findings/evaluate) first");
        }
        Evaluation latest = evals.get(0);
        Evaluation previous = evals.size() > 1 ? evals.get(1) : null;
        Map<String, String> titles = new LinkedHashMap<>();
        Map<String, List<String>> checkIds = new LinkedHashMap<>();
        if (f == Framework.OWASP_NHI) {
            for (Risk r : Risk.values()) {
                titles.put(r.value(), r.title());
                checkIds.put(r.value(), checks.of(r).stream().map(Check::id).toList());
            }
        } else {
            for (String sub : Nist.subcategories()) {
                titles.put(sub, Nist.text(sub));
                checkIds.put(sub, checks.bearingOn(sub).stream().map(Check::id).toList());
            }
        }
        List<Section> sections = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : checkIds.entrySet()) {
            List<String> ids = e.getValue();
            Map<Severity, Long> counts = latest.bySeverity(ids);
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            Long previousTotal = null;
            Long change = null;
            Map<Severity, Long> changes = new LinkedHashMap<>();
            if (previous != null) {
                Map<Severity, Long> before = previous.bySeverity(ids);
                previousTotal =
                        before.values().stream().mapToLong(Long::longValue).sum();
                change = total - previousTotal;
                for (Severity s : Severity.values()) {
                    changes.put(s, counts.get(s) - before.get(s));
                }
            }
            List<TopIdentity> topIdentities = store.top(h, ids, top, now).stream()
                    .map(t -> new TopIdentity(
                            t.identity().id(),
                            t.identity().kind() == null
                                    ? null
                                    : t.identity().kind().value(),
                            t.identity().name(),
                            t.identity().externalId(),
                            t.identity().source() == null
                                    ? null
                                    : t.identity().source().toString(),
                            t.findings(),
                            t.worst()))
                    .toList();
            sections.add(new Section(
                    e.getKey(),
                    titles.get(e.getKey()),
                    ids,
                    counts,
                    total,
                    latest.acceptedOf(ids),
                    previousTotal,
                    change,
                    changes,
                    topIdentities));
        }
        Map<Severity, Long> totals = latest.bySeverity(checks.ids());
        return new PostureReport(f.value(), f.title(), now, latest, previous, totals, sections);
    }
}
