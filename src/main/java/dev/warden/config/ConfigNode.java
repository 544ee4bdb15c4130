package dev.warden.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One section of {@code warden.yaml} with typed, validating accessors. Every error names the file
 * and the full key ({@code warden.yaml: broker.attestors[1].issuer: is required}); unknown keys are
 * errors too, so a typo never silently falls back to a default. Relative paths resolve against the
 * configuration file's directory.
 */
public final class ConfigNode {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private final String file;
    private final Path baseDir;
    private final String path;
    private final JsonNode node;

    public ConfigNode(String file, Path baseDir, String path, JsonNode node) {
        this.file = file;
        this.baseDir = baseDir;
        this.path = path;
        this.node = node == null ? MissingNode.getInstance() : node;
    }

    /** An empty section (no configuration file). */
    public static ConfigNode empty(String path) {
        return new ConfigNode("warden.yaml", Path.of("."), path, MissingNode.getInstance());
    }

    public String key() {
        return path;
    }

    public boolean isPresent() {
        return !node.isMissingNode() && !node.isNull();
    }

    public boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    public ConfigException error(String message) {
        return new ConfigException(file + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }

    public ConfigException error(String key, String message) {
        return new ConfigException(file + ": " + childPath(key) + ": " + message);
    }

    private String childPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public ConfigNode child(String key) {
        JsonNode v = node.get(key);
        if (v != null && !v.isNull() && !v.isObject()) {
            throw new ConfigNode(file, baseDir, childPath(key), v).error("must be a mapping");
        }
        return new ConfigNode(file, baseDir, childPath(key), v);
    }

    /** Fails on any key not in {@code allowed}. */
    public ConfigNode allowOnly(Set<String> allowed) {
        if (!isPresent()) {
            return this;
        }
        if (!node.isObject()) {
            throw error("must be a mapping");
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!allowed.contains(n)) {
                throw error(n, "unknown key (allowed here: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
        return this;
    }

    public String string(String key) {
        String v = optString(key, null);
        if (v == null) {
            throw error(key, "is required");
        }
        return v;
    }

    public String optString(String key, String fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
            throw error(key, "must be a string");
        }
        String s = v.asText().strip();
        if (s.isEmpty()) {
            throw error(key, "must not be empty");
        }
        return s;
    }

    public List<String> strings(String key, boolean required) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw error(key, "is required");
            }
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            out.add(v.asText().strip());
        } else if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                JsonNode e = v.get(i);
                if (!e.isTextual() || e.asText().isBlank()) {
                    throw error(key + "[" + i + "]", "must be a non-empty string");
                }
                out.add(e.asText().strip());
            }
        } else {
            throw error(key, "must be a string or a list of strings");
        }
        if (required && out.isEmpty()) {
            throw error(key, "must name at least one value");
        }
        return out;
    }

    public List<ConfigNode> list(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw error(key, "must be a list");
        }
        List<ConfigNode> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isObject()) {
                throw error(key + "[" + i + "]", "must be a mapping");
            }
            out.add(new ConfigNode(file, baseDir, childPath(key) + "[" + i + "]", v.get(i)));
        }
        return out;
    }

    public Duration duration(String key, Duration fallback) {
        String s = optString(key, null);
        if (s == null) {
            return fallback;
        }
        return parseDuration(s).orElseThrow(() -> error(key, "must be a duration such as 30s, 5m, 1h or 7d"));
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}. */
    public static Optional<Duration> parseDuration(String s) {
        Matcher m = DURATION.matcher(s.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(
                switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
    }

    public int integer(String key, int fallback, int min, int max) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            throw error(key, "must be an integer between " + min + " and " + max);
        }
        return v.asInt();
    }

    public boolean bool(String key, boolean fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw error(key, "must be true or false");
        }
        return v.asBoolean();
    }

    /** A file path, resolved against the configuration file's directory. */
    public Path path(String key) {
        String s = optString(key, null);
        return s == null ? null : baseDir.resolve(s).normalize();
    }

    public URI uri(String key) {
        String s = optString(key, null);
        if (s == null) {
            return null;
        }
        try {
            URI u = new URI(s);
            if (!u.isAbsolute() || u.getHost() == null) {
                throw error(key, "must be an absolute URL");
            }
            return u;
        } catch (URISyntaxException e) {
            throw error(key, "is not a valid URL");
        }
    }
}
