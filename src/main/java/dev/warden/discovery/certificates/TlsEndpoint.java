package dev.warden.discovery.certificates;

import dev.warden.input.Echo;
import dev.warden.input.Input;
import dev.warden.input.InputException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Reads the certificate chain a TLS endpoint presents ({@code tls://host[:port][?sni=name]}, port
 * 443 by default): connect, handshake, close. Nothing is trusted, verified or sent beyond the
 * handshake: the trust manager only records the chain, and the socket is closed as soon as the
 * handshake ends (or fails after the chain arrived, as when the server demands a client
 * certificate). SNI is the host name unless {@code sni} says otherwise; none for an IP address.
 * A connection and a whole handshake are bounded in time, so a silent or slow server cannot hang
 * an import.
 */
final class TlsEndpoint {
    /** An endpoint to read; {@code scope} is {@code host:port}, with the SNI name when it is not the host. */
    record Target(String name, String host, int port, String sni, String scope) {}

    private TlsEndpoint() {}

    static Target parse(Input in) {
        String url = in.url();
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InputException(in.name() + ": malformed URL (expected tls://host:port)");
        }
        if (!"tls".equalsIgnoreCase(uri.getScheme())) {
            throw new InputException(in.name() + ": the certificates source reads files and tls://host:port endpoints");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank() || uri.getRawUserInfo() != null) {
            throw new InputException(in.name() + ": expected tls://host:port");
        }
        if (uri.getRawPath() != null
                && !uri.getRawPath().isEmpty()
                && !uri.getRawPath().equals("/")) {
            throw new InputException(in.name() + ": a tls:// endpoint has no path (expected tls://host:port)");
        }
        host = host.toLowerCase(Locale.ROOT);
        int port = uri.getPort() == -1 ? 443 : uri.getPort();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        boolean ip = bare.contains(":") || bare.matches("[0-9.]+");
        String sni = ip ? null : bare;
        String query = uri.getRawQuery();
        if (query != null && !query.isEmpty()) {
            if (!query.startsWith("sni=") || query.contains("&")) {
                throw new InputException(in.name() + ": the only parameter of a tls:// endpoint is sni=NAME");
            }
            sni = query.substring(4).toLowerCase(Locale.ROOT);
            try {
                new SNIHostName(sni);
            } catch (IllegalArgumentException e) {
                throw new InputException(in.name() + ": sni '" + Echo.shown(sni) + "' is not a host name");
            }
        }
        String scope = host + ":" + port + (sni != null && !sni.equals(bare) ? "?sni=" + sni : "");
        return new Target(in.name(), bare, port, sni, scope);
    }

    /** The presented chain, leaf first. */
    static List<X509Certificate> chain(Target t, Duration connectTimeout, Duration handshakeTimeout) {
        Recorder recorder = new Recorder();
        SSLContext ctx;
        try {
            ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {recorder}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicBoolean timedOut = new AtomicBoolean();
        try (Socket raw = new Socket()) {
            try {
                raw.connect(new InetSocketAddress(t.host(), t.port()), (int) connectTimeout.toMillis());
            } catch (IOException e) {
                throw new InputException(t.name() + ": cannot connect: " + connectProblem(e, connectTimeout));
            }
            raw.setSoTimeout((int) handshakeTimeout.toMillis());
            CompletableFuture.delayedExecutor(handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> {
                        if (!done.get()) {
                            timedOut.set(true);
                            closeQuietly(raw);
                        }
                    });
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, t.host(), t.port(), true)) {
                SSLParameters p = s.getSSLParameters();
                p.setServerNames(t.sni() == null ? List.of() : List.of(new SNIHostName(t.sni())));
                p.setEndpointIdentificationAlgorithm(null);
                s.setSSLParameters(p);
                s.startHandshake();
            } catch (IOException e) {
                if (recorder.chain == null) {
                    throw new InputException(t.name() + ": "
                            + handshakeProblem(
                                    e, timedOut.get() || e instanceof SocketTimeoutException, handshakeTimeout));
                }
                // the chain arrived before the handshake failed (a client certificate was required, ...)
            } finally {
                done.set(true);
            }
        } catch (IOException e) {
            // closing a socket we only read from: nothing to report
        }
        if (recorder.chain == null || recorder.chain.length == 0) {
            throw new InputException(t.name() + ": the TLS server presented no certificate");
        }
        return List.of(recorder.chain);
    }

    private static String connectProblem(IOException e, Duration timeout) {
        if (e instanceof UnknownHostException) {
            return "unknown host";
        }
        if (e instanceof SocketTimeoutException) {
            return "no connection within " + seconds(timeout);
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return "connection refused or unreachable";
        }
        return CertificateFiles.reason(e);
    }

    private static String handshakeProblem(IOException e, boolean timedOut, Duration timeout) {
        if (timedOut) {
            return "no TLS handshake within " + seconds(timeout) + " (not a TLS endpoint?)";
        }
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("unrecognized ssl message") || m.contains("plaintext connection")) {
            return "not a TLS endpoint (the server did not answer with TLS)";
        }
        if (e instanceof EOFException || m.contains("terminated the handshake") || m.contains("connection reset")) {
            return "the server closed the connection during the TLS handshake (not TLS, or no protocol version or"
                    + " cipher in common)";
        }
        return "TLS handshake failed: " + CertificateFiles.reason(e);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /**
     * Records the server's chain and accepts it: used only to read what is presented, never to
     * decide whether to trust a peer (nothing is sent over this connection).
     */
    private static final class Recorder extends X509ExtendedTrustManager {
        volatile X509Certificate[] chain;

        @Override
        public void checkServerTrusted(X509Certificate[] presented, String authType, Socket socket) {
            chain = presented.clone();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] presented, String authType, SSLEngine engine) {
            chain = presented.clone();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] presented, String authType) {
            chain = presented.clone();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] presented, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("this trust manager only reads server chains");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] presented, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("this trust manager only reads server chains");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] presented, String authType) throws CertificateException {
            throw new CertificateException("this trust manager only reads server chains");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
