package dev.warden.cli;

import dev.warden.app.Warden;
import dev.warden.input.Input;
import dev.warden.usage.IngestRun;
import dev.warden.usage.UsageOptions;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = {
            "Ingest activity logs into per-identity usage: last use, sources, actions actually used.",
            "Formats: cloudtrail, k8s-audit, vault-audit. Each file applies whole or not at all; unusable records are skipped and reported.",
            "Exit 1 when a file was refused or records were skipped."
        })
final class IngestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Parameters(index = "0", paramLabel = "FORMAT", description = "cloudtrail, k8s-audit or vault-audit.")
    String format;

    @Parameters(
            index = "1..*",
            arity = "1..*",
            paramLabel = "FILE|DIR",
            description = "Log files (.json, .json.gz, .jsonl) or directories of them.")
    List<String> inputs;

    @Option(
            names = "--cluster",
            paramLabel = "NAME",
            description = "Kubernetes cluster the audit log comes from (k8s-audit; as given to import kubernetes),"
                    + " or the Vault cluster (vault-audit; default vault).")
    String cluster;

    @Mixin
    FormatOption output = FormatOption.of(Format.table, Format.json);

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        UsageOptions options = new UsageOptions(cluster);
        IngestRun run;
        try (Warden w = store.open()) {
            run = w.ingester().run(format, inputs.stream().map(Input::parse).toList(), options, TokenCommand.actor());
        }
        output.print(out, run, o -> {
            o.println("ingest " + run.id() + " (" + run.format() + "): " + run.status() + ", " + run.files()
                    + " files, " + run.events() + " events, " + run.skipped() + " records skipped, "
                    + run.unmatched() + " events of identities not in the inventory (kept)");
            run.problems().forEach(p -> o.println("  " + p));
        });
        return run.status().equals(IngestRun.SUCCEEDED) && run.skipped() == 0 ? Main.OK : Main.CHECK_FAILED;
    }
}
