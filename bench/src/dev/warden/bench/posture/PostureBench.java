package dev.warden.bench.posture;

import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.bench.Machine;
import dev.warden.bench.Row;
import dev.warden.inventory.IdentityRecord;
import dev.warden.posture.Evaluation;
import dev.warden.posture.FindingFilter;
import dev.warden.posture.Posture;
import dev.warden.posture.PostureReport;
import dev.warden.posture.ReportWriter;
import dev.warden.store.DbUrl;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The posture half of issue 4's benchmark: evaluate every check over a synthetic estate of
 * 1,000,000 identities with usage aggregates for a share of them, on SQLite. Target: a full
 * evaluation in at most 60 s, memory bounded. Prints what it measured: seconds, findings, peak heap
 * (sampled every 20 ms during each phase), GC time. Run with {@code bench/run-posture}; not part of
 * the test suite.
 */
public final class PostureBench {
    static final double TARGET_SECONDS = 60;
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    static final List<String> HEADER = List.of("what", "identities", "figure", "target", "");

    private final List<Row> rows = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        long identities = 1_000_000;
        double share = 0.3;
        int chunk = 10_000;
        long seed = 42;
        boolean keep = false;
        Path work = Path.of("target/bench-posture");
        for (int a = 0; a < args.length; a++) {
            switch (args[a]) {
                case "--identities" -> identities = Long.parseLong(args[++a]);
                case "--usage-share" -> share = Double.parseDouble(args[++a]);
                case "--chunk" -> chunk = Integer.parseInt(args[++a]);
                case "--seed" -> seed = Long.parseLong(args[++a]);
                case "--work" -> work = Path.of(args[++a]);
                case "--keep" -> keep = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[a]);
            }
        }
        new PostureBench().run(identities, share, chunk, seed, work, keep);
        System.exit(0);
    }

    /** A clock the benchmark moves by hand. */
    static final class MovingClock extends Clock {
        private volatile Instant now;

        MovingClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private void run(long identities, double share, int chunk, long seed, Path work, boolean keep) throws Exception {
        System.out.printf(
                Locale.ROOT,
                "warden posture bench: %,d identities, usage for %.0f%% of AWS and Kubernetes"
                        + " identities, seed %d%n",
                identities,
                share * 100,
                seed);
        System.out.println(Machine.describe());
        Path dir = work.resolve("sqlite");
        deleteRecursively(dir);
        Files.createDirectories(dir);
        MovingClock clock = new MovingClock(NOW);
        String size = String.format(Locale.ROOT, "%,d", identities);
        try (Warden w =
                Warden.open(new StoreLocation(dir, DbUrl.sqlite(dir.resolve(StoreLocation.SQLITE_FILE))), clock)) {
            PostureEstate estate = new PostureEstate(seed, NOW);
            UsageRows usage = new UsageRows(share, seed, NOW);
            long t0 = System.nanoTime();
            long loadNanos = 0;
            long usageNanos = 0;
            for (long from = 0; from < identities; from += chunk) {
                long to = Math.min(identities, from + chunk);
                List<IdentityRecord> records = estate.records(from, to);
                long l0 = System.nanoTime();
                w.inventory().load(records, "bench", "inventory.load", Map.of("from", Long.toString(from)));
                loadNanos += System.nanoTime() - l0;
                for (int n = 0; n < records.size(); n++) {
                    usage.add(records.get(n), from + n);
                }
                long u0 = System.nanoTime();
                usage.flush(w.db());
                usageNanos += System.nanoTime() - u0;
                if (to % (identities / 10 == 0 ? to : identities / 10) == 0) {
                    System.out.printf(
                            Locale.ROOT, "loaded %,d identities (%.0f s)%n", to, (System.nanoTime() - t0) / 1e9);
                }
            }
            info("setup: load estate (Inventory.load)", size, String.format(Locale.ROOT, "%.1f s", loadNanos / 1e9));
            info(
                    "setup: usage aggregates (usage_daily rows)",
                    size,
                    String.format(
                            Locale.ROOT,
                            "%,d rows for %,d identities in %.1f s",
                            usage.rows,
                            usage.identities,
                            usageNanos / 1e9));
            info("store size after setup", size, String.format(Locale.ROOT, "%,.0f MB", sizeOf(dir) / 1e6));

            Posture posture = w.posture();
            System.gc();
            Evaluation first =
                    measure("evaluate all checks, first run (all findings new)", size, () -> posture.evaluate("bench"));
            clock.advance(Duration.ofDays(1));
            Evaluation second = measure(
                    "evaluate all checks, next day (steady state: updates only)",
                    size,
                    () -> posture.evaluate("bench"));
            info(
                    "  next day: new / resolved / reopened",
                    size,
                    second.newFindings() + " / " + second.resolved() + " / " + second.reopened());
            Posture.View view = measure(
                    "evaluate as of 30 days ago (read-only, nothing kept)",
                    size,
                    () -> posture.evaluateAsOf(
                            clock.instant().minus(Duration.ofDays(30)),
                            posture.policy(),
                            new FindingFilter(
                                    null, dev.warden.posture.Severity.CRITICAL, null, "no-such-identity", null)));
            info(
                    "  as of 30 days ago: open findings",
                    size,
                    String.format(Locale.ROOT, "%,d", view.evaluation().open()));
            measure(
                    "report owasp-nhi (html)",
                    size,
                    () -> ReportWriter.render(
                            posture.report(PostureReport.Framework.OWASP_NHI, 5), ReportWriter.Format.HTML));
            info(
                    "findings stored",
                    size,
                    String.format(
                            Locale.ROOT,
                            "%,d open, %,d accepted; by risk: %s",
                            first.open(),
                            first.accepted(),
                            byRisk(first)));
            info("store size after evaluations", size, String.format(Locale.ROOT, "%,.0f MB", sizeOf(dir) / 1e6));
            info("JVM peak RSS so far (VmHWM)", size, Machine.peakRss());
        }
        if (!keep) {
            deleteRecursively(dir);
        }
        print();
    }

    private static String byRisk(Evaluation e) {
        Map<String, Long> byCheck = new java.util.TreeMap<>();
        e.counts().forEach(c -> byCheck.merge(c.check().substring(0, c.check().indexOf('-')), c.count(), Long::sum));
        return byCheck.toString();
    }

    private interface Work<T> {
        T run() throws Exception;
    }

    private <T> T measure(String what, String size, Work<T> work) throws Exception {
        AtomicLong peak = new AtomicLong();
        AtomicLong live = new AtomicLong();
        var memory = ManagementFactory.getMemoryMXBean();
        var pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP && p.getCollectionUsage() != null)
                .toList();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                MemoryUsage u = memory.getHeapMemoryUsage();
                peak.accumulateAndGet(u.getUsed(), Math::max);
                // What each pool held right after its latest collection: the live set, not garbage.
                long afterGc = pools.stream()
                        .mapToLong(p -> p.getCollectionUsage().getUsed())
                        .sum();
                live.accumulateAndGet(afterGc, Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        long gc0 = Machine.gcMillis();
        var threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        sampler.start();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long proc0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        T result = work.run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double threadCpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        double processCpu = (os.getProcessCpuTime() - proc0) / 1e9;
        sampler.interrupt();
        sampler.join();
        long gc = Machine.gcMillis() - gc0;
        String figure = String.format(
                Locale.ROOT,
                "%.1f s wall (%.1f s CPU on the calling thread, %.1f s whole process); heap: peak used %,d MB,"
                        + " live after GC at most %,d MB (max %,d MB); GC %.1f s",
                seconds,
                threadCpu,
                processCpu,
                peak.get() / 1_000_000,
                live.get() / 1_000_000,
                Runtime.getRuntime().maxMemory() / 1_000_000,
                gc / 1e3);
        if (result instanceof Evaluation e) {
            figure += String.format(
                    Locale.ROOT,
                    "; %,d identities read, %,d evaluated, %,d findings (%,d new, %,d resolved)",
                    e.identities(),
                    e.evaluated(),
                    e.open() + e.accepted(),
                    e.newFindings(),
                    e.resolved());
        }
        boolean evaluation = what.startsWith("evaluate all checks");
        rows.add(Row.of(
                what,
                size,
                figure,
                evaluation ? "<= 60 s" : "",
                evaluation ? (seconds <= TARGET_SECONDS ? "met" : "MISSED") : ""));
        System.out.println(what + ": " + figure);
        return result;
    }

    private void info(String what, String size, String figure) {
        rows.add(Row.of(what, size, figure, "", ""));
        System.out.println(what + ": " + figure);
    }

    private void print() {
        System.out.println();
        System.out.print(Row.table(HEADER, rows));
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
