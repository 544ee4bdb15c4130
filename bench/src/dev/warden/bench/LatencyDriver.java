package dev.warden.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Drives GET requests at a running server over one keep-alive HTTP/1.1 connection, one request at a
 * time, and records each request's latency (send to last body byte). Shapes are interleaved round
 * robin so that noise from a shared machine falls on every shape alike.
 */
final class LatencyDriver {
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final ObjectMapper mapper = new ObjectMapper();
    private final String base;
    private final String token;

    LatencyDriver(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    /** One request shape: a label and the path with its query. */
    static final class Shape {
        final String label;
        final String group;
        String path;
        long[] nanos = new long[0];
        int count;
        int rows = -1;
        /** A shape that scans the table by design (substring search): sampled a tenth as often. */
        boolean scan;
        /**
         * CPU time the whole JVM (client, server and SQLite) spent over the recorded requests: unlike
         * latency, it hardly moves when other processes load the machine. PostgreSQL's own CPU is not in it.
         */
        long cpuNanos;

        Shape(String group, String label, String path) {
            this.group = group;
            this.label = label;
            this.path = path;
        }

        long percentile(double p) {
            long[] sorted = Arrays.copyOf(nanos, count);
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(p / 100.0 * count);
            return sorted[Math.max(0, Math.min(count - 1, rank - 1))];
        }

        long max() {
            long m = 0;
            for (int i = 0; i < count; i++) {
                m = Math.max(m, nanos[i]);
            }
            return m;
        }
    }

    /** A path with its query parameters URL-encoded. */
    static String path(String route, String... keyValues) {
        StringBuilder b = new StringBuilder(route);
        for (int i = 0; i < keyValues.length; i += 2) {
            b.append(i == 0 ? '?' : '&')
                    .append(keyValues[i])
                    .append('=')
                    .append(URLEncoder.encode(keyValues[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    /** The body of one GET, which must answer 200. */
    JsonNode get(String path) {
        HttpResponse<byte[]> res = send(path);
        try {
            return mapper.readTree(res.body());
        } catch (IOException e) {
            throw new UncheckedIOException("bad JSON from " + path, e);
        }
    }

    /**
     * Runs {@code warmupRounds} unrecorded rounds, then {@code samples} recorded rounds, over every
     * shape (a tenth of that for a {@link Shape#scan} shape, so that it does not dominate the run).
     */
    void run(List<Shape> shapes, int warmupRounds, int samples) {
        for (Shape s : shapes) {
            s.nanos = new long[s.scan ? Math.max(10, samples / 10) : samples];
            s.count = 0;
            s.cpuNanos = 0;
            JsonNode first = get(s.path);
            JsonNode items = first.get("items");
            s.rows = items != null ? items.size() : -1;
        }
        for (int round = 0; round < warmupRounds; round++) {
            for (Shape s : shapes) {
                if (!s.scan || round < 2) {
                    send(s.path);
                }
            }
        }
        for (int round = 0; round < samples; round++) {
            for (Shape s : shapes) {
                if (s.count < s.nanos.length) {
                    long c0 = CPU.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    send(s.path);
                    s.nanos[s.count++] = System.nanoTime() - t0;
                    s.cpuNanos += CPU.getProcessCpuTime() - c0;
                }
            }
        }
    }

    private HttpResponse<byte[]> send(String path) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(120))
                .GET()
                .build();
        HttpResponse<byte[]> res;
        try {
            res = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (res.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + res.statusCode() + ": "
                    + new String(res.body(), StandardCharsets.UTF_8));
        }
        return res;
    }
}
