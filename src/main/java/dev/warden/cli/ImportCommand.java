package dev.warden.cli;

import dev.warden.app.Warden;
import dev.warden.discovery.ImportOptions;
import dev.warden.discovery.ImportRun;
import dev.warden.discovery.Skip;
import dev.warden.input.Input;
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
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Import machine identities from a source in its native format. Re-importing updates in place;",
            "identities a source no longer lists are marked removed. One import is one transaction.",
            "Sources: aws, kubernetes, github, postgresql, certificates (see docs/discovery.md)."
        })
final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Parameters(
            index = "0",
            paramLabel = "SOURCE",
            description = "aws, kubernetes, github, postgresql or certificates.")
    String source;

    @Parameters(
            index = "1..*",
            arity = "1..*",
            paramLabel = "PATH|URL",
            description = "Files, directories or URLs (postgresql://..., tls://host:port).")
    List<String> inputs;

    @Option(
            names = "--environment",
            paramLabel = "ENV",
            description = "Environment of identities whose source does not say.")
    String environment;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Kubernetes cluster name (kubernetes source).")
    String cluster;

    @Option(
            names = "--password-env",
            paramLabel = "VAR",
            description = "Environment variable holding the PKCS#12/JKS password.")
    String passwordEnv;

    @Option(
            names = "--strict",
            description = "Refuse a file at its first record Warden cannot understand (default: skip the record,"
                    + " report it and exit 1).")
    boolean strict;

    @Mixin
    FormatOption format = FormatOption.of(Format.table, Format.json);

    @Override
    public Integer call() throws Exception {
        char[] password = null;
        if (passwordEnv != null) {
            String value = System.getenv(passwordEnv);
            if (value == null) {
                throw new IllegalArgumentException("--password-env " + passwordEnv + ": the variable is not set");
            }
            password = value.toCharArray();
        }
        ImportOptions options = new ImportOptions(environment, cluster, password, strict);
        List<Input> in = inputs.stream().map(Input::parse).toList();
        PrintWriter out = spec.commandLine().getOut();
        try (Warden w = store.open()) {
            ImportRun run = w.importer().run(source, in, options, TokenCommand.actor());
            format.print(out, run, o -> print(o, run));
            return run.skipped() > 0 ? Main.CHECK_FAILED : Main.OK;
        }
    }

    static void print(PrintWriter out, ImportRun run) {
        out.println("import " + run.id() + " (" + run.source() + "): " + run.added() + " added, " + run.updated()
                + " updated, " + run.unchanged() + " unchanged, " + run.removed() + " marked removed in "
                + run.durationMs() + " ms");
        for (String note : run.notes()) {
            out.println("  note: " + note);
        }
        if (run.skipped() > 0) {
            out.println("  skipped " + run.skipped() + " record(s) Warden could not understand:");
            for (Skip skip : run.skips()) {
                out.println("  skipped: " + skip.file() + " " + skip.pointer() + ": " + skip.reason());
            }
            if (run.skipped() > run.skips().size()) {
                out.println("  … and " + (run.skipped() - run.skips().size()) + " more");
            }
        }
    }
}
