package dev.warden.cli;

import dev.warden.policy.Decision;
import dev.warden.policy.PolicyException;
import dev.warden.policy.PolicyInput;
import dev.warden.policy.PolicyLoader;
import dev.warden.policy.PolicySet;
import dev.warden.policy.PolicyTests;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = "Check broker policies offline: compile them, run fixture cases, explain a decision.",
        subcommands = {PolicyCommand.Test.class, PolicyCommand.Explain.class})
final class PolicyCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required (test, explain)");
    }

    static PolicySet load(Path dir) {
        try {
            return PolicyLoader.load(dir);
        } catch (PolicyException e) {
            throw new CliException(Main.USAGE, "policies do not compile:\n  " + String.join("\n  ", e.problems()));
        }
    }

    @Command(
            name = "test",
            mixinStandardHelpOptions = true,
            description = {
                "Compile the policies in DIR (*.yaml) and run the fixture cases in DIR/*_test.yaml.",
                "Exit 0 when every case passes, 1 when one fails, 2 when a policy or fixture is invalid."
            })
    static final class Test implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "Policy directory.")
        Path dir;

        @Mixin
        FormatOption format = FormatOption.of(Format.table, Format.json);

        @Option(names = "--verbose", description = "Show each policy's verdict for failed cases.")
        boolean verbose;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PolicySet set = load(dir);
            List<PolicyTests.Result> results =
                    PolicyTests.run(set, dir, Clock.systemUTC().instant());
            long failed = results.stream().filter(r -> !r.passed()).count();
            if (format.is(Format.json)) {
                List<Map<String, Object>> rows = results.stream()
                        .map(r -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("file", r.file());
                            m.put("case", r.name());
                            m.put("expected", r.expected());
                            m.put("actual", r.actual());
                            m.put("passed", r.passed());
                            m.put("reason", r.decision().reason());
                            return m;
                        })
                        .toList();
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("policies", set.policies().size());
                doc.put("cases", rows);
                doc.put("passed", results.size() - failed);
                doc.put("failed", failed);
                FormatOption.json(out, doc);
            } else {
                Table t = new Table("RESULT", "CASE", "EXPECTED", "ACTUAL", "REASON");
                for (PolicyTests.Result r : results) {
                    t.row(
                            r.passed() ? "pass" : "FAIL",
                            r.name(),
                            r.expected(),
                            r.actual(),
                            r.decision().reason());
                }
                t.print(out);
                if (verbose) {
                    for (PolicyTests.Result r : results) {
                        if (!r.passed()) {
                            out.println();
                            out.println("FAIL " + r.name() + " (" + r.file() + "):");
                            r.decision().trace().forEach(l -> out.println("  " + l));
                        }
                    }
                }
                out.println();
                out.println(set.policies().size() + " policies, " + results.size() + " cases: "
                        + (results.size() - failed) + " passed, " + failed + " failed");
            }
            return failed == 0 ? Main.OK : Main.CHECK_FAILED;
        }
    }

    @Command(
            name = "explain",
            mixinStandardHelpOptions = true,
            description = {
                "Show which policy in DIR decides INPUT (a YAML file with subject, request, context) and why,",
                "with every policy's verdict in order. Exit 0 when allowed, 1 when denied."
            })
    static final class Explain implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "Policy directory.")
        Path dir;

        @Parameters(index = "1", paramLabel = "INPUT", description = "Input file (YAML or JSON).")
        Path input;

        @Mixin
        FormatOption format = FormatOption.of(Format.table, Format.json);

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PolicySet set = load(dir);
            PolicyInput in = PolicyTests.readInput(input, Clock.systemUTC().instant());
            Decision d = set.decide(in, true);
            if (format.is(Format.json)) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("decision", d.allowed() ? "allow" : "deny");
                doc.put("policy", d.policy());
                doc.put("reason", d.reason());
                doc.put("error", d.oauthError());
                doc.put("ttlSeconds", d.ttl() == null ? null : d.ttl().toSeconds());
                doc.put("scopes", d.scopes());
                doc.put("owner", d.owner());
                doc.put("trace", d.trace());
                FormatOption.json(out, doc);
            } else {
                out.println("decision: " + (d.allowed() ? "ALLOW" : "DENY")
                        + (d.allowed() ? "" : " (" + d.oauthError() + ")"));
                out.println("policy:   " + (d.policy() == null ? "-" : d.policy()));
                out.println("reason:   " + d.reason());
                if (d.allowed()) {
                    out.println("grants:   ttl " + d.ttl().toSeconds() + "s, scopes " + String.join(" ", d.scopes())
                            + (d.owner() == null ? "" : ", owner " + d.owner()));
                }
                out.println("policies considered, in order:");
                if (d.trace().isEmpty()) {
                    out.println("  (none: the policy set is empty, so everything is denied)");
                }
                d.trace().forEach(l -> out.println("  " + l));
            }
            return d.allowed() ? Main.OK : Main.CHECK_FAILED;
        }
    }
}
