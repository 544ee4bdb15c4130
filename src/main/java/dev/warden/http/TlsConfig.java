package dev.warden.http;

import dev.warden.config.ConfigNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code server.tls}: an HTTPS listener (PEM certificate chain and PKCS#8 key), which also asks
 * for client certificates checked against the x509 attestors' CAs.
 */
public record TlsConfig(int port, Path certificate, Path privateKey) {
    public static TlsConfig from(ConfigNode c) {
        if (!c.isPresent()) {
            return null;
        }
        c.allowOnly(Set.of("port", "certificate", "privateKey"));
        Path cert = c.path("certificate");
        Path key = c.path("privateKey");
        if (cert == null) {
            throw c.error("certificate", "is required (PEM certificate chain)");
        }
        if (key == null) {
            throw c.error("privateKey", "is required (PEM PKCS#8 private key)");
        }
        if (!Files.isReadable(cert)) {
            throw c.error("certificate", "cannot read " + cert);
        }
        if (!Files.isReadable(key)) {
            throw c.error("privateKey", "cannot read " + key);
        }
        return new TlsConfig(c.integer("port", 8443, 0, 65535), cert, key);
    }
}
