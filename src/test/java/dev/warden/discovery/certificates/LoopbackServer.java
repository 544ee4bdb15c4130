package dev.warden.discovery.certificates;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A real server on a loopback port for endpoint tests: a TLS server presenting a generated chain
 * (recording the SNI it was asked for and any bytes sent after the handshake), a plain-TCP server
 * that greets like SSH, or a server that accepts and says nothing.
 */
final class LoopbackServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread thread;
    final List<String> sniNames = new CopyOnWriteArrayList<>();
    final List<Integer> bytesAfterHandshake = new CopyOnWriteArrayList<>();

    private interface Handler {
        void handle(LoopbackServer server, Socket s) throws IOException;
    }

    private LoopbackServer(ServerSocket socket, Handler handler) {
        this.socket = socket;
        this.thread = new Thread(() -> {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    s.setSoTimeout(10_000);
                    handler.handle(this, s);
                } catch (IOException | RuntimeException e) {
                    // the client went away or the server was closed; serve the next one
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    static LoopbackServer tls(PrivateKey key, boolean needClientAuth, X509Certificate... chain) {
        try {
            char[] pw = "server".toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key, pw, chain);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            SSLServerSocket server = (SSLServerSocket)
                    ctx.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress());
            server.setNeedClientAuth(needClientAuth);
            return new LoopbackServer(server, (self, s) -> {
                SSLSocket ssl = (SSLSocket) s;
                ssl.startHandshake();
                List<SNIServerName> names = ((ExtendedSSLSession) ssl.getSession()).getRequestedServerNames();
                for (SNIServerName n : names) {
                    self.sniNames.add(((SNIHostName) n).getAsciiName());
                }
                if (names.isEmpty()) {
                    self.sniNames.add("");
                }
                self.bytesAfterHandshake.add(drain(ssl.getInputStream()).length);
            });
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers every connection with an SSH banner, as a non-TLS service would. */
    static LoopbackServer plain() {
        return new LoopbackServer(bind(), (self, s) -> {
            s.getOutputStream().write("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            drain(s.getInputStream());
        });
    }

    /** Accepts and never answers. */
    static LoopbackServer silent() {
        return new LoopbackServer(bind(), (self, s) -> drain(s.getInputStream()));
    }

    /** Accepts, answers with {@code bytes}, and waits for the client to go. */
    static LoopbackServer answering(byte[] bytes) {
        return new LoopbackServer(bind(), (self, s) -> {
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            drain(s.getInputStream());
        });
    }

    /** A port nothing listens on (bound, then closed). */
    static int closedPort() {
        try (ServerSocket s = bind()) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ServerSocket bind() {
        try {
            return new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] drain(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // the peer closed, with or without close_notify
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        try {
            socket.close();
            thread.join(5_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
