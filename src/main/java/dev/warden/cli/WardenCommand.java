package dev.warden.cli;

import dev.warden.config.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The top-level {@code warden} command. */
@Command(
        name = "warden",
        mixinStandardHelpOptions = true,
        versionProvider = WardenCommand.VersionProvider.class,
        description = "Governance for non-human identities: inventory, posture, scanning, just-in-time credentials.",
        subcommands = {
            ServeCommand.class,
            DemoCommand.class,
            ImportCommand.class,
            ImportsCommand.class,
            IngestCommand.class,
            UsageCommand.class,
            IdentitiesCommand.class,
            FindingsCommand.class,
            ReportCommand.class,
            TokenCommand.class,
            AuditCommand.class,
            PolicyCommand.class,
            ScanCommand.class,
            VersionCommand.class
        },
        footer = {"", "Exit codes: 0 ok, 1 a check failed, 2 usage or input error."})
final class WardenCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"warden " + Version.current()};
        }
    }
}
