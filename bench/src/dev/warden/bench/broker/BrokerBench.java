package dev.warden.bench.broker;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.warden.bench.Machine;
import dev.warden.bench.Row;
import dev.warden.broker.attest.JwtParts;
import dev.warden.broker.attest.JwtRules;
import dev.warden.broker.attest.KeySet;
import dev.warden.policy.PolicyInput;
import dev.warden.policy.PolicyLoader;
import dev.warden.policy.PolicySet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * The broker's benchmark (bench/run-broker drives it):
 *
 * <ul>
 *   <li>{@code prepare DIR N}: an RSA test issuer (JWKS file), policies, warden.yaml, and N
 *       Kubernetes-style RS256 subject tokens (~20 claims, unique jti, valid 2 h) in DIR.
 *   <li>{@code measure DIR PORT LABEL}: against a running {@code warden serve}: the raw bound
 *       (Warden's own JWT verification of a subject token + an ES256 signature of an access token,
 *       no HTTP, on every core), CEL decisions per second on one core, then token exchanges over
 *       loopback HTTP keep-alive: the maximum rate (closed loop) and p50/p99 latency at 80 % of it
 *       (open loop, latency from the scheduled send time). Appends rows to DIR/results.tsv.
 * </ul>
 */
public final class BrokerBench {
    static final String ISSUER = "https://k8s.bench";
    static final String AUDIENCE = "https://registry.example.com";
    static final List<String> HEADER = List.of("JDK", "measure", "size", "rate/s", "p50 ms", "p99 ms");

    private BrokerBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("prepare")) {
            prepare(Path.of(args[1]), Integer.parseInt(args[2]));
        } else if (args.length >= 4 && args[0].equals("drive")) {
            drive(
                    Path.of(args[1]),
                    Integer.parseInt(args[2]),
                    Double.parseDouble(args[3]),
                    args.length > 4 ? Integer.parseInt(args[4]) : 0);
        } else if (args.length >= 5 && args[0].equals("measure")) {
            measure(Path.of(args[1]), Integer.parseInt(args[2]), args[3], Long.parseLong(args[4]));
        } else if (args.length == 2 && args[0].equals("report")) {
            System.out.print(Row.table(HEADER, Row.read(Path.of(args[1]).resolve("results.tsv"))));
        } else {
            System.err.println("usage: BrokerBench prepare DIR N | measure DIR PORT LABEL SERVER_PID"
                    + " | drive DIR PORT SECONDS [SKIP] | report DIR");
            System.exit(2);
        }
    }

    static void prepare(Path dir, int n) throws Exception {
        Files.createDirectories(dir.resolve("policies"));
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("bench-1").generate();
        Files.writeString(dir.resolve("issuer.jwk"), rsa.toJSONString());
        Files.writeString(dir.resolve("jwks.json"), new JWKSet(rsa.toPublicJWK()).toString(true));
        Files.writeString(dir.resolve("policies/bench.yaml"), """
                policies:
                  - name: cluster-admin-never
                    match: {workloads: ["system:serviceaccount:kube-system:*"]}
                    grant: {audiences: ["https://k8s.example.com"]}
                    condition: "false"
                  - name: payments
                    owner: team-payments
                    match: {attestors: [k8s], workloads: ["system:serviceaccount:payments-*:*"]}
                    grant: {audiences: ["https://registry.example.com"], scopes: [pull, push], maxTtl: 15m, defaultTtl: 5m}
                    condition: |
                      context.environment == "prod" &&
                      subject.attributes["namespace"].startsWith("payments-") &&
                      subject.claims["kubernetes.io"]["pod"]["name"] != "" &&
                      request.ttl <= duration("15m")
                """);
        Files.writeString(dir.resolve("warden.yaml"), """
                broker:
                  issuer: https://warden.bench
                  environment: prod
                  policies: policies
                  # The limiter stays on the request path (its cost is measured) but never refuses:
                  # the load driver sends every request from 127.0.0.1.
                  rateLimit: {perSource: {rate: 10000000}, global: {rate: 10000000}}
                  attestors:
                    - {name: k8s, kind: oidc, issuer: "%s", profile: kubernetes, audiences: [warden], algorithms: [RS256], jwksFile: jwks.json}
                """.formatted(ISSUER));
        Instant now = Instant.now();
        long t0 = System.nanoTime();
        List<String> tokens = Collections.synchronizedList(new ArrayList<>(n));
        RSASSASigner signer = new RSASSASigner(rsa);
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("bench-1")
                .type(JOSEObjectType.JWT)
                .build();
        IntStream.range(0, n).parallel().forEach(i -> {
            try {
                SignedJWT t = new SignedJWT(header, subjectClaims(i, now));
                t.sign(signer);
                tokens.add(t.serialize());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Files.write(dir.resolve("tokens.txt"), tokens);
        System.out.printf(
                Locale.ROOT,
                "prepared %d RS256 subject tokens (%d bytes each) in %.1f s%n",
                n,
                tokens.get(0).length(),
                (System.nanoTime() - t0) / 1e9);
    }

    /** A Kubernetes projected service-account token's claims (about 20 values). */
    static JWTClaimsSet subjectClaims(int i, Instant now) {
        String ns = "payments-" + (i % 10);
        String sa = "deployer-" + (i % 20);
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("system:serviceaccount:" + ns + ":" + sa)
                .audience(List.of("warden"))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(2))))
                .jwtID(UUID.randomUUID().toString())
                .claim(
                        "kubernetes.io",
                        Map.of(
                                "namespace", ns,
                                "pod",
                                        Map.of(
                                                "name",
                                                sa + "-7c9d5b-" + i,
                                                "uid",
                                                UUID.randomUUID().toString()),
                                "serviceaccount",
                                        Map.of(
                                                "name",
                                                sa,
                                                "uid",
                                                UUID.randomUUID().toString()),
                                "node",
                                        Map.of(
                                                "name",
                                                "node-" + (i % 7),
                                                "uid",
                                                UUID.randomUUID().toString()),
                                "warnafter", now.getEpochSecond() + 3600))
                .build();
    }

    static void measure(Path dir, int port, String label, long serverPid) throws Exception {
        List<Row> rows = new ArrayList<>();
        List<String> tokens = Files.readAllLines(dir.resolve("tokens.txt"));
        int cores = Runtime.getRuntime().availableProcessors();

        // 1. Raw bound: verify a subject token with Warden's own RFC 8725 checks + sign an ES256 access token.
        KeySet keys = KeySet.of(JWKSet.parse(Files.readString(dir.resolve("jwks.json"))), null);
        JwtRules rules = new JwtRules(
                ISSUER, Set.of("warden"), Set.of(JWSAlgorithm.RS256), Duration.ofSeconds(30), Duration.ofHours(24));
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("warden-1").generate();
        ECDSASigner es = new ECDSASigner(ec);
        // Warm up by count (a busy machine leaves a time-based warm-up cold), then measure.
        double[] warmCpu = new double[1];
        long warmOps = 0;
        long warmEnd = System.nanoTime() + 60_000_000_000L;
        while (warmOps < 3_000 && System.nanoTime() < warmEnd) {
            warmOps += (long) raw(tokens, keys, rules, es, cores, 1, warmCpu); // ~ operations in one second
        }
        double[] rawCpu = new double[1];
        double rawAll = raw(tokens, keys, rules, es, cores, 5, rawCpu);
        double[] oneCpu = new double[1];
        double rawOne = raw(tokens, keys, rules, es, 1, 3, oneCpu);
        rows.add(row(label, "raw bound: verify RS256 + sign ES256, " + cores + " threads", "-", rawAll, "-", "-"));
        rows.add(row(label, "raw bound: verify RS256 + sign ES256, 1 thread", "-", rawOne, "-", "-"));
        double rawPerCpuSecond = rawCpu[0];
        rows.add(row(
                label,
                "raw bound per CPU-second x " + cores + " cores (estimate)",
                "-",
                rawPerCpuSecond * cores,
                "-",
                "-"));

        // 2. CEL policy decisions on one core.
        PolicySet policies = PolicyLoader.load(dir.resolve("policies"));
        double[] decisionsCpu = new double[1];
        double decisions = decisions(policies, 5, decisionsCpu);
        rows.add(row(
                label,
                "policy decisions (CEL), 1 thread",
                policies.policies().size() + " policies",
                decisions,
                "-",
                "-"));
        rows.add(row(label, "policy decisions per CPU-second (one core, estimate)", "-", decisionsCpu[0], "-", "-"));

        // 3. Token exchange over loopback HTTP keep-alive.
        waitReady(port);
        LoadDriver driver = new LoadDriver(port, tokens, AUDIENCE);
        int conns = 64;
        // Warm up by count, not time: on a busy machine 5 seconds leave the server's JIT cold.
        LoadDriver.Result warm = null;
        int warmed = 0;
        long warmUntil = System.nanoTime() + 120_000_000_000L;
        while (warmed < 15_000 && System.nanoTime() < warmUntil) {
            warm = driver.maxRate(conns, 5);
            warmed += (int) warm.requests();
        }
        System.out.println(label + ": warmed up with " + warmed + " exchanges");
        check(warm, "warm-up");
        double cpuBefore = Machine.cpuSeconds(serverPid);
        LoadDriver.Result max = driver.maxRate(conns, 10);
        double serverCpu = Machine.cpuSeconds(serverPid) - cpuBefore;
        check(max, "max rate");
        rows.add(row(
                label,
                "token exchange, max rate (closed loop)",
                conns + " conns",
                max.rate(),
                ms(max.percentileMillis(50)),
                ms(max.percentileMillis(99))));
        double target = 0.8 * max.rate();
        int remaining = driver.remaining();
        double seconds = Math.min(10, remaining / target * 0.95);
        LoadDriver.Result at80 = driver.fixedRate(conns, seconds, target);
        check(at80, "80% rate");
        rows.add(row(
                label,
                String.format(Locale.ROOT, "token exchange at 80%% of max (%.0f/s, open loop)", target),
                conns + " conns",
                at80.rate(),
                ms(at80.percentileMillis(50)),
                ms(at80.percentileMillis(99))));
        rows.add(row(label, "exchange max rate as % of the raw bound", "-", 100.0 * max.rate() / rawAll, "-", "-"));
        double exchangesPerCpuSecond = max.requests() / serverCpu;
        rows.add(row(
                label,
                "exchanges per server CPU-second x " + cores + " cores (estimate)",
                "-",
                exchangesPerCpuSecond * cores,
                "-",
                "-"));
        rows.add(row(
                label,
                "same, as % of the raw bound per CPU-second",
                "-",
                100.0 * exchangesPerCpuSecond / rawPerCpuSecond,
                "-",
                "-"));
        Row.append(dir.resolve("results.tsv"), rows);
        System.out.print(Row.table(HEADER, rows));
    }

    /**
     * Closed-loop load for {@code seconds} and nothing else: what to run against a server started
     * with a profiler ({@code -XX:StartFlightRecording=...,settings=profile}).
     */
    static void drive(Path dir, int port, double seconds, int skip) throws Exception {
        waitReady(port);
        LoadDriver driver = new LoadDriver(port, Files.readAllLines(dir.resolve("tokens.txt")), AUDIENCE);
        driver.skip(skip);
        LoadDriver.Result r = driver.maxRate(64, seconds);
        check(r, "drive");
        System.out.printf(Locale.ROOT, "drove %d exchanges at %.0f/s%n", r.requests(), r.rate());
    }

    private static void check(LoadDriver.Result r, String phase) {
        if (r.errors() > 0) {
            System.out.println("WARNING " + phase + ": " + r.errors() + " errors (first: " + r.firstError() + ")");
        }
        if (r.ranOut()) {
            System.out.println("WARNING " + phase + ": ran out of prepared subject tokens; prepare more (--tokens)");
        }
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static Row row(String jdk, String what, String size, double rate, String p50, String p99) {
        return Row.of(jdk, what, size, String.format(Locale.ROOT, "%.0f", rate), p50, p99);
    }

    /** Wall-clock rate; {@code perCpuSecond[0]} gets the rate per CPU-second the threads used. */
    private static double raw(
            List<String> tokens,
            KeySet keys,
            JwtRules rules,
            ECDSASigner signer,
            int threads,
            double seconds,
            double[] perCpuSecond)
            throws InterruptedException {
        AtomicLong count = new AtomicLong();
        AtomicLong cpuNanos = new AtomicLong();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        Instant now = Instant.now();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID("warden-1")
                .type(new JOSEObjectType("at+jwt"))
                .build();
        List<Thread> ts = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int offset = t * 1000;
            Thread th = new Thread(() -> {
                int i = offset;
                long cpu0 =
                        java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                while (System.nanoTime() < end) {
                    try {
                        JwtParts p = JwtParts.parse(tokens.get(i++ % tokens.size()));
                        rules.verify(p, keys, null, now);
                        SignedJWT out = new SignedJWT(
                                header,
                                new JWTClaimsSet.Builder()
                                        .issuer("https://warden.bench")
                                        .subject(p.string("sub"))
                                        .audience(AUDIENCE)
                                        .expirationTime(Date.from(now.plusSeconds(300)))
                                        .issueTime(Date.from(now))
                                        .jwtID(UUID.randomUUID().toString())
                                        .claim("client_id", p.string("sub"))
                                        .claim("scope", "pull")
                                        .build());
                        out.sign(signer);
                        out.serialize();
                        count.incrementAndGet();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                cpuNanos.addAndGet(
                        java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0);
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        perCpuSecond[0] = count.get() / (cpuNanos.get() / 1e9);
        return count.get() / ((System.nanoTime() - start) / 1e9);
    }

    private static double decisions(PolicySet set, double seconds, double[] perCpuSecond) {
        List<PolicyInput> inputs = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < 100; i++) {
            String ns = "payments-" + (i % 10);
            inputs.add(new PolicyInput(
                    new PolicyInput.Subject(
                            "system:serviceaccount:" + ns + ":deployer-" + i,
                            "k8s",
                            "oidc",
                            ISSUER,
                            null,
                            Map.of("kubernetes.io", Map.of("namespace", ns, "pod", Map.of("name", "p-" + i))),
                            Map.of("namespace", ns, "serviceaccount", "deployer-" + i)),
                    new PolicyInput.Request(AUDIENCE, null, List.of("pull"), null, null),
                    new PolicyInput.Context(now, "10.0.0." + i, "prod")));
        }
        long allowed = 0;
        for (int i = 0; i < 200_000; i++) {
            allowed += set.decide(inputs.get(i % 100)).allowed() ? 1 : 0; // warm-up
        }
        if (allowed != 200_000) {
            throw new IllegalStateException("bench inputs should all be allowed, " + allowed + " were");
        }
        long n = 0;
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                set.decide(inputs.get(i % 100));
            }
            n += 1000;
        }
        perCpuSecond[0] = n / ((mx.getCurrentThreadCpuTime() - cpu0) / 1e9);
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static void waitReady(int port) throws IOException, InterruptedException {
        HttpClient c = HttpClient.newHttpClient();
        for (int i = 0; i < 600; i++) {
            try {
                HttpResponse<String> r = c.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        throw new IOException("server on port " + port + " did not become ready");
    }
}
