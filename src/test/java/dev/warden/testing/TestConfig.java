package dev.warden.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.warden.config.ConfigNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Configuration sections from YAML text, as warden.yaml would give them. */
public final class TestConfig {
    private TestConfig() {}

    public static ConfigNode node(String path, String yaml) {
        try {
            return new ConfigNode(
                    "warden.yaml", Path.of("."), path, new ObjectMapper(new YAMLFactory()).readTree(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
