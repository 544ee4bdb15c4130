package dev.warden.scan;

import dev.warden.config.Version;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One scan, whoever asks for it: {@code warden scan} (files and directories, git history, staged
 * changes), {@code POST /v1/scans} and the demo (contents given in memory). It loads the rules
 * (built-in, or a gitleaks file) and the baseline, runs the scanner the target needs, drops what
 * the baseline accepts and builds the report; with a store it then links each hit to the inventory
 * and records the scan in {@link ScanLedger}. Standalone (no store) it fingerprints with {@code
 * WARDEN_SCAN_KEY} or a key made for the run, and records nothing.
 */
public final class Scans {
    /** What a scan reads; {@link #value()} is the report's {@code mode}. */
    public enum Mode {
        FILES("files"),
        GIT("git"),
        STAGED("staged"),
        CONTENT("content");

        private final String value;

        Mode(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }

    /** One file given by its content (the API's and the demo's input). */
    public record Content(String path, String text) {
        public Content {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * What to scan and with what. Build it with {@link #files}, {@link #history}, {@link #staged}
     * or {@link #contents}; {@code rules} null means the built-in rules, {@code baseline} null no
     * baseline.
     *
     * @param paths files and directories (FILES) or repositories (GIT, STAGED); empty for CONTENT
     * @param contents the files of a CONTENT scan; empty otherwise
     * @param label what a CONTENT scan reports as its target
     * @param fileOptions how FILES and CONTENT scans read files
     * @param gitOptions how GIT and STAGED scans read repositories; null otherwise
     */
    public record Request(
            Mode mode,
            List<Path> paths,
            List<Content> contents,
            String label,
            FileScanner.Options fileOptions,
            GitScanner.Options gitOptions,
            Path rules,
            Path baseline) {
        public Request {
            Objects.requireNonNull(mode, "mode");
            paths = List.copyOf(paths);
            contents = List.copyOf(contents);
            boolean complete = switch (mode) {
                case FILES -> !paths.isEmpty() && fileOptions != null;
                case GIT, STAGED -> !paths.isEmpty() && gitOptions != null;
                case CONTENT -> label != null && fileOptions != null;
            };
            if (!complete) {
                throw new IllegalArgumentException(
                        "a " + mode.value() + " scan needs its paths (or label) and options");
            }
        }

        /** Files and directories, archives opened as {@code options} says. */
        public static Request files(List<Path> paths, FileScanner.Options options) {
            return new Request(Mode.FILES, paths, List.of(), null, options, null, null, null);
        }

        /** The lines every commit of each repository added. */
        public static Request history(List<Path> repositories, GitScanner.Options options) {
            return new Request(Mode.GIT, repositories, List.of(), null, null, options, null, null);
        }

        /** The lines staged for each repository's next commit. */
        public static Request staged(List<Path> repositories, GitScanner.Options options) {
            return new Request(Mode.STAGED, repositories, List.of(), null, null, options, null, null);
        }

        /** Contents given in memory, reported under {@code label}, with the default file limits. */
        public static Request contents(String label, List<Content> files) {
            return new Request(Mode.CONTENT, List.of(), files, label, FileScanner.Options.defaults(), null, null, null);
        }

        /** The same scan with the rules of a gitleaks file (null: the built-in rules). */
        public Request withRules(Path file) {
            return new Request(mode, paths, contents, label, fileOptions, gitOptions, file, baseline);
        }

        /** The same scan without the secrets a baseline file lists (null: no baseline). */
        public Request withBaseline(Path file) {
            return new Request(mode, paths, contents, label, fileOptions, gitOptions, rules, file);
        }
    }

    /**
     * A scan's report and, with a store, where it was recorded: the scan id and how many hits linked
     * to the inventory (the report's hits are then as linked, severity raised where it applies).
     * Standalone the id is null and nothing is linked.
     */
    public record Outcome(Report report, String scanId, int linked) {}

    private final ScanLedger ledger;
    private final Fingerprinter standalone;
    private final Clock clock;

    /** Scans against a store: the store's fingerprint key, hits linked and recorded in {@code ledger}. */
    public Scans(ScanLedger ledger, Clock clock) {
        this(Objects.requireNonNull(ledger, "ledger"), null, clock);
    }

    private Scans(ScanLedger ledger, Fingerprinter standalone, Clock clock) {
        this.ledger = ledger;
        this.standalone = standalone;
        this.clock = clock;
    }

    /** Scans without a store: fingerprints under {@code fingerprinter}, nothing linked or recorded. */
    public static Scans standalone(Fingerprinter fingerprinter, Clock clock) {
        return new Scans(null, Objects.requireNonNull(fingerprinter, "fingerprinter"), clock);
    }

    /** The fingerprints' key: the store's (made on first use) or the standalone one. */
    public Fingerprinter fingerprinter() {
        return ledger != null ? ledger.fingerprinter() : standalone;
    }

    /** Scans; with a store, links the hits to the inventory and records the scan as {@code actor}. */
    public Outcome run(Request request, String actor) {
        Report report = scan(request);
        if (ledger == null) {
            return new Outcome(report, null, 0);
        }
        ScanLedger.Recorded rec = ledger.record(report, actor);
        Report linked = new Report(
                report.version(),
                report.mode(),
                report.targets(),
                report.startedAt(),
                report.finishedAt(),
                report.fingerprintKey(),
                report.summary(),
                report.rules(),
                rec.hits());
        return new Outcome(linked, rec.scanId(), rec.linked());
    }

    /**
     * Scans and writes every secret found (but those {@code request}'s baseline already lists) to a
     * new baseline {@code file}; records nothing. Returns how many secrets it wrote.
     */
    public int writeBaseline(Request request, Path file) {
        List<Hit> hits = scan(request).hits();
        Baseline.write(file, hits);
        return hits.size();
    }

    /** A recorded scan as {@code team} may see it (null: every hit); empty without a store. */
    public Optional<ScanLedger.StoredScan> get(String id, String team) {
        return ledger == null ? Optional.empty() : ledger.get(id, team);
    }

    /** Runs the scanner {@code request} needs; the baseline's secrets are counted, not reported. */
    Report scan(Request request) {
        Fingerprinter fingerprinter = fingerprinter();
        RuleSet rules = request.rules() == null ? RuleSet.defaults(clock) : GitleaksConfig.load(request.rules(), clock);
        Baseline baseline = request.baseline() == null ? null : Baseline.read(request.baseline());
        Engine engine = new Engine(rules, fingerprinter);
        ScanStats stats = new ScanStats();
        Instant start = clock.instant();
        List<Hit> hits = new ArrayList<>();
        List<String> targets = request.paths().stream().map(Path::toString).toList();
        switch (request.mode()) {
            case FILES -> hits.addAll(new FileScanner(engine, request.fileOptions()).scan(request.paths(), stats));
            case GIT, STAGED -> {
                GitScanner scanner = new GitScanner(engine, request.gitOptions());
                for (Path repository : request.paths()) {
                    hits.addAll(
                            request.mode() == Mode.GIT
                                    ? scanner.history(repository, stats)
                                    : scanner.staged(repository, stats));
                }
            }
            case CONTENT -> {
                FileScanner scanner = new FileScanner(engine, request.fileOptions());
                for (Content c : request.contents()) {
                    hits.addAll(scanner.scanBytes(c.path(), c.text().getBytes(StandardCharsets.UTF_8), stats));
                }
                hits.sort(Report.ORDER);
                targets = List.of(request.label());
            }
        }
        if (baseline != null) {
            int before = hits.size();
            hits.removeIf(baseline::contains);
            stats.allowedByBaseline(before - hits.size());
        }
        return new Report(
                Version.current(),
                request.mode().value(),
                targets,
                start,
                clock.instant(),
                fingerprinter.origin(),
                stats.summary(),
                rules.rules(),
                hits);
    }
}
