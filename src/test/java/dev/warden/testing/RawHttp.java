package dev.warden.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Bytes to a server on loopback exactly as given — malformed request lines, repeated headers,
 * bodies shorter than their Content-Length — and one answer read back, framed by its
 * Content-Length, chunked, or the server's close. No HTTP client sends such requests.
 */
public final class RawHttp {
    private RawHttp() {}

    /** An answer: status, headers (lower-case names; a repeated header keeps its last value), body. */
    public record Response(int status, Map<String, String> headers, String body, Duration took) {
        public String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    /**
     * Sends {@code request} to 127.0.0.1:{@code port} and reads one answer; the connection stays open
     * for writing (a declared body is never sent), so an answer that waits for the body times out.
     *
     * @throws IllegalStateException when no complete answer arrives within {@code timeout}
     */
    public static Response send(int port, byte[] request, Duration timeout) {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout((int) timeout.toMillis());
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return read(s.getInputStream(), start);
        } catch (SocketTimeoutException e) {
            throw new IllegalStateException("no answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Response send(int port, String request, Duration timeout) {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1), timeout);
    }

    private static Response read(InputStream in, long start) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) { // the blank line after the headers
            int b = in.read();
            if (b < 0) {
                throw new IOException(
                        "connection closed before an answer: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String length = headers.get("content-length");
        if (length != null) {
            body.write(in.readNBytes(Integer.parseInt(length)));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            while (true) {
                StringBuilder size = new StringBuilder();
                for (int b = in.read(); b != '\n' && b >= 0; b = in.read()) {
                    size.append((char) b);
                }
                int n = Integer.parseInt(size.toString().split(";")[0].strip(), 16);
                if (n == 0) {
                    break;
                }
                body.write(in.readNBytes(n));
                in.readNBytes(2);
            }
        } else if (status >= 200 && status != 204 && status != 304) {
            in.transferTo(body);
        }
        return new Response(
                status, headers, body.toString(StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - start));
    }
}
