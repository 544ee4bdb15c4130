package dev.warden.bench.svid;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.warden.audit.AuditLog;
import dev.warden.bench.Machine;
import dev.warden.bench.Row;
import dev.warden.broker.ca.CaConfig;
import dev.warden.broker.ca.CertificateAuthority;
import dev.warden.broker.ca.Csr;
import dev.warden.keys.SecretBox;
import dev.warden.store.Database;
import dev.warden.store.DbUrl;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The X.509-SVID benchmark (bench/run-svid drives it):
 *
 * <ul>
 *   <li>{@code prepare DIR N}: an RSA test issuer (JWKS file), an SVID policy, a warden.yaml with
 *       {@code broker.ca}, N Kubernetes-style RS256 subject tokens and 256 EC P-256 CSRs in DIR.
 *   <li>{@code inproc DIR SECONDS LABEL}: Warden's CA on a SQLite store, no HTTP: CSR parse +
 *       signature check (plain JCA) + leaf signing per operation, on every core; and the raw bound
 *       in the same run (one P-256 ECDSA verify + one sign).
 *   <li>{@code http DIR PORT PID SECONDS LABEL}: {@code POST /v1/svid/x509} over loopback HTTP/1.1
 *       keep-alive against a running {@code warden serve} (attestation, policy, decision record,
 *       lease, inventory), closed loop.
 * </ul>
 * Rows are appended to DIR/results.tsv; rates per CPU-second of the measured process times the
 * cores estimate two dedicated cores on a shared machine.
 */
public final class SvidBench {
    static final String ISSUER = "https://k8s.bench";
    static final List<String> HEADER = List.of("JDK", "measure", "wall clock", "per CPU-second x cores", "note");

    private SvidBench() {}

    public static void main(String[] args) throws Exception {
        switch (args.length == 0 ? "" : args[0]) {
            case "prepare" -> prepare(Path.of(args[1]), Integer.parseInt(args[2]));
            case "inproc" -> inproc(Path.of(args[1]), Double.parseDouble(args[2]), args[3]);
            case "http" ->
                http(
                        Path.of(args[1]),
                        Integer.parseInt(args[2]),
                        Long.parseLong(args[3]),
                        Double.parseDouble(args[4]),
                        args[5]);
            case "report" ->
                System.out.print(Row.table(HEADER, Row.read(Path.of(args[1]).resolve("results.tsv"))));
            default -> {
                System.err.println("usage: SvidBench prepare DIR N | inproc DIR SECONDS LABEL"
                        + " | http DIR PORT PID SECONDS LABEL | report DIR");
                System.exit(2);
            }
        }
    }

    static void prepare(Path dir, int n) throws Exception {
        Files.createDirectories(dir.resolve("policies"));
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("bench-1").generate();
        Files.writeString(dir.resolve("jwks.json"), new JWKSet(rsa.toPublicJWK()).toString(true));
        Files.writeString(dir.resolve("policies/svid.yaml"), """
                policies:
                  - name: payments-svid
                    owner: team-payments
                    match: {attestors: [k8s], workloads: ["system:serviceaccount:payments-*:*"]}
                    grant:
                      spiffeId: 'spiffe://bench.example/ns/{{subject.attributes["namespace"]}}/sa/{{subject.attributes["serviceaccount"]}}'
                      maxTtl: 1h
                    condition: request.credential == "x509-svid" && context.environment == "prod"
                """);
        Files.writeString(dir.resolve("warden.yaml"), """
                broker:
                  issuer: https://warden.bench
                  environment: prod
                  policies: policies
                  ca: {trustDomain: bench.example}
                  attestors:
                    - {name: k8s, kind: oidc, issuer: "%s", profile: kubernetes, audiences: [warden], algorithms: [RS256], jwksFile: jwks.json}
                """.formatted(ISSUER));
        Instant now = Instant.now();
        long t0 = System.nanoTime();
        RSASSASigner signer = new RSASSASigner(rsa);
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("bench-1")
                .type(JOSEObjectType.JWT)
                .build();
        List<String> tokens = Collections.synchronizedList(new ArrayList<>(n));
        IntStream.range(0, n).parallel().forEach(i -> {
            try {
                String ns = "payments-" + (i % 10);
                String sa = "api-" + (i % 20);
                SignedJWT t = new SignedJWT(
                        header,
                        new JWTClaimsSet.Builder()
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
                                                "serviceaccount",
                                                        Map.of(
                                                                "name",
                                                                sa,
                                                                "uid",
                                                                UUID.randomUUID()
                                                                        .toString()),
                                                "pod",
                                                        Map.of(
                                                                "name",
                                                                sa + "-" + i,
                                                                "uid",
                                                                UUID.randomUUID()
                                                                        .toString())))
                                .build());
                t.sign(signer);
                tokens.add(t.serialize());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Files.write(dir.resolve("tokens.txt"), tokens);
        List<String> csrs = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            csrs.add(Base64.getEncoder().encodeToString(csr(p256())));
        }
        Files.write(dir.resolve("csrs.txt"), csrs);
        System.out.printf(
                Locale.ROOT,
                "prepared %d RS256 subject tokens and 256 P-256 CSRs in %.1f s%n",
                n,
                (System.nanoTime() - t0) / 1e9);
    }

    static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static byte[] csr(KeyPair k) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=bench"), k.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(k.getPrivate()))
                .getEncoded();
    }

    @FunctionalInterface
    interface Op {
        void run(int i) throws Exception;
    }

    /** Runs {@code op} on {@code threads} threads for {@code seconds}; returns {ops/s, ops per CPU-second}. */
    static double[] rate(int threads, double seconds, Op op) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        double cpu0 = Machine.processCpuSeconds();
        long t0 = System.nanoTime();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * 1_000_000;
            Thread th = new Thread(() -> {
                int i = base;
                try {
                    while (System.nanoTime() < end) {
                        op.run(i++);
                        done.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = Machine.processCpuSeconds() - cpu0;
        return new double[] {done.get() / wall, done.get() / cpu};
    }

    static void inproc(Path dir, double seconds, String label) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> csrs = Files.readAllLines(dir.resolve("csrs.txt"));
        List<byte[]> ders =
                csrs.stream().map(s -> Base64.getDecoder().decode(s)).toList();
        Path store = Files.createTempDirectory("svid-bench");
        Clock clock = Clock.systemUTC();
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        List<Row> rows = new ArrayList<>();
        try (Database db = Database.open(DbUrl.sqlite(store.resolve("w.db")))) {
            CertificateAuthority ca = new CertificateAuthority(
                    CaConfig.selfSigned("bench.example"), db, SecretBox.of(kek), new AuditLog(db, clock), clock);
            Op issue = i -> {
                Csr c = Csr.parse(csrs.get(i & 255));
                ca.issue(c.publicKey(), "spiffe://bench.example/ns/payments/sa/api", List.of(), Duration.ofHours(1));
            };
            KeyPair k = p256();
            byte[] tbs = Arrays.copyOf(ders.get(0), 300);
            Signature s0 = Signature.getInstance("SHA256withECDSA");
            s0.initSign(k.getPrivate());
            s0.update(tbs);
            byte[] sig = s0.sign();
            Op raw = i -> {
                Signature v = Signature.getInstance("SHA256withECDSA");
                v.initVerify(k.getPublic());
                v.update(tbs);
                if (!v.verify(sig)) {
                    throw new IllegalStateException("bad signature");
                }
                Signature s = Signature.getInstance("SHA256withECDSA");
                s.initSign(k.getPrivate());
                s.update(tbs);
                s.sign();
            };
            // Warm up by count, then measure the bound and the issuance side by side (A B A B).
            long warm = 0;
            long warmEnd = System.nanoTime() + 60_000_000_000L;
            while (warm < 4_000 && System.nanoTime() < warmEnd) {
                warm += (long) rate(cores, 1, issue)[0];
                warm += (long) rate(cores, 0.5, raw)[0] / 2;
            }
            double[][] a = new double[2][];
            double[][] b = new double[2][];
            for (int round = 0; round < 2; round++) {
                a[round] = rate(cores, seconds / 4, raw);
                b[round] = rate(cores, seconds / 4, issue);
            }
            double rawWall = (a[0][0] + a[1][0]) / 2;
            double rawCpu = (a[0][1] + a[1][1]) / 2 * cores;
            double issueWall = (b[0][0] + b[1][0]) / 2;
            double issueCpu = (b[0][1] + b[1][1]) / 2 * cores;
            rows.add(row(label, "raw bound: P-256 verify + sign, " + cores + " threads", rawWall, rawCpu, ""));
            rows.add(row(
                    label,
                    "in-process: CSR parse + verify + issue leaf, " + cores + " threads",
                    issueWall,
                    issueCpu,
                    String.format(Locale.ROOT, "%.0f%% of raw bound", 100 * issueCpu / rawCpu)));
        }
        Row.append(dir.resolve("results.tsv"), rows);
        System.out.print(Row.table(HEADER, rows));
    }

    static Row row(String label, String what, double wall, double perCpu, String note) {
        return Row.of(
                label,
                what,
                String.format(Locale.ROOT, "%,.0f/s", wall),
                String.format(Locale.ROOT, "%,.0f/s", perCpu),
                note);
    }

    static void http(Path dir, int port, long pid, double seconds, String label) throws Exception {
        List<String> tokens = Files.readAllLines(dir.resolve("tokens.txt"));
        List<String> csrs = Files.readAllLines(dir.resolve("csrs.txt"));
        waitReady(port);
        Driver d = new Driver(port, tokens, csrs);
        int conns = 16;
        long warmed = 0;
        long warmEnd = System.nanoTime() + 90_000_000_000L;
        while (warmed < 3_000 && System.nanoTime() < warmEnd && d.remaining() > tokens.size() / 2) {
            long[] r = d.run(conns, 3);
            warmed += r[0];
            if (r[1] > 0) {
                throw new IllegalStateException("warm-up: " + r[1] + " errors, first: " + d.firstError);
            }
        }
        double cpu0 = Machine.cpuSeconds(pid);
        long t0 = System.nanoTime();
        long[] r = d.run(conns, Math.min(seconds, d.remaining() / 400.0));
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = Machine.cpuSeconds(pid) - cpu0;
        int cores = Runtime.getRuntime().availableProcessors();
        long[] lat = d.latencies();
        String note = String.format(
                Locale.ROOT,
                "%d requests, %d errors, p50 %.1f ms, p99 %.1f ms, warm-up %d",
                r[0],
                r[1],
                pct(lat, 50),
                pct(lat, 99),
                warmed);
        Row line = row(
                label,
                "HTTP POST /v1/svid/x509, " + conns + " conns (server CPU estimate)",
                r[0] / wall,
                r[0] / cpu * cores,
                note);
        Row.append(dir.resolve("results.tsv"), List.of(line));
        System.out.print(Row.table(HEADER, List.of(line)));
        if (r[1] > 0) {
            System.out.println("first error: " + d.firstError);
        }
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1000.0;
    }

    static void waitReady(int port) throws Exception {
        long end = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < end) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                Thread.sleep(300);
            }
        }
        throw new IllegalStateException("server did not start on port " + port);
    }

    /** Keep-alive HTTP/1.1 connections posting SVID requests, each with the next unused subject token. */
    static final class Driver {
        final int port;
        final List<String> tokens;
        final List<String> csrs;
        final AtomicInteger next = new AtomicInteger();
        final List<long[]> lat = Collections.synchronizedList(new ArrayList<>());
        volatile String firstError;

        Driver(int port, List<String> tokens, List<String> csrs) {
            this.port = port;
            this.tokens = tokens;
            this.csrs = csrs;
        }

        int remaining() {
            return tokens.size() - next.get();
        }

        long[] latencies() {
            long[] all = lat.stream().flatMapToLong(Arrays::stream).toArray();
            Arrays.sort(all);
            return all;
        }

        /** Returns {requests, errors}. */
        long[] run(int conns, double seconds) throws InterruptedException {
            lat.clear();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            AtomicLong done = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            List<Thread> ts = new ArrayList<>();
            for (int c = 0; c < conns; c++) {
                Thread t = new Thread(() -> {
                    long[] mine = new long[1 << 15];
                    int n = 0;
                    try (Socket s = new Socket()) {
                        s.setTcpNoDelay(true);
                        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                        s.setSoTimeout(30_000);
                        OutputStream out = s.getOutputStream();
                        InputStream in = new BufferedInputStream(s.getInputStream(), 16384);
                        while (System.nanoTime() < end) {
                            int i = next.getAndIncrement();
                            if (i >= tokens.size()) {
                                break;
                            }
                            String body = "{\"subject_token\":\"" + tokens.get(i) + "\",\"csr\":\"" + csrs.get(i & 255)
                                    + "\"}";
                            String head =
                                    "POST /v1/svid/x509 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                                            + body.length() + "\r\n\r\n";
                            long t0 = System.nanoTime();
                            out.write((head + body).getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            int status = readResponse(in);
                            if (n < mine.length) {
                                mine[n++] = (System.nanoTime() - t0) / 1000;
                            }
                            done.incrementAndGet();
                            if (status != 200 && errors.incrementAndGet() == 1) {
                                firstError = "HTTP " + status;
                            }
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                        firstError = e.toString();
                    }
                    lat.add(Arrays.copyOf(mine, n));
                });
                t.setDaemon(true);
                ts.add(t);
                t.start();
            }
            for (Thread t : ts) {
                t.join();
            }
            return new long[] {done.get(), errors.get()};
        }

        static int readResponse(InputStream in) throws IOException {
            String status = line(in);
            if (status == null) {
                throw new IOException("connection closed");
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                String name = h.substring(0, colon).trim();
                String value = h.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                while (true) {
                    long size = Long.parseLong(line(in).trim(), 16);
                    in.readNBytes((int) size);
                    line(in);
                    if (size == 0) {
                        break;
                    }
                }
            } else if (length > 0) {
                in.readNBytes((int) length);
            }
            return code;
        }

        static String line(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder(64);
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    int len = b.length();
                    return len > 0 && b.charAt(len - 1) == '\r' ? b.substring(0, len - 1) : b.toString();
                }
                b.append((char) c);
            }
            return b.length() == 0 ? null : b.toString();
        }
    }
}
