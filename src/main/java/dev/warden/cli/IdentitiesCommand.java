package dev.warden.cli;

import dev.warden.app.Warden;
import dev.warden.input.Echo;
import dev.warden.inventory.Credential;
import dev.warden.inventory.Entitlement;
import dev.warden.inventory.Identity;
import dev.warden.inventory.IdentityDetail;
import dev.warden.inventory.IdentityFilter;
import dev.warden.inventory.IdentityKind;
import dev.warden.inventory.IdentityStatus;
import dev.warden.inventory.Inventory;
import dev.warden.inventory.Nature;
import dev.warden.inventory.Page;
import dev.warden.posture.Finding;
import dev.warden.scan.Leak;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "identities",
        mixinStandardHelpOptions = true,
        description = "List and show non-human identities in the inventory.",
        subcommands = {
            IdentitiesCommand.ListCommand.class,
            IdentitiesCommand.ShowCommand.class,
            IdentitiesCommand.Classify.class
        })
final class IdentitiesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required (list, show, classify)");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List identities (filters are AND-ed).")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions store;

        @Option(names = "--kind", paramLabel = "KIND", description = "Identity kind: ${COMPLETION-CANDIDATES}.")
        IdentityKind kind;

        @Option(
                names = "--source",
                paramLabel = "TYPE[:SCOPE]",
                description = "Source type, or type:scope (aws:123456789012).")
        String source;

        @Option(names = "--owner", paramLabel = "OWNER", description = "Business or technical owner.")
        String owner;

        @Option(names = "--unowned", description = "Only identities with no owner recorded.")
        boolean unowned;

        @Option(names = "--environment", paramLabel = "ENV", description = "Environment (prod, staging, ...).")
        String environment;

        @Option(names = "--status", paramLabel = "STATUS", description = "Status: ${COMPLETION-CANDIDATES}.")
        IdentityStatus status;

        @Option(
                names = "--nature",
                paramLabel = "NATURE",
                defaultValue = "machine",
                description = "machine, human or all (default ${DEFAULT-VALUE}: humans are kept apart).")
        String nature;

        @Option(names = "--q", paramLabel = "TEXT", description = "Case-insensitive text in the name or external id.")
        String text;

        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "1000",
                description = "At most N identities (1-1000000, default ${DEFAULT-VALUE}).")
        int limit;

        @Mixin
        FormatOption format = FormatOption.of(Format.table, Format.json);

        @Override
        public Integer call() throws Exception {
            if (limit < 1 || limit > 1_000_000) {
                throw new IllegalArgumentException("--limit must be between 1 and 1000000");
            }
            IdentityFilter filter = new IdentityFilter(
                    kind,
                    source,
                    owner,
                    unowned ? Boolean.FALSE : null,
                    environment,
                    status,
                    text,
                    null,
                    null,
                    nature.equals("all") ? null : Nature.parse(nature));
            PrintWriter out = spec.commandLine().getOut();
            try (Warden w = store.open()) {
                List<Identity> items = new ArrayList<>();
                String cursor = null;
                do {
                    Page<Identity> page =
                            w.inventory().list(filter, cursor, Math.min(Inventory.MAX_LIMIT, limit - items.size()));
                    items.addAll(page.items());
                    cursor = page.nextCursor();
                } while (cursor != null && items.size() < limit);
                boolean more = cursor != null;
                format.print(out, items, o -> {
                    Table t = new Table("ID", "KIND", "NAME", "SOURCE", "ENV", "OWNER", "STATUS");
                    for (Identity i : items) {
                        t.row(
                                i.id(),
                                i.kind().value(),
                                i.name(),
                                i.source(),
                                i.environment(),
                                i.businessOwner() != null ? i.businessOwner() : i.technicalOwner(),
                                i.status().value());
                    }
                    t.print(o);
                    o.println(items.size() + (more ? "+ identities (raise --limit for more)" : " identities"));
                });
            }
            return Main.OK;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show one identity with its credentials, entitlements, trusts, leaked secrets and current"
                    + " findings (the table leaves out trusts and findings).")
    static final class ShowCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions store;

        @Parameters(
                paramLabel = "ID|EXTERNAL_ID",
                description = "Warden id, or canonical external id (ARN, system:serviceaccount:NS:NAME, ...).")
        String id;

        @Mixin
        FormatOption format = FormatOption.of(Format.table, Format.json);

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (Warden w = store.open()) {
                IdentityDetail<Leak, Finding> d = w.identityDetails()
                        .show(id, null)
                        .orElseThrow(() -> new IllegalArgumentException("no identity '" + Echo.shown(id) + "'"));
                format.print(out, d, o -> print(o, d));
            }
            return Main.OK;
        }

        /** The table: identity fields, credentials, entitlements and leaks (trusts and findings: --format json). */
        private static void print(PrintWriter out, IdentityDetail<Leak, Finding> r) {
            Identity i = r.identity();
            Table t = new Table("FIELD", "VALUE");
            t.row("id", i.id())
                    .row("kind", i.kind().value())
                    .row("name", i.name())
                    .row("externalId", i.externalId());
            t.row("source", i.source())
                    .row("environment", i.environment())
                    .row("status", i.status().value());
            t.row("businessOwner", i.businessOwner()).row("technicalOwner", i.technicalOwner());
            t.row("ownershipProvenance", i.ownershipProvenance())
                    .row("workload", i.workload())
                    .row("purpose", i.purpose());
            t.row("thirdPartyVendor", i.thirdPartyVendor()).row("createdAt", i.createdAt());
            t.row("firstSeen", i.firstSeen()).row("lastSeen", i.lastSeen());
            i.tags().forEach((k, v) -> t.row("tag " + k, v));
            t.print(out);
            out.println();
            out.println("Credentials (" + r.credentials().size() + ")");
            Table c = new Table("KIND", "EXTERNAL ID", "STATUS", "CREATED", "LAST ROTATED", "EXPIRES", "LAST USED");
            for (Credential cr : r.credentials()) {
                c.row(
                        cr.kind().value(),
                        cr.externalId() != null ? cr.externalId() : cr.fingerprint(),
                        cr.status().value(),
                        cr.createdAt(),
                        cr.lastRotatedAt(),
                        cr.expiresAt(),
                        cr.lastUsedAt());
            }
            c.print(out);
            out.println();
            out.println("Entitlements (" + r.entitlements().size() + ")");
            Table e = new Table("EFFECT", "ACTION", "RESOURCE", "GRANTED VIA");
            for (Entitlement en : r.entitlements()) {
                e.row(en.effect().value(), en.action(), en.resource(), en.grantedVia());
            }
            e.print(out);
            out.println();
            out.println("Leaks (" + r.leaks().size() + ")");
            Table l = new Table("SEVERITY", "RULE", "LOCATION", "SECRET", "COMMIT", "CREDENTIAL", "FOUND");
            for (Leak k : r.leaks()) {
                l.row(
                        k.severity().value(),
                        k.rule(),
                        k.file() + ":" + k.line(),
                        k.redacted(),
                        k.commit() == null
                                ? null
                                : k.commit()
                                        .substring(0, Math.min(12, k.commit().length())),
                        k.credentialId(),
                        k.foundAt());
            }
            l.print(out);
        }
    }

    @Command(
            name = "classify",
            mixinStandardHelpOptions = true,
            description =
                    "Record that an identity is used by a person or by machines; it outlives re-imports (audited).")
    static final class Classify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "ID|EXTERNAL_ID", description = "Warden id or canonical external id.")
        String id;

        @Option(
                names = "--as",
                required = true,
                paramLabel = "NATURE",
                description = "human, machine, or auto (clear the override).")
        String as;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (required unless --as auto).")
        String reason;

        @Override
        public Integer call() {
            Nature nature = as.equals("auto") ? null : Nature.parse(as);
            try (Warden w = store.open()) {
                Identity i = w.inventory().classify(id, nature, reason, TokenCommand.actor());
                spec.commandLine()
                        .getOut()
                        .println(i.id() + " " + i.externalId() + " is now "
                                + i.nature().value() + (i.natureReason() != null ? " (" + i.natureReason() + ")" : ""));
            }
            return Main.OK;
        }
    }
}
