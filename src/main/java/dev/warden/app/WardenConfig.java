package dev.warden.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.broker.BrokerConfig;
import dev.warden.config.ConfigException;
import dev.warden.config.ConfigNode;
import dev.warden.http.TlsConfig;
import dev.warden.input.InputException;
import dev.warden.input.SafeParsers;
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
            root = SafeParsers.document(name, Files.readAllBytes(file), MAX_BYTES);
        } catch (InputException e) {
            throw new ConfigException(e.getMessage());
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
}
