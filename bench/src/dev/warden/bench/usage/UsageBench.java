package dev.warden.bench.usage;

import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.bench.Machine;
import dev.warden.bench.Row;
import dev.warden.input.Input;
import dev.warden.store.DbUrl;
import dev.warden.usage.IngestRun;
import dev.warden.usage.RawRetention;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The ingestion half of issue 4's benchmark: CloudTrail log files generated in the S3 layout
 * ({@link Generator}), then ingested the way {@code warden ingest cloudtrail DIR} does it (the
 * composition root's {@code Ingester}, a SQLite store in a fresh data directory), reporting
 * events/s, total time and peak heap. With {@code --subset N} the first files holding about N
 * events are ingested first into their own store, so the peak heap of a small and a large run can
 * be compared: bounded memory means they are about equal. Run with {@code bench/run-usage}.
 */
public final class UsageBench {
    static final double TARGET_EVENTS_PER_SECOND = 100_000;

    private UsageBench() {}

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        if (o.report != null) {
            System.out.print(Row.table(HEADER, Row.read(o.report)));
            return;
        }
        Path data = o.workDir.resolve("data-" + o.events + "-" + o.perFile + "-" + o.seed);
        if (o.generateOnly) {
            generate(o, data);
            save(o);
            return;
        }
        Path marker = data.resolve("generated.txt");
        if (!Files.exists(marker)) {
            generate(o, data);
        }
        Instant end = Instant.parse(Files.readString(marker, StandardCharsets.UTF_8)
                .lines()
                .findFirst()
                .orElseThrow());
        System.out.println(Machine.describe());
        if (o.subset > 0 && o.subset < o.events) {
            List<Input> first = new ArrayList<>();
            long approx = 0;
            List<Path> files = files(data);
            long perFile = o.events / files.size();
            for (Path f : files) {
                if (approx >= o.subset) {
                    break;
                }
                first.add(Input.path(f));
                approx += perFile;
            }
            ingest(o, "first " + first.size() + " files", first, end);
        }
        ingest(o, "all files (warden ingest cloudtrail DIR)", List.of(Input.path(data.resolve("AWSLogs"))), end);
        save(o);
        System.out.print(Row.table(HEADER, RESULTS));
        System.exit(0);
    }

    private static final List<String> HEADER = List.of("what", "size", "figure", "target", "");
    private static final List<Row> RESULTS = new ArrayList<>();

    private static void row(String what, String size, String figure, String target, String verdict) {
        RESULTS.add(Row.of(what, size, figure, target, verdict));
        System.out.printf(Locale.ROOT, "%s | %s | %s %s %s%n", what, size, figure, target, verdict);
    }

    private static void generate(Options o, Path data) throws Exception {
        Path marker = data.resolve("generated.txt");
        if (Files.exists(marker)) {
            System.out.println("generate: reusing " + data);
            return;
        }
        deleteRecursively(data);
        Files.createDirectories(data);
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
        System.out.printf(
                Locale.ROOT,
                "generate: %,d events, about %,d per file, seed %d, %d threads, into %s%n",
                o.events,
                o.perFile,
                o.seed,
                o.threads,
                data);
        long t0 = System.nanoTime();
        Generator.Written w = new Generator(o.seed, end).write(data, o.events, o.perFile, o.threads);
        double s = (System.nanoTime() - t0) / 1e9;
        Files.writeString(marker, end + "\n" + w + "\n", StandardCharsets.UTF_8);
        row(
                "generate CloudTrail files (AWSLogs/ layout, gzip level 1)",
                String.format(Locale.ROOT, "%,d events", w.events()),
                String.format(
                        Locale.ROOT,
                        "%,d files, %,.0f MB JSON, %,.0f MB gzip, %.0f s",
                        w.files(),
                        w.jsonBytes() / 1e6,
                        w.gzipBytes() / 1e6,
                        s),
                "",
                "");
    }

    private static List<Path> files(Path data) throws IOException {
        try (Stream<Path> walk = Files.walk(data.resolve("AWSLogs"))) {
            return walk.filter(p -> p.toString().endsWith(".json.gz")).sorted().toList();
        }
    }

    private static void ingest(Options o, String label, List<Input> inputs, Instant end)
            throws IOException, InterruptedException {
        Path store = o.workDir.resolve("store");
        deleteRecursively(store);
        Files.createDirectories(store);
        DbUrl url = DbUrl.sqlite(store.resolve(StoreLocation.SQLITE_FILE));
        Clock clock = Clock.fixed(end.plus(Duration.ofHours(1)), ZoneOffset.UTC);
        try (Warden w = Warden.open(new StoreLocation(store, url), clock)) {
            System.gc();
            Machine.resetHeapPeaks();
            long gcBefore = Machine.gcMillis();
            ThreadCpu threads = ThreadCpu.start();
            double cpu0 = Machine.processCpuSeconds();
            long t0 = System.nanoTime();
            IngestRun run = w.ingester().run("cloudtrail", inputs, "bench");
            double s = (System.nanoTime() - t0) / 1e9;
            double cpu = Machine.processCpuSeconds() - cpu0;
            Map<String, Double> perThread = threads.stop();
            long peak = Machine.peakHeapBytes();
            long gc = Machine.gcMillis() - gcBefore;
            if (!run.status().equals(IngestRun.SUCCEEDED) || run.skipped() != 0) {
                throw new IllegalStateException("ingest did not run clean: " + run);
            }
            String size = String.format(Locale.ROOT, "%,d events", run.events());
            double rate = run.events() / s;
            row(
                    "ingest " + label,
                    size,
                    String.format(Locale.ROOT, "%,.0f events/s (%d files in %.1f s)", rate, run.files(), s),
                    String.format(Locale.ROOT, ">= %,.0f events/s", TARGET_EVENTS_PER_SECOND),
                    rate >= TARGET_EVENTS_PER_SECOND ? "met" : "MISSED");
            row(
                    "  CPU time of the process (all threads, user+system)",
                    size,
                    String.format(
                            Locale.ROOT,
                            "%.1f s = %,.0f events per CPU-second; machine load average %.1f",
                            cpu,
                            run.events() / cpu,
                            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()),
                    "",
                    "");
            for (Map.Entry<String, Double> t : perThread.entrySet()) {
                row(
                        "    CPU of thread " + t.getKey(),
                        size,
                        String.format(
                                Locale.ROOT,
                                "%.1f s (%.1f µs per event)",
                                t.getValue(),
                                t.getValue() * 1e6 / run.events()),
                        "",
                        "");
            }
            row(
                    "  peak heap used during ingest (JMX heap pools)",
                    size,
                    String.format(
                            Locale.ROOT,
                            "%,.0f MB of max %,.0f MB; GC %.1f s",
                            peak / 1e6,
                            Runtime.getRuntime().maxMemory() / 1e6,
                            gc / 1e3),
                    "bounded",
                    "");
            System.gc();
            long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            row(
                    "  heap used after full GC, ingest done",
                    size,
                    String.format(Locale.ROOT, "%,.0f MB", live / 1e6),
                    "",
                    "");
            long daily = w.db().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM usage_daily")
                    .mapTo(Long.class)
                    .one());
            long raw = w.db().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM usage_events")
                    .mapTo(Long.class)
                    .one());
            RawRetention retention = RawRetention.fromEnvironment();
            row(
                    "  raw event retention (" + RawRetention.ENV + ")",
                    size,
                    retention
                            + (retention.equals(RawRetention.DEFAULT)
                                    ? ", the default"
                                    : ", not the default (" + RawRetention.DEFAULT + ")"),
                    "",
                    "");
            row(
                    "  rows: daily aggregates / raw events kept",
                    size,
                    String.format(Locale.ROOT, "%,d / %,d", daily, raw),
                    "",
                    "");
        }
        row("  SQLite store on disk", "", String.format(Locale.ROOT, "%,.0f MB", sizeOf(store) / 1e6), "", "");
        if (!o.keep) {
            deleteRecursively(store);
        }
    }

    /** CPU time of the ingest's threads (the caller's, which runs the SQL, and the reader's, which parses). */
    private static final class ThreadCpu implements Runnable {
        private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        private final long caller = Thread.currentThread().getId();
        private final Map<Long, Long> last = new ConcurrentHashMap<>();
        private final Map<Long, String> names = new ConcurrentHashMap<>();
        private final Map<Long, Long> start = new HashMap<>();
        private volatile boolean running = true;
        private Thread thread;

        static ThreadCpu start() {
            ThreadCpu t = new ThreadCpu();
            t.start.put(t.caller, t.mx.getThreadCpuTime(t.caller));
            t.thread = new Thread(t, "bench-cpu-sampler");
            t.thread.setDaemon(true);
            t.thread.start();
            return t;
        }

        @Override
        public void run() {
            while (running) {
                sample();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void sample() {
            for (ThreadInfo i : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (i != null && i.getThreadName().startsWith("warden-ingest")) {
                    long cpu = mx.getThreadCpuTime(i.getThreadId());
                    if (cpu > 0) {
                        last.put(i.getThreadId(), cpu);
                        names.put(i.getThreadId(), i.getThreadName());
                    }
                }
            }
        }

        Map<String, Double> stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
            Map<String, Double> out = new TreeMap<>();
            out.put("main (folds, writes SQL)", (mx.getThreadCpuTime(caller) - start.get(caller)) / 1e9);
            for (Map.Entry<Long, Long> e : last.entrySet()) {
                out.merge(names.get(e.getKey()) + " (parses)", e.getValue() / 1e9, Double::sum);
            }
            return out;
        }
    }

    private static void save(Options o) throws IOException {
        if (o.results != null) {
            Row.append(o.results, RESULTS);
        }
    }

    private static long sizeOf(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static final class Options {
        long events = 10_000_000;
        int perFile = 5_000;
        long seed = 7;
        long subset = 0;
        int threads = Runtime.getRuntime().availableProcessors();
        Path workDir = Path.of("target", "bench-usage");
        Path results;
        Path report;
        boolean keep;
        boolean generateOnly;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--keep")) {
                    o.keep = true;
                    continue;
                }
                if (a.equals("--generate-only")) {
                    o.generateOnly = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--events" ->
                        o.events = Long.parseLong(v.replace("_", "").replace(",", ""));
                    case "--per-file" ->
                        o.perFile = Integer.parseInt(v.replace("_", "").replace(",", ""));
                    case "--seed" -> o.seed = Long.parseLong(v);
                    case "--subset" ->
                        o.subset = Long.parseLong(v.replace("_", "").replace(",", ""));
                    case "--threads" -> o.threads = Integer.parseInt(v);
                    case "--work-dir" -> o.workDir = Path.of(v);
                    case "--results" -> o.results = Path.of(v);
                    case "--report" -> o.report = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            return o;
        }
    }
}
