package dev.warden.cli;

import dev.warden.app.Warden;
import dev.warden.posture.PostureReport;
import dev.warden.posture.ReportWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "A posture report for an auditor, per OWASP NHI Top 10 risk or NIST CSF 2.0 subcategory: findings by"
                    + " severity, the identities with the most severe ones, and the change since the previous"
                    + " evaluation. Reads the latest evaluation (run 'warden findings' first); writes nothing to the"
                    + " store. The html format is one self-contained page."
        })
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Parameters(paramLabel = "FRAMEWORK", description = "owasp-nhi or nist-csf.")
    String framework;

    @Mixin
    FormatOption format = FormatOption.of(Format.md, Format.json, Format.html);

    @Option(names = "--output", paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Option(
            names = "--top",
            paramLabel = "N",
            defaultValue = "5",
            description = "Identities listed per risk or subcategory (1-100, default ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() throws IOException {
        PostureReport.Framework f = PostureReport.Framework.parse(framework);
        ReportWriter.Format fmt = ReportWriter.Format.parse(format.value().name());
        if (top < 1 || top > 100) {
            throw new IllegalArgumentException("--top must be between 1 and 100");
        }
        String text;
        try (Warden w = store.open()) {
            text = ReportWriter.render(w.posture().report(f, top), fmt);
        }
        if (output == null) {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
            return Main.OK;
        }
        Path target = output.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("cannot write " + output + ": its directory does not exist");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            // A device (/dev/null, /dev/stdout), a FIFO or a symlink: write through it. Renaming a
            // temporary file over it would replace the device or the link with a plain file.
            Files.writeString(target, text, StandardCharsets.UTF_8);
            spec.commandLine().getOut().println("wrote " + f.value() + " report to " + output);
            return Main.OK;
        }
        Path tmp = Files.createTempFile(dir, ".warden-report-", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        spec.commandLine().getOut().println("wrote " + f.value() + " report to " + output);
        return Main.OK;
    }
}
