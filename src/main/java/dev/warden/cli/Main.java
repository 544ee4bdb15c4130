package dev.warden.cli;

import dev.warden.input.Echo;
import dev.warden.store.StoreException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine;

/**
 * The {@code warden} executable. Exit codes: 0 ok, 1 a check failed, 2 usage or input error
 * (including a store that cannot be opened). Errors, JVM errors such as running out of memory
 * included, are one line on stderr; {@code --verbose} adds the stack trace.
 */
public final class Main {
    static final int OK = 0;
    static final int CHECK_FAILED = 1;
    static final int USAGE = 2;
    private static final Set<String> SERVER_COMMANDS = Set.of("serve", "demo");

    private Main() {}

    public static void main(String[] args) {
        if (System.getProperty("warden.log.level") == null) {
            // Tools print results, not logs; the server logs at info.
            boolean server = args.length > 0 && SERVER_COMMANDS.contains(args[0]);
            System.setProperty("warden.log.level", server ? "INFO" : "WARN");
        }
        int code = run(
                args,
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        if (code != OK || !isServer(args)) {
            System.exit(code);
        }
    }

    private static boolean isServer(String[] args) {
        return args.length > 0
                && SERVER_COMMANDS.contains(args[0])
                && Arrays.stream(args).noneMatch(a -> a.equals("--help") || a.equals("-h"));
    }

    /** Runs one command line with the given output streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        CommandLine cli = new CommandLine(new WardenCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setUsageHelpAutoWidth(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String message;
            if (e instanceof StoreException || e instanceof IllegalArgumentException || e instanceof CliException) {
                message = e.getMessage();
            } else {
                message = "internal error: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + Echo.shown(e.getMessage()));
            }
            err.println("warden: error: " + message);
            if (verbose) {
                e.printStackTrace(err);
            } else if (!(e instanceof IllegalArgumentException) && !(e instanceof CliException)) {
                err.println("warden: run with --verbose for details");
            }
            err.flush();
            return e instanceof CliException ? ((CliException) e).exitCode() : USAGE;
        });
        cli.setParameterExceptionHandler((e, args2) -> {
            err.println("warden: error: " + e.getMessage());
            err.println(
                    "Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return USAGE;
        });
        int code;
        try {
            code = cli.execute(args);
        } catch (Error e) { // picocli passes Errors through: out of memory, stack overflow
            code = fatal(e, verbose, err);
        }
        out.flush();
        err.flush();
        return code;
    }

    /**
     * One lower-case line for a JVM {@link Error} (stack trace only with {@code --verbose});
     * returns the usage/input exit code, since such errors come from what the input asked for.
     */
    static int fatal(Error e, boolean verbose, PrintWriter err) {
        String message;
        if (e instanceof OutOfMemoryError) {
            message = "out of memory"
                    + (e.getMessage() == null ? "" : " (" + e.getMessage().toLowerCase(Locale.ROOT) + ")")
                    + "; give the JVM more heap (WARDEN_JAVA_OPTS=-Xmx2g) or lower --threads / --max-file-size";
        } else if (e instanceof StackOverflowError) {
            message = "input nested too deeply (stack overflow); run with a larger stack (WARDEN_JAVA_OPTS=-Xss8m)";
        } else {
            message = "internal error: " + e.getClass().getSimpleName();
        }
        err.println("warden: error: " + message);
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return USAGE;
    }
}
