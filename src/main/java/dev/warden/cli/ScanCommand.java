package dev.warden.cli;

import dev.warden.app.Warden;
import dev.warden.scan.ArchiveLimits;
import dev.warden.scan.FileScanner;
import dev.warden.scan.Fingerprinter;
import dev.warden.scan.GitScanner;
import dev.warden.scan.Hit;
import dev.warden.scan.Report;
import dev.warden.scan.ReportWriter;
import dev.warden.scan.ScanStats;
import dev.warden.scan.Scans;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "scan",
        mixinStandardHelpOptions = true,
        description = {
            "Find secrets in files and directories, in git history (--git) or in staged changes (--staged).",
            "Works alone in CI; with --data-dir/--db it also links each hit to the inventory and records the scan."
        },
        footer = {
            "",
            "Exit codes: 0 no findings, 1 findings remain (after allow comments, allowlists and the baseline),"
                    + " 2 usage or input error.",
            "Fingerprints are HMAC-SHA256 under the store's sealed key (with --data-dir/--db), else"
                    + " $WARDEN_SCAN_KEY, else a key made for this run."
        })
final class ScanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "Files or directories (default: .).")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--git", description = "Scan git history: every commit's added lines (PATH is a repository).")
    boolean git;

    @Option(names = "--all-refs", description = "With --git: every branch and tag, not only HEAD.")
    boolean allRefs;

    @Option(names = "--since", paramLabel = "REV", description = "With --git: only commits not reachable from REV.")
    String since;

    @Option(names = "--staged", description = "Scan the lines staged for the next commit (pre-commit hook).")
    boolean staged;

    @Mixin
    FormatOption format = FormatOption.of(Format.table, Format.json, Format.sarif);

    @Option(names = "--output", paramLabel = "FILE", description = "Write the report to FILE instead of stdout.")
    Path output;

    @Option(
            names = "--rules",
            paramLabel = "FILE",
            description = "A gitleaks rule file (TOML); [extend] useDefault = true keeps Warden's rules.")
    Path rules;

    @Option(names = "--baseline", paramLabel = "FILE", description = "Ignore secrets whose fingerprints FILE lists.")
    Path baseline;

    @Option(
            names = "--write-baseline",
            paramLabel = "FILE",
            description = "Write every secret found to a new baseline FILE (and exit 0).")
    Path writeBaseline;

    @Option(
            names = "--redact",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Show only a redacted preview of each secret (default); --no-redact prints secrets.")
    boolean redact;

    @Option(
            names = "--fail-on-findings",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Exit 1 when findings remain (default); --no-fail-on-findings always exits 0.")
    boolean failOnFindings;

    @Option(names = "--no-ignore", description = "Scan files that .gitignore excludes.")
    boolean noIgnore;

    @Option(names = "--follow-symlinks", description = "Follow symbolic links (loops are detected and skipped).")
    boolean followSymlinks;

    @Option(
            names = "--max-file-size",
            paramLabel = "SIZE",
            defaultValue = "25MB",
            description =
                    "Skip (and count) files larger than SIZE: bytes or with KB, MB, GB (default ${DEFAULT-VALUE}).")
    String maxFileSize;

    @Option(
            names = "--max-archive-depth",
            paramLabel = "N",
            defaultValue = "3",
            description = "Open zip/jar/tar/gzip archives nested up to N levels; 0 does not open them"
                    + " (default ${DEFAULT-VALUE}).")
    int maxArchiveDepth;

    @Option(names = "--threads", paramLabel = "N", description = "Scanning threads (default: all processors).")
    Integer threads;

    @Override
    public Integer call() throws IOException {
        validate();
        List<Path> targets = paths.isEmpty() ? List.of(Path.of(".")) : paths;
        Scans.Request request = request(targets).withRules(rules).withBaseline(baseline);
        Clock clock = Clock.systemUTC();
        boolean useStore = store.dataDir != null || store.db != null;
        try (Warden w = useStore ? store.open() : null) {
            Scans scans = w != null ? w.scans() : Scans.standalone(Fingerprinter.fromEnvironment(), clock);
            if (writeBaseline != null) {
                int n = scans.writeBaseline(request, writeBaseline);
                spec.commandLine()
                        .getErr()
                        .println("wrote baseline " + writeBaseline + " with " + n + " secret" + (n == 1 ? "" : "s"));
                return Main.OK;
            }
            Scans.Outcome scan = scans.run(request, TokenCommand.actor());
            write(scan.report(), targets);
            summarize(scan.report(), scan.scanId());
            return scan.report().hits().isEmpty() || !failOnFindings ? Main.OK : Main.CHECK_FAILED;
        }
    }

    private Scans.Request request(List<Path> targets) {
        long maxSize = parseSize(maxFileSize);
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (git || staged) {
            GitScanner.Options options = new GitScanner.Options(allRefs, since, maxSize, n);
            return git ? Scans.Request.history(targets, options) : Scans.Request.staged(targets, options);
        }
        return Scans.Request.files(
                targets,
                new FileScanner.Options(
                        maxSize, !noIgnore, followSymlinks, n, ArchiveLimits.defaults(maxArchiveDepth, maxSize)));
    }

    private void validate() {
        if (git && staged) {
            throw new IllegalArgumentException("--git and --staged cannot be combined");
        }
        if (!git && (allRefs || since != null)) {
            throw new IllegalArgumentException("--all-refs and --since need --git");
        }
        if (threads != null && (threads < 1 || threads > 256)) {
            throw new IllegalArgumentException("--threads must be between 1 and 256");
        }
        if (maxArchiveDepth < 0 || maxArchiveDepth > ArchiveLimits.MAX_DEPTH) {
            throw new IllegalArgumentException("--max-archive-depth must be between 0 and " + ArchiveLimits.MAX_DEPTH);
        }
        if (writeBaseline != null && baseline != null) {
            throw new IllegalArgumentException("--write-baseline and --baseline cannot be combined");
        }
    }

    static long parseSize(String text) {
        String s = text.strip().toUpperCase(Locale.ROOT).replace("IB", "B");
        long unit = 1;
        if (s.endsWith("KB") || s.endsWith("K")) {
            unit = 1024;
        } else if (s.endsWith("MB") || s.endsWith("M")) {
            unit = 1024 * 1024;
        } else if (s.endsWith("GB") || s.endsWith("G")) {
            unit = 1024L * 1024 * 1024;
        }
        String digits = s.replaceAll("[KMGB]+$", "").strip();
        try {
            long v = Long.parseLong(digits) * unit;
            if (v >= 1 && v <= 2L * 1024 * 1024 * 1024 - 16) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(
                "--max-file-size must be a size between 1 byte and 2GB (e.g. 500KB, 25MB), not '" + text + "'");
    }

    private void write(Report report, List<Path> targets) throws IOException {
        boolean reveal = !redact;
        String text = switch (format.value()) {
            case json -> ReportWriter.json(report, reveal);
            case sarif ->
                ReportWriter.sarif(
                        report,
                        reveal,
                        targets.size() == 1 && Files.isDirectory(targets.get(0)) ? targets.get(0) : null);
            default -> table(report, reveal);
        };
        if (output != null) {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new IllegalArgumentException("--output " + output + ": directory does not exist");
            }
            Files.writeString(output, text.endsWith("\n") ? text : text + "\n", StandardCharsets.UTF_8);
        } else {
            PrintWriter out = spec.commandLine().getOut();
            out.print(text.endsWith("\n") ? text : text + "\n");
            out.flush();
        }
    }

    private static String table(Report r, boolean reveal) {
        Table t = new Table("SEVERITY", "RULE", "LOCATION", "SECRET", "COMMIT", "LINKED TO");
        for (Hit h : r.hits()) {
            t.row(
                    h.severity().value(),
                    h.rule(),
                    h.path() + ":" + h.line() + ":" + h.column(),
                    reveal && h.secret() != null ? h.secret() : h.redacted(),
                    h.commit() == null
                            ? null
                            : h.commit().substring(0, Math.min(12, h.commit().length()))
                                    + (Boolean.FALSE.equals(h.presentAtHead()) ? " (gone at HEAD)" : ""),
                    h.identityId() != null
                            ? "identity " + h.identityId()
                            : h.link() == null ? null : h.link().value());
        }
        StringWriter sw = new StringWriter();
        PrintWriter pw = new PrintWriter(sw);
        if (!r.hits().isEmpty()) {
            t.print(pw);
        }
        pw.flush();
        return sw.toString();
    }

    private void summarize(Report r, String scanId) {
        ScanStats.Summary s = r.summary();
        PrintWriter err = spec.commandLine().getErr();
        String skipped = s.skipped().isEmpty()
                ? "none"
                : s.skipped().entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", "));
        StringBuilder b = new StringBuilder();
        b.append(r.hits().size()).append(r.hits().size() == 1 ? " finding" : " findings");
        if (r.mode().equals("git")) {
            b.append(" in ").append(s.commits()).append(" commits");
        }
        b.append(" (")
                .append(s.files())
                .append(" files, ")
                .append(s.bytes())
                .append(" bytes scanned; skipped: ")
                .append(skipped);
        long allowed =
                s.allowed().inline() + s.allowed().allowlist() + s.allowed().baseline();
        if (allowed > 0) {
            b.append("; allowed: ")
                    .append(s.allowed().inline())
                    .append(" inline, ")
                    .append(s.allowed().allowlist())
                    .append(" allowlist, ")
                    .append(s.allowed().baseline())
                    .append(" baseline");
        }
        b.append(')');
        if (scanId != null) {
            b.append("; recorded as scan ").append(scanId);
        }
        err.println(b);
        if (store.verbose) {
            s.problems().forEach(p -> err.println("  skipped " + p));
        }
        err.flush();
    }
}
