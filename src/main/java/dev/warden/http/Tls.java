package dev.warden.http;

import dev.warden.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The HTTPS listener: a PEM certificate chain and private key (PKCS#8, or PKCS#1/SEC1), TLS 1.2+,
 * and — when x509 attestors are configured — a request for client certificates that chain to their
 * CAs. The certificate chain reaches handlers as the servlet attribute
 * {@code jakarta.servlet.request.X509Certificate}.
 */
final class Tls {
    private Tls() {}

    static ServerConnector connector(
            Server server, HttpConfiguration base, TlsConfig tls, String bind, List<X509Certificate> cas) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keyStore(tls));
        ssl.setKeyStorePassword("");
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        if (!cas.isEmpty()) {
            ssl.setTrustStore(trustStore(cas));
            ssl.setWantClientAuth(true);
        }
        HttpConfiguration https = new HttpConfiguration(base);
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false);
        https.addCustomizer(src);
        ServerConnector c = new ServerConnector(
                server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
        c.setHost(bind);
        c.setPort(tls.port());
        return c;
    }

    private static KeyStore keyStore(TlsConfig tls) {
        try {
            List<X509Certificate> chain;
            try (InputStream in = Files.newInputStream(tls.certificate())) {
                Collection<? extends Certificate> certs =
                        CertificateFactory.getInstance("X.509").generateCertificates(in);
                chain = certs.stream().map(c -> (X509Certificate) c).toList();
            }
            if (chain.isEmpty()) {
                throw new ConfigException("server.tls.certificate: " + tls.certificate() + " holds no certificate");
            }
            PrivateKey key;
            try (Reader r = Files.newBufferedReader(tls.privateKey(), StandardCharsets.US_ASCII);
                    PEMParser pem = new PEMParser(r)) {
                Object o = pem.readObject();
                JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
                if (o instanceof PEMKeyPair kp) {
                    key = conv.getKeyPair(kp).getPrivate();
                } else if (o instanceof PrivateKeyInfo info) {
                    key = conv.getPrivateKey(info);
                } else {
                    throw new ConfigException(
                            "server.tls.privateKey: " + tls.privateKey() + " holds no unencrypted PEM private key");
                }
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("warden", key, new char[0], chain.toArray(new X509Certificate[0]));
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("server.tls: cannot load certificate or key: " + e.getMessage());
        }
    }

    private static KeyStore trustStore(List<X509Certificate> cas) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                ks.setCertificateEntry("ca-" + i, cas.get(i));
            }
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the client CA trust store", e);
        }
    }
}
