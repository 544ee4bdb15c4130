package dev.warden.app;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.warden.broker.BrokerConfig;
import dev.warden.config.ConfigException;
import dev.warden.config.ConfigNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code warden.yaml}, read and validated eagerly at start ({@code warden serve --config FILE}):
 * every error names the file and the key, unknown keys are errors, and the result is frozen.
 * Without a file every section takes its defaults (the broker is off). See docs/broker.md.
 */
public record WardenConfig(Path file, BrokerConfig broker, TlsConfig tls) {
    static final long MAX_BYTES = 1024 * 1024;
    private static final Set<String> KEYS = Set.of("broker", "server");

    public static WardenConfig none() {
        return new WardenConfig(null, null, null);
    }

    /** Reads and validates {@code file}. */
    public static WardenConfig load(Path file) {
        return load(file, System::getenv);
    }

    /** Reads and validates {@code file}, looking up the environment variables it names with {@code env}. */
    public static WardenConfig load(Path file, java.util.function.Function<String, String> env) {
        String name = file.toString();
        JsonNode root;
        try {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(name + ": configuration file not found");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException(name + ": configuration file is larger than 1 MiB");
            }
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
            yaml.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            root = yaml.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr() + ": ";
            String msg = e.getOriginalMessage() == null ? "invalid YAML" : e.getOriginalMessage();
            throw new ConfigException(
                    name + ":" + where + msg.lines().findFirst().orElse(msg));
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot read: " + e.getMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        ConfigNode top = new ConfigNode(name, base, "", root);
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new WardenConfig(file, null, null);
        }
        if (!root.isObject()) {
            throw top.error("the file must be a mapping of sections (broker, server)");
        }
        top.allowOnly(KEYS);
        ConfigNode server = top.child("server").allowOnly(Set.of("tls"));
        return new WardenConfig(file, BrokerConfig.from(top.child("broker"), env), TlsConfig.from(server.child("tls")));
    }

    /**
     * {@code server.tls}: an HTTPS listener (PEM certificate chain and PKCS#8 key), which also asks
     * for client certificates checked against the x509 attestors' CAs.
     */
    public record TlsConfig(int port, Path certificate, Path privateKey) {
        static TlsConfig from(ConfigNode c) {
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
}
