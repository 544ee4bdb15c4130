package dev.warden.cli;

import dev.warden.posture.PosturePolicy;
import dev.warden.posture.checks.BuiltInChecks;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --policy FILE}: posture thresholds, validated before anything runs. */
final class PolicyOptions {
    static final String ENV = "WARDEN_POSTURE_POLICY";

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description = "Posture policy (YAML) over the defaults; see docs/posture.md. Default: $" + ENV
                    + ", else the built-in defaults.")
    String file;

    /** The policy in force; a bad file is a one-line error naming the key (exit 2). */
    PosturePolicy load() {
        String f = file != null ? file : System.getenv(ENV);
        if (f == null || f.isBlank()) {
            return PosturePolicy.defaults();
        }
        return PosturePolicy.load(Path.of(f), BuiltInChecks.registry().ids());
    }
}
