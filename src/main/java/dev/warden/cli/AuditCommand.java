package dev.warden.cli;

import dev.warden.app.Warden;
import dev.warden.audit.AuditLog;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Check the tamper-evident audit log.",
        subcommands = {AuditCommand.Verify.class})
final class AuditCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required (verify)");
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description =
                    "Recompute the audit log's hash chain. Exit 1 naming the first edited, deleted or reordered entry.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions store;

        @Mixin
        FormatOption format = FormatOption.of(Format.table, Format.json);

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            AuditLog.Verification v;
            try (Warden w = store.open()) {
                v = w.audit().verify();
            }
            format.print(
                    out,
                    v,
                    o -> o.println(
                            v.intact()
                                    ? "audit log intact: " + v.checked() + " entries, head " + v.headSeq() + " "
                                            + v.headHash()
                                    : "audit log BROKEN at entry " + v.firstBadSeq() + ": " + v.problem() + " ("
                                            + v.checked() + " entries before it verified)"));
            return v.intact() ? Main.OK : Main.CHECK_FAILED;
        }
    }
}
