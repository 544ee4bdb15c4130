package dev.warden.broker.attest;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an attestor's verification keys come from: a JWKS URL (only the configured one, never a URL
 * a token names) fetched with timeouts, a size limit and caching, or a JWKS file re-read when it
 * changes. A URL is re-fetched every {@code refresh}; an unknown {@code kid} triggers an early
 * fetch at most once per {@link #MIN_REFETCH}, so garbage tokens cannot make Warden hammer the
 * issuer. When a fetch fails the last good keys stay in use (and the failure is logged).
 */
public final class JwksSource {
    /** Largest JWKS document accepted. */
    static final int MAX_BYTES = 256 * 1024;

    static final Duration MIN_REFETCH = Duration.ofSeconds(30);
    private static final Duration FILE_CHECK = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(JwksSource.class);

    private final URI url;
    private final Path file;
    private final String use;
    private final Clock clock;
    private final Duration refresh;
    private final HttpClient http;
    private final Duration timeout;
    private volatile KeySet keys = KeySet.EMPTY;
    private volatile Instant fetchedAt = Instant.MIN;
    private volatile Instant attemptedAt = Instant.MIN;
    private volatile FileTime fileTime;

    private JwksSource(URI url, Path file, String use, Clock clock, Duration refresh, Duration timeout) {
        this.url = url;
        this.file = file;
        this.use = use;
        this.clock = clock;
        this.refresh = refresh;
        this.timeout = timeout;
        this.http = url == null
                ? null
                : HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    /**
     * Keys from {@code url}: https, or http to a loopback address only (tests, sidecars).
     *
     * @throws IllegalArgumentException when the URL is not acceptable
     */
    public static JwksSource url(URI url, String use, Clock clock, Duration refresh, Duration timeout) {
        String scheme = url.getScheme() == null ? "" : url.getScheme();
        if (url.getHost() == null) {
            throw new IllegalArgumentException("must be an absolute https URL");
        }
        if (!scheme.equals("https") && !(scheme.equals("http") && isLoopback(url.getHost()))) {
            throw new IllegalArgumentException("must be an https URL (plain http only to a loopback address)");
        }
        return new JwksSource(url, null, use, clock, refresh, timeout);
    }

    /** Keys from a JWKS file, re-read when its modification time changes. */
    public static JwksSource file(Path file, String use, Clock clock) {
        JwksSource s = new JwksSource(null, file, use, clock, Duration.ZERO, Duration.ZERO);
        s.reloadFile(true);
        return s;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The current keys, fetching or re-reading them when due. */
    public KeySet current() {
        Instant now = clock.instant();
        if (file != null) {
            if (!now.isBefore(attemptedAt.plus(FILE_CHECK))) {
                reloadFile(false);
            }
            return keys;
        }
        if (!now.isBefore(fetchedAt.plus(refresh))) {
            fetch(now, false);
        }
        return keys;
    }

    /** Keys after an early re-fetch (an unknown kid), rate-limited to one per {@link #MIN_REFETCH}. */
    public KeySet refreshed() {
        if (file != null) {
            reloadFile(false);
            return keys;
        }
        fetch(clock.instant(), true);
        return keys;
    }

    private synchronized void fetch(Instant now, boolean early) {
        if (early ? now.isBefore(attemptedAt.plus(MIN_REFETCH)) : now.isBefore(fetchedAt.plus(refresh))) {
            return; // another thread fetched meanwhile, or an early fetch ran recently
        }
        if (!early && now.isBefore(attemptedAt.plus(MIN_REFETCH)) && keys != KeySet.EMPTY) {
            return; // the last attempt failed recently: keep the old keys, do not retry in a loop
        }
        attemptedAt = now;
        try {
            HttpRequest req = HttpRequest.newBuilder(url)
                    .timeout(timeout)
                    .header("Accept", "application/jwk-set+json, application/json")
                    .GET()
                    .build();
            HttpResponse<InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = resp.body()) {
                if (resp.statusCode() != 200) {
                    throw new IOException("HTTP " + resp.statusCode());
                }
                byte[] body = in.readNBytes(MAX_BYTES + 1);
                if (body.length > MAX_BYTES) {
                    throw new IOException("JWKS is larger than " + MAX_BYTES + " bytes");
                }
                keys = KeySet.of(JWKSet.parse(new String(body, StandardCharsets.UTF_8)), use);
                fetchedAt = now;
            }
        } catch (IOException | ParseException | RuntimeException e) {
            LOG.warn("event=jwks_fetch_failed url={} error=\"{}\"", url, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void reloadFile(boolean strict) {
        attemptedAt = clock.instant();
        try {
            FileTime t = Files.getLastModifiedTime(file);
            if (t.equals(fileTime)) {
                return;
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new IOException("JWKS file is larger than " + MAX_BYTES + " bytes");
            }
            keys = KeySet.of(JWKSet.parse(Files.readString(file, StandardCharsets.UTF_8)), use);
            fileTime = t;
        } catch (IOException | ParseException | RuntimeException e) {
            if (strict) {
                throw new IllegalArgumentException("cannot read JWKS file " + file + ": " + e.getMessage(), e);
            }
            LOG.warn("event=jwks_file_failed file={} error=\"{}\"", file, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return url != null ? url.toString() : file.toString();
    }
}
