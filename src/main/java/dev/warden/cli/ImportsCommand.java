package dev.warden.cli;

import dev.warden.app.Warden;
import dev.warden.discovery.ImportRun;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "imports", mixinStandardHelpOptions = true, description = "List recent import runs, newest first.")
final class ImportsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "20",
            description = "How many runs (1-1000, default ${DEFAULT-VALUE}).")
    int limit;

    @Mixin
    FormatOption format = FormatOption.of(Format.table, Format.json);

    @Override
    public Integer call() throws Exception {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("--limit must be between 1 and 1000");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Warden w = store.open()) {
            List<ImportRun> runs = w.importer().runs(limit);
            format.print(out, runs, o -> {
                Table t = new Table(
                        "ID", "SOURCE", "STARTED", "STATUS", "ADDED", "UPDATED", "UNCHANGED", "REMOVED", "MS", "ERROR");
                for (ImportRun r : runs) {
                    t.row(
                            r.id(),
                            r.source(),
                            r.startedAt(),
                            r.status(),
                            r.added(),
                            r.updated(),
                            r.unchanged(),
                            r.removed(),
                            r.durationMs(),
                            r.error());
                }
                t.print(o);
            });
        }
        return Main.OK;
    }
}
