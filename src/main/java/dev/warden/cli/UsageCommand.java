package dev.warden.cli;

import dev.warden.app.Warden;
import dev.warden.usage.Unmatched;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
        name = "usage",
        mixinStandardHelpOptions = true,
        description = "What the ingested activity logs show.",
        subcommands = {UsageCommand.UnmatchedCommand.class})
final class UsageCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required (unmatched)");
    }

    @Command(
            name = "unmatched",
            mixinStandardHelpOptions = true,
            description = "Principals that CloudTrail, Kubernetes audit or Vault audit logs show in use but that no"
                    + " import holds: shadow identities nobody inventoried.")
    static final class UnmatchedCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions store;

        @Mixin
        FormatOption format = FormatOption.of(Format.table, Format.json);

        @Option(names = "--limit", description = "Most principals to list (default ${DEFAULT-VALUE}).")
        int limit = 100;

        @Override
        public Integer call() throws Exception {
            if (limit < 1 || limit > 10_000) {
                throw new ParameterException(spec.commandLine(), "--limit must be between 1 and 10000");
            }
            PrintWriter out = spec.commandLine().getOut();
            List<Unmatched> items;
            try (Warden w = store.open()) {
                items = w.ingester().store().unmatched(w.ingester().now(), limit);
            }
            format.print(out, items, o -> {
                Table t = new Table("PRINCIPAL", "SOURCE", "FIRST SEEN", "LAST SEEN", "EVENTS", "SAMPLE ACTIONS");
                for (Unmatched u : items) {
                    t.row(
                            u.principal(),
                            u.sourceType() + "/" + u.scope(),
                            u.firstSeen().toString(),
                            u.lastSeen().toString(),
                            Long.toString(u.events()),
                            String.join(", ", u.sampleActions()));
                }
                t.print(o);
                o.println(items.size() + " principals used but not inventoried");
            });
            return Main.OK;
        }
    }
}
