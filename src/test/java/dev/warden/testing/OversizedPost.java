package dev.warden.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * POSTs a body larger than the server accepts, over a plain socket, and reads the answer reliably.
 *
 * <p>Warden refuses an oversized body from its Content-Length, before reading it, and closes the
 * connection. A client that is still sending the body then gets a reset and loses the 413 (the JDK
 * client reports "header parser received no bytes"), so such tests failed now and then. This client
 * sends the headers, waits for an early answer, and sends the body only when none came — what
 * {@code Expect: 100-continue} is for, which the JDK 17 client cannot do when the answer is final
 * (JDK-8286171: it waits forever).
 */
public final class OversizedPost {
    private static final long EARLY_ANSWER_WAIT_MS = 3_000;

    private OversizedPost() {}

    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    public static Response post(URI uri, Map<String, String> headers, byte[] body) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            StringBuilder h = new StringBuilder("POST " + uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " HTTP/1.1\r\n");
            h.append("Host: ")
                    .append(uri.getHost())
                    .append(':')
                    .append(uri.getPort())
                    .append("\r\n");
            h.append("Content-Length: ").append(body.length).append("\r\n");
            h.append("Connection: close\r\n");
            headers.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
            h.append("\r\n");
            out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            long deadline = System.nanoTime() + EARLY_ANSWER_WAIT_MS * 1_000_000;
            while (in.available() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            if (in.available() == 0) {
                try {
                    out.write(body);
                    out.flush();
                } catch (IOException refusedWhileSending) {
                    // the answer, if any, is read below
                }
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            in.transferTo(all);
        } catch (IOException resetAfterTheAnswer) {
            // a reset after the answer arrived: keep what was read
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no HTTP answer: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
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
        String rest = text.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            StringBuilder b = new StringBuilder();
            int p = 0;
            while (p < rest.length()) {
                int eol = rest.indexOf("\r\n", p);
                int size = Integer.parseInt(rest.substring(p, eol).split(";")[0].strip(), 16);
                if (size == 0) {
                    break;
                }
                b.append(rest, eol + 2, eol + 2 + size);
                p = eol + 2 + size + 2;
            }
            rest = b.toString();
        }
        byte[] raw = rest.getBytes(StandardCharsets.ISO_8859_1);
        return new Response(status, headers, new String(raw, StandardCharsets.UTF_8));
    }
}
