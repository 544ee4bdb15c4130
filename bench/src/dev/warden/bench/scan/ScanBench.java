package dev.warden.bench.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.bench.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Warden's scanner against gitleaks on a generated corpus and a generated repository, side by
 * side (A B A B ...), each run a whole process under {@code /usr/bin/time -v}: throughput (MB/s,
 * commits/s), peak RSS, and recall and precision against the planted ground truth. Prints a table.
 *
 * <pre>java ... dev.warden.bench.scan.ScanBench --out DIR --jar target/warden.jar [--mb 64] [--commits 2000]
 *     [--runs 3] [--java java] [--java-opts -Xmx1g] [--gitleaks gitleaks] [--cds true|false]</pre>
 */
public final class ScanBench {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> HEADER = List.of(
            "scanner",
            "target",
            "wall s",
            "cpu s",
            "rate (wall)",
            "rate (cpu)",
            "peak RSS",
            "recall",
            "precision",
            "TP",
            "FP");

    private ScanBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>(Map.of(
                "--out",
                "target/bench-scan",
                "--jar",
                "target/warden.jar",
                "--mb",
                "64",
                "--commits",
                "2000",
                "--runs",
                "3",
                "--java",
                "java",
                "--java-opts",
                "-Xmx1g",
                "--gitleaks",
                "gitleaks",
                "--seed",
                "42",
                "--cds",
                "true"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!o.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            o.put(args[i], args[i + 1]);
        }
        Path out = Path.of(o.get("--out")).toAbsolutePath();
        Files.createDirectories(out);
        long seed = Long.parseLong(o.get("--seed"));
        int runs = Integer.parseInt(o.get("--runs"));

        Path corpus = out.resolve("corpus");
        Path repo = out.resolve("repo");
        List<Corpus.Truth> fileTruth;
        List<History.Truth> gitTruth;
        System.out.println("== generating corpus (" + o.get("--mb") + " MB) and repository (" + o.get("--commits")
                + " commits), seed " + seed);
        deleteTree(corpus);
        deleteTree(repo);
        fileTruth = new Corpus(seed).write(corpus, Long.parseLong(o.get("--mb")) * 1024 * 1024);
        gitTruth = History.build(repo, Integer.parseInt(o.get("--commits")), seed);
        long corpusBytes = treeSize(corpus);
        System.out.printf(
                Locale.ROOT,
                "   corpus: %d files, %.1f MB, %d planted secrets%n",
                fileCount(corpus),
                corpusBytes / 1e6,
                fileTruth.size());
        System.out.printf(
                Locale.ROOT, "   repository: %s commits, %d planted secrets%n", o.get("--commits"), gitTruth.size());

        // Class-data sharing as ./warden uses it: the warm-up run of each kind writes the archive of the
        // classes it loaded (what the launcher's first run does), measured runs map it.
        boolean cds = Boolean.parseBoolean(o.get("--cds"));
        Path dirArchive = out.resolve("warden-dir.jsa");
        Path gitArchive = out.resolve("warden-git.jsa");
        Files.deleteIfExists(dirArchive);
        Files.deleteIfExists(gitArchive);
        List<String> java = new ArrayList<>(List.of(o.get("--java")));
        java.addAll(List.of(o.get("--java-opts").split(" ")));
        List<String> scan = List.of("-jar", o.get("--jar"), "scan", "--format", "json", "--no-fail-on-findings");
        List<String> warden = cds ? concat(java, "-XX:SharedArchiveFile=" + dirArchive) : new ArrayList<>(java);
        warden.addAll(scan);
        List<String> wardenGit = cds ? concat(java, "-XX:SharedArchiveFile=" + gitArchive) : new ArrayList<>(java);
        wardenGit.addAll(scan);
        String gitleaks = o.get("--gitleaks");
        System.out.println("   warden: " + String.join(" ", warden.subList(0, warden.indexOf("-jar"))));

        Map<String, List<Measure>> m = new HashMap<>();
        // warm the page cache and the JIT-independent parts once for both
        List<String> warmDir = cds ? concat(java, "-XX:ArchiveClassesAtExit=" + dirArchive) : new ArrayList<>(java);
        warmDir.addAll(scan);
        measure(
                out,
                "warm",
                concat(warmDir, "--output", out.resolve("w-warm.json").toString(), corpus.toString()));
        List<String> warmGit = cds ? concat(java, "-XX:ArchiveClassesAtExit=" + gitArchive) : new ArrayList<>(java);
        warmGit.addAll(scan);
        measure(
                out,
                "warm",
                concat(
                        warmGit,
                        "--git",
                        "--all-refs",
                        "--output",
                        out.resolve("w-warm-git.json").toString(),
                        repo.toString()));
        measure(
                out,
                "warm",
                List.of(
                        gitleaks,
                        "dir",
                        corpus.toString(),
                        "--no-banner",
                        "-f",
                        "json",
                        "-r",
                        out.resolve("g-warm.json").toString(),
                        "--exit-code",
                        "0",
                        "--log-level",
                        "error"));
        for (int i = 0; i < runs; i++) {
            m.computeIfAbsent("warden-dir", k -> new ArrayList<>())
                    .add(measure(
                            out,
                            "warden dir " + i,
                            concat(
                                    warden,
                                    "--output",
                                    out.resolve("warden-dir.json").toString(),
                                    corpus.toString())));
            m.computeIfAbsent("gitleaks-dir", k -> new ArrayList<>())
                    .add(measure(
                            out,
                            "gitleaks dir " + i,
                            List.of(
                                    gitleaks,
                                    "dir",
                                    corpus.toString(),
                                    "--no-banner",
                                    "-f",
                                    "json",
                                    "-r",
                                    out.resolve("gitleaks-dir.json").toString(),
                                    "--exit-code",
                                    "0",
                                    "--log-level",
                                    "error")));
        }
        for (int i = 0; i < runs; i++) {
            m.computeIfAbsent("warden-git", k -> new ArrayList<>())
                    .add(measure(
                            out,
                            "warden git " + i,
                            concat(
                                    wardenGit,
                                    "--git",
                                    "--all-refs",
                                    "--output",
                                    out.resolve("warden-git.json").toString(),
                                    repo.toString())));
            m.computeIfAbsent("gitleaks-git", k -> new ArrayList<>())
                    .add(measure(
                            out,
                            "gitleaks git " + i,
                            List.of(
                                    gitleaks,
                                    "git",
                                    repo.toString(),
                                    "--no-banner",
                                    "-f",
                                    "json",
                                    "-r",
                                    out.resolve("gitleaks-git.json").toString(),
                                    "--exit-code",
                                    "0",
                                    "--log-level",
                                    "error")));
        }

        Quality wd = fileQuality(out.resolve("warden-dir.json"), "findings", "file", "line", corpus, fileTruth);
        Quality gd = fileQuality(out.resolve("gitleaks-dir.json"), null, "File", "StartLine", corpus, fileTruth);
        Quality wg = gitQuality(out.resolve("warden-git.json"), "findings", "file", "line", "commit", gitTruth);
        Quality gg = gitQuality(out.resolve("gitleaks-git.json"), null, "File", "StartLine", "Commit", gitTruth);
        int commits = Integer.parseInt(o.get("--commits"));

        System.out.println();
        System.out.println(
                "== results (median of " + runs + " runs each, alternated; whole processes incl. JVM start)");
        List<Row> rows = new ArrayList<>();
        rows.add(row(
                "warden",
                "dir " + mb(corpusBytes),
                median(m.get("warden-dir")),
                corpusBytes / 1e6 / median(m.get("warden-dir")).wall(),
                "MB/s",
                wd));
        rows.add(row(
                "gitleaks 8.26",
                "dir " + mb(corpusBytes),
                median(m.get("gitleaks-dir")),
                corpusBytes / 1e6 / median(m.get("gitleaks-dir")).wall(),
                "MB/s",
                gd));
        rows.add(row(
                "warden",
                "git " + commits + " commits",
                median(m.get("warden-git")),
                commits / median(m.get("warden-git")).wall(),
                "c/s",
                wg));
        rows.add(row(
                "gitleaks 8.26",
                "git " + commits + " commits",
                median(m.get("gitleaks-git")),
                commits / median(m.get("gitleaks-git")).wall(),
                "c/s",
                gg));
        System.out.print(Row.table(HEADER, rows));
        System.out.printf(
                Locale.ROOT,
                "%nratios warden/gitleaks: dir throughput %.1fx by wall time (per-run pairs: %s),"
                        + " %.1fx by cpu time; history commits/s %.1fx by wall time (per-run pairs: %s), %.1fx by cpu time%n",
                median(m.get("gitleaks-dir")).wall()
                        / median(m.get("warden-dir")).wall(),
                pairs(m.get("gitleaks-dir"), m.get("warden-dir")),
                median(m.get("gitleaks-dir")).cpu()
                        / median(m.get("warden-dir")).cpu(),
                median(m.get("gitleaks-git")).wall()
                        / median(m.get("warden-git")).wall(),
                pairs(m.get("gitleaks-git"), m.get("warden-git")),
                median(m.get("gitleaks-git")).cpu()
                        / median(m.get("warden-git")).cpu());
        System.out.println("missed by warden (dir), by kind: " + wd.missedByKind());
        System.out.println("missed by gitleaks (dir), by kind: " + gd.missedByKind());
        System.out.println("false positives, warden (dir) sample: " + wd.fpSample());
        System.out.println("false positives, gitleaks (dir) sample: " + gd.fpSample());
    }

    record Measure(double wall, double cpu, long rssKb) {}

    record Quality(
            int truths, int found, int reported, int tp, Map<String, Integer> missedByKind, List<String> fpSample) {
        double recall() {
            return truths == 0 ? 1 : (double) found / truths;
        }

        double precision() {
            return reported == 0 ? 1 : (double) tp / reported;
        }
    }

    private static Row row(String who, String target, Measure m, double rate, String unit, Quality q) {
        double cpuRate = rate * m.wall() / Math.max(0.001, m.cpu());
        return Row.of(
                who,
                target,
                String.format(Locale.ROOT, "%.2f", m.wall()),
                String.format(Locale.ROOT, "%.2f", m.cpu()),
                String.format(Locale.ROOT, "%.1f %s", rate, unit),
                String.format(Locale.ROOT, "%.1f %s", cpuRate, unit),
                String.format(Locale.ROOT, "%d MB", m.rssKb() / 1000),
                String.format(Locale.ROOT, "%.1f%%", 100 * q.recall()),
                String.format(Locale.ROOT, "%.1f%%", 100 * q.precision()),
                Integer.toString(q.tp()),
                Integer.toString(q.reported() - q.tp()));
    }

    private static String pairs(List<Measure> peer, List<Measure> warden) {
        List<String> p = new ArrayList<>();
        for (int i = 0; i < Math.min(peer.size(), warden.size()); i++) {
            p.add(String.format(
                    Locale.ROOT, "%.1f", peer.get(i).wall() / warden.get(i).wall()));
        }
        return String.join(", ", p);
    }

    private static Measure median(List<Measure> ms) {
        List<Measure> s = new ArrayList<>(ms);
        s.sort((a, b) -> Double.compare(a.wall(), b.wall()));
        return s.get(s.size() / 2);
    }

    private static Measure measure(Path out, String label, List<String> cmd) throws IOException, InterruptedException {
        Path time = out.resolve("time.txt");
        List<String> full = new ArrayList<>(List.of("/usr/bin/time", "-v", "-o", time.toString()));
        full.addAll(cmd);
        Process p = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(out.resolve("last.log").toFile())
                .start();
        int code = p.waitFor();
        if (code != 0) {
            throw new IOException(label + " exited " + code + ": " + Files.readString(out.resolve("last.log")));
        }
        double wall = 0;
        double cpu = 0;
        long rss = 0;
        for (String line : Files.readAllLines(time)) {
            String l = line.strip();
            if (l.startsWith("Elapsed (wall clock) time")) {
                String v = l.substring(l.lastIndexOf(": ") + 2);
                String[] parts = v.split(":");
                for (String part : parts) {
                    wall = wall * 60 + Double.parseDouble(part);
                }
            } else if (l.startsWith("User time (seconds)") || l.startsWith("System time (seconds)")) {
                cpu += Double.parseDouble(l.substring(l.lastIndexOf(": ") + 2).strip());
            } else if (l.startsWith("Maximum resident set size")) {
                rss = Long.parseLong(l.substring(l.lastIndexOf(": ") + 2).strip());
            }
        }
        System.out.printf(Locale.ROOT, "   %-16s %7.2f s wall %7.2f s cpu %6d MB%n", label, wall, cpu, rss / 1000);
        return new Measure(wall, cpu, rss);
    }

    private static Quality fileQuality(
            Path report, String array, String fileField, String lineField, Path root, List<Corpus.Truth> truth)
            throws IOException {
        Set<String> truthKeys = new HashSet<>();
        Map<String, String> kindOf = new HashMap<>();
        for (Corpus.Truth t : truth) {
            truthKeys.add(t.path() + ":" + t.line());
            kindOf.put(t.path() + ":" + t.line(), t.kind());
        }
        Set<String> reported = new HashSet<>();
        for (JsonNode f : findings(report, array)) {
            String file = f.get(fileField).asText();
            String prefix = root.toString() + "/";
            reported.add((file.startsWith(prefix) ? file.substring(prefix.length()) : file) + ":"
                    + f.get(lineField).asInt());
        }
        return quality(truthKeys, kindOf, reported);
    }

    private static Quality gitQuality(
            Path report,
            String array,
            String fileField,
            String lineField,
            String commitField,
            List<History.Truth> truth)
            throws IOException {
        Set<String> truthKeys = new HashSet<>();
        Map<String, String> kindOf = new HashMap<>();
        for (History.Truth t : truth) {
            String k = t.commit() + ":" + t.path() + ":" + t.line();
            truthKeys.add(k);
            kindOf.put(k, t.kind());
        }
        Set<String> reported = new HashSet<>();
        for (JsonNode f : findings(report, array)) {
            reported.add(f.get(commitField).asText() + ":" + f.get(fileField).asText() + ":"
                    + f.get(lineField).asInt());
        }
        return quality(truthKeys, kindOf, reported);
    }

    private static Quality quality(Set<String> truth, Map<String, String> kindOf, Set<String> reported) {
        int tp = 0;
        List<String> fps = new ArrayList<>();
        for (String r : reported) {
            if (truth.contains(r)) {
                tp++;
            } else if (fps.size() < 5) {
                fps.add(r);
            }
        }
        Map<String, Integer> missed = new HashMap<>();
        for (String t : truth) {
            if (!reported.contains(t)) {
                missed.merge(kindOf.get(t), 1, Integer::sum);
            }
        }
        return new Quality(truth.size(), tp, reported.size(), tp, missed, fps);
    }

    private static List<JsonNode> findings(Path report, String array) throws IOException {
        JsonNode doc = MAPPER.readTree(report.toFile());
        JsonNode list = array == null ? doc : doc.get(array);
        List<JsonNode> out = new ArrayList<>();
        if (list != null) {
            list.forEach(out::add);
        }
        return out;
    }

    private static List<String> concat(List<String> a, String... more) {
        List<String> l = new ArrayList<>(a);
        Collections.addAll(l, more);
        return l;
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }

    private static long treeSize(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    private static long fileCount(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Collections.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
