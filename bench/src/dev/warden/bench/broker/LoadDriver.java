package dev.warden.bench.broker;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP/1.1 load driver: {@code connections} keep-alive sockets to 127.0.0.1, one thread
 * each, POSTing token-exchange forms, each with the next unused subject token. Closed loop
 * ({@link #maxRate}) sends as fast as answers come; open loop ({@link #fixedRate}) sends on a
 * schedule and measures latency from the scheduled send time, so a stalled server cannot hide
 * its queueing (no coordinated omission). Every non-200 answer is counted as an error.
 */
final class LoadDriver {
    private final int port;
    private final List<String> tokens;
    private final String audience;
    private final AtomicInteger next = new AtomicInteger();

    LoadDriver(int port, List<String> tokens, String audience) {
        this.port = port;
        this.tokens = tokens;
        this.audience = audience;
    }

    /** What a phase measured. */
    record Result(
            long requests, long errors, double seconds, long[] latenciesMicros, boolean ranOut, String firstError) {
        double rate() {
            return requests / seconds;
        }

        double percentileMillis(double p) {
            if (latenciesMicros.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(latenciesMicros.length - 1, Math.ceil(p / 100.0 * latenciesMicros.length) - 1);
            return latenciesMicros[Math.max(0, i)] / 1000.0;
        }
    }

    /** Skips the first {@code n} tokens (used by an earlier run against the same store). */
    void skip(int n) {
        next.addAndGet(n);
    }

    int remaining() {
        return tokens.size() - next.get();
    }

    Result maxRate(int connections, double seconds) throws InterruptedException {
        return run(connections, seconds, 0);
    }

    Result fixedRate(int connections, double seconds, double ratePerSecond) throws InterruptedException {
        return run(connections, seconds, ratePerSecond);
    }

    private Result run(int connections, double seconds, double rate) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        AtomicLong errors = new AtomicLong();
        AtomicLong done = new AtomicLong();
        AtomicInteger ranOut = new AtomicInteger();
        String[] firstError = new String[1];
        List<long[]> perThread = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            long[] lat = new long[1 << 16];
            int[] n = new int[1];
            perThread.add(lat);
            counts.add(n);
            int index = c;
            Thread t = new Thread(
                    () -> {
                        double interval = rate > 0 ? connections * 1e9 / rate : 0;
                        long scheduled = start + (long) (interval * index / connections);
                        try (Socket s = new Socket()) {
                            s.setTcpNoDelay(true);
                            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                            s.setSoTimeout(30_000);
                            OutputStream out = s.getOutputStream();
                            InputStream in = new BufferedInputStream(s.getInputStream(), 16384);
                            while (true) {
                                long now = System.nanoTime();
                                if (rate > 0) {
                                    if (scheduled >= end) {
                                        break;
                                    }
                                    while (now < scheduled) {
                                        long wait = scheduled - now;
                                        if (wait > 200_000) {
                                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                                        } else {
                                            Thread.onSpinWait();
                                        }
                                        now = System.nanoTime();
                                    }
                                } else if (now >= end) {
                                    break;
                                }
                                int i = next.getAndIncrement();
                                if (i >= tokens.size()) {
                                    ranOut.set(1);
                                    break;
                                }
                                long sent = rate > 0 ? scheduled : now;
                                out.write(request(tokens.get(i)));
                                out.flush();
                                int status = readResponse(in);
                                long took = System.nanoTime() - sent;
                                if (status != 200) {
                                    if (errors.incrementAndGet() == 1) {
                                        firstError[0] = "HTTP " + status;
                                    }
                                }
                                if (n[0] < lat.length) {
                                    lat[n[0]++] = took / 1000;
                                }
                                done.incrementAndGet();
                                scheduled += (long) interval;
                            }
                        } catch (IOException e) {
                            errors.incrementAndGet();
                            firstError[0] = e.toString();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "load-" + c);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        double took = (System.nanoTime() - start) / 1e9;
        int total = counts.stream().mapToInt(a -> a[0]).sum();
        long[] all = new long[total];
        int k = 0;
        for (int c = 0; c < perThread.size(); c++) {
            System.arraycopy(perThread.get(c), 0, all, k, counts.get(c)[0]);
            k += counts.get(c)[0];
        }
        Arrays.sort(all);
        return new Result(
                done.get(), errors.get(), Math.min(took, seconds + 0.5), all, ranOut.get() == 1, firstError[0]);
    }

    private byte[] request(String token) {
        String body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"
                + "&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt"
                + "&audience=" + java.net.URLEncoder.encode(audience, StandardCharsets.UTF_8)
                + "&scope=pull&subject_token=" + token;
        String head = "POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                + body.length() + "\r\n\r\n";
        return (head + body).getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads one response (status line, headers, Content-Length or chunked body); returns its status. */
    private static int readResponse(InputStream in) throws IOException {
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
                skip(in, size);
                line(in);
                if (size == 0) {
                    break;
                }
            }
        } else if (length > 0) {
            skip(in, length);
        }
        return code;
    }

    private static void skip(InputStream in, long n) throws IOException {
        while (n > 0) {
            long k = in.skip(n);
            if (k <= 0) {
                if (in.read() < 0) {
                    throw new IOException("truncated body");
                }
                k = 1;
            }
            n -= k;
        }
    }

    private static String line(InputStream in) throws IOException {
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
