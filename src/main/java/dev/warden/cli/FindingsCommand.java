package dev.warden.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.app.Warden;
import dev.warden.config.Json;
import dev.warden.input.Echo;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.Page;
import dev.warden.posture.Evaluation;
import dev.warden.posture.Finding;
import dev.warden.posture.FindingFilter;
import dev.warden.posture.FindingsGate;
import dev.warden.posture.Posture;
import dev.warden.posture.PosturePolicy;
import dev.warden.posture.Risk;
import dev.warden.posture.Severity;
import dev.warden.store.Ids;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "findings",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluate posture (OWASP NHI Top 10, NIST CSF 2.0) and list findings.",
            "Without --as-of: evaluates now, stores the result (new findings open, fixed ones resolved, expired"
                    + " exceptions reopen) and lists the current findings. With --as-of: evaluates as of that instant"
                    + " and writes nothing.",
            "Exit 1 when a listed finding is open at or above --fail-on."
        },
        subcommands = {FindingsCommand.Accept.class})
final class FindingsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    PolicyOptions policyOptions;

    @Option(names = "--risk", paramLabel = "RISK", description = "NHI1 ... NHI10 or LIFECYCLE.")
    String risk;

    @Option(
            names = "--severity",
            paramLabel = "S",
            description = "This severity or higher: info, low, medium, high, critical.")
    String severity;

    @Option(
            names = "--status",
            paramLabel = "STATUS",
            description = "open, accepted, resolved or all (default: open and accepted).")
    String status;

    @Option(names = "--identity", paramLabel = "ID|EXTERNAL_ID", description = "Only this identity's findings.")
    String identity;

    @Option(
            names = "--as-of",
            paramLabel = "TIME",
            description = "Evaluate as of an ISO-8601 instant (2026-05-01T00:00:00Z) or date (end of that day, UTC);"
                    + " read-only.")
    String asOf;

    @Mixin
    FormatOption format = FormatOption.of(Format.table, Format.json, Format.csv);

    @Option(
            names = "--fail-on",
            paramLabel = "SEVERITY",
            description = "Exit 1 if an open finding at or above it is listed.")
    String failOn;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Print at most N findings (1-1000000, default ${DEFAULT-VALUE}); --fail-on counts them all.")
    int limit;

    @Override
    public Integer call() throws Exception {
        // Every option is checked before the store is opened: bad input writes nothing.
        Risk r = risk == null ? null : Risk.parse(risk);
        Severity min = severity == null ? null : Severity.parse(severity);
        FindingsGate gate = failOn == null ? null : FindingsGate.parse(failOn);
        var statuses = FindingFilter.statuses(status);
        if (limit < 1 || limit > 1_000_000) {
            throw new IllegalArgumentException("--limit must be between 1 and 1000000");
        }
        Instant at =
                asOf == null ? null : Posture.parseAsOf(asOf, Clock.systemUTC().instant(), "--as-of");
        PosturePolicy policy = policyOptions.load();
        PrintWriter out = spec.commandLine().getOut();
        try (Warden w = store.open(policy)) {
            String identityId = identity == null ? null : resolve(w, identity);
            FindingFilter filter = new FindingFilter(r, min, statuses, identityId, null);
            Evaluation evaluation;
            List<Finding> shown = new ArrayList<>();
            boolean more;
            boolean failed;
            if (at == null) {
                evaluation = w.posture().evaluate(policy, TokenCommand.actor());
                String cursor = null;
                do {
                    Page<Finding> p = w.posture().list(filter, cursor, Math.min(1000, limit - shown.size()));
                    shown.addAll(p.items());
                    cursor = p.nextCursor();
                } while (cursor != null && shown.size() < limit);
                more = cursor != null;
                failed = gate != null && gate.failedBy(w.posture(), filter);
            } else {
                Posture.View v = w.posture().evaluateAsOf(at, policy, filter);
                evaluation = v.evaluation();
                shown.addAll(
                        v.findings().subList(0, Math.min(limit, v.findings().size())));
                more = v.findings().size() > limit;
                failed = gate != null && gate.failedBy(v);
            }
            switch (format.value()) {
                case json -> json(out, evaluation, shown, more);
                case csv -> FindingsCsv.write(out, shown);
                default -> table(out, evaluation, shown, more);
            }
            return failed ? Main.CHECK_FAILED : Main.OK;
        }
    }

    /** A Warden id, or an external id naming exactly one identity. */
    private static String resolve(Warden w, String idOrExternalId) {
        if (Ids.isValid(idOrExternalId)) {
            return idOrExternalId;
        }
        return w.inventory()
                .show(idOrExternalId, null)
                .map(IdentityRecord::identity)
                .map(i -> i.id())
                .orElseThrow(() -> new IllegalArgumentException("no identity '" + Echo.shown(idOrExternalId) + "'"));
    }

    private static void json(PrintWriter out, Evaluation e, List<Finding> findings, boolean more) throws Exception {
        ObjectMapper mapper = Json.mapper();
        ObjectNode body = mapper.createObjectNode();
        body.set("evaluation", mapper.valueToTree(e));
        body.set("findings", mapper.valueToTree(findings));
        body.put("truncated", more);
        FormatOption.json(out, body);
    }

    private static void table(PrintWriter out, Evaluation e, List<Finding> findings, boolean more) {
        Table t = new Table("ID", "SEVERITY", "RISK", "CHECK", "IDENTITY", "CREDENTIAL", "STATUS", "SUMMARY");
        for (Finding f : findings) {
            t.row(
                    f.id(),
                    f.severity().value(),
                    f.risk().value(),
                    f.checkId(),
                    f.identity() == null ? null : f.identity().name(),
                    f.credential() == null
                            ? null
                            : f.credential().externalId() != null
                                    ? f.credential().externalId()
                                    : f.credential().fingerprint(),
                    f.status().value(),
                    f.summary());
        }
        t.print(out);
        out.println(findings.size() + (more ? "+ findings (raise --limit or filter for more)" : " findings"));
        out.println(
                e.persisted()
                        ? "evaluation " + e.id() + " at " + e.at() + ": " + e.evaluated() + " machine identities, "
                                + e.open()
                                + " open, " + e.accepted() + " accepted (" + e.newFindings() + " new, " + e.resolved()
                                + " resolved, " + e.reopened() + " reopened)"
                        : "as of " + e.asOf() + " (not stored): " + e.evaluated() + " machine identities, " + e.open()
                                + " open, " + e.accepted() + " accepted");
    }

    @Command(
            name = "accept",
            mixinStandardHelpOptions = true,
            description = {
                "Accept a finding under an exception: a reason and an expiry at most 180 days ahead are required;"
                        + " you are recorded as the approver (audited).",
                "The finding stays accepted until the exception expires; the next evaluation after that reopens it."
            })
    static final class Accept implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "FINDING", description = "The finding's id.")
        String id;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why the risk is accepted.")
        String reason;

        @Option(
                names = "--until",
                required = true,
                paramLabel = "DATE",
                description = "Last day the exception holds (YYYY-MM-DD, UTC) or an ISO-8601 instant; at most 180"
                        + " days ahead.")
        String until;

        @Override
        public Integer call() {
            if (!Finding.isValidId(id)) {
                throw new IllegalArgumentException("no finding '" + Echo.shown(id) + "'");
            }
            Posture.parseUntil(until, Clock.systemUTC().instant());
            try (Warden w = store.open()) {
                Finding f = w.posture().accept(id, reason, until, TokenCommand.actor(), null);
                spec.commandLine()
                        .getOut()
                        .println("accepted " + f.id() + " (" + f.checkId() + ", "
                                + f.severity().value() + ") until "
                                + f.acceptance().until() + ", approved by "
                                + f.acceptance().approvedBy());
            }
            return Main.OK;
        }
    }
}
