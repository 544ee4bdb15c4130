package dev.warden.scan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.input.ParseErrors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Secrets a team has accepted (already rotated, test fixtures): a JSON file of HMAC-SHA256
 * fingerprints under the file's own random salt, so it can be committed and shared by CI runs that
 * have no key of their own. Format: {@code {"wardenBaseline": 1, "salt": "<base64>",
 * "fingerprints": ["<hex>", ...]}}. The secrets themselves are not in it.
 */
public final class Baseline {
    private static final ObjectMapper MAPPER = ParseErrors.quiet(new ObjectMapper());

    private final Fingerprinter fingerprinter;
    private final Set<String> fingerprints;

    private Baseline(byte[] salt, Set<String> fingerprints) {
        this.fingerprinter = new Fingerprinter(salt, "baseline");
        this.fingerprints = Set.copyOf(fingerprints);
    }

    /** True when {@code hit}'s secret is in the baseline. */
    public boolean contains(Hit hit) {
        return hit.secret() != null && fingerprints.contains(fingerprint(hit.secret()));
    }

    public int size() {
        return fingerprints.size();
    }

    private String fingerprint(String secret) {
        return fingerprinter.fingerprint(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a baseline; any problem is an IllegalArgumentException naming the file. */
    public static Baseline read(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("baseline " + file + ": no such file");
            }
            if (Files.size(file) > Limits.MAX_BASELINE) {
                throw new IllegalArgumentException(
                        "baseline " + file + ": larger than " + Limits.MAX_BASELINE + " bytes");
            }
            JsonNode doc;
            try (InputStream in = Files.newInputStream(file)) {
                doc = MAPPER.readTree(in);
            }
            if (doc == null || !doc.isObject() || doc.path("wardenBaseline").asInt(0) != 1) {
                throw new IllegalArgumentException(
                        "baseline " + file + ": not a Warden baseline (expected {\"wardenBaseline\": 1, ...})");
            }
            byte[] salt;
            try {
                salt = Base64.getDecoder().decode(doc.path("salt").asText(""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("baseline " + file + ": salt is not base64");
            }
            if (salt.length < Fingerprinter.MIN_KEY) {
                throw new IllegalArgumentException("baseline " + file + ": salt is shorter than 16 bytes");
            }
            JsonNode fps = doc.path("fingerprints");
            if (!fps.isArray()) {
                throw new IllegalArgumentException("baseline " + file + ": fingerprints must be an array");
            }
            Set<String> set = new HashSet<>();
            for (int i = 0; i < fps.size(); i++) {
                String fp = fps.get(i).asText("");
                if (!fp.matches("[0-9a-f]{64}")) {
                    throw new IllegalArgumentException(
                            "baseline " + file + ": fingerprints[" + i + "] is not a 64-character hex fingerprint");
                }
                set.add(fp);
            }
            return new Baseline(salt, set);
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw new IllegalArgumentException("baseline " + file + ": malformed JSON" + at);
        } catch (IOException e) {
            throw new IllegalArgumentException("baseline " + file + ": " + FileScanner.describe(e));
        }
    }

    /** Writes a new baseline (fresh salt) accepting every hit's secret. */
    public static void write(Path file, Collection<Hit> hits) {
        byte[] salt = Fingerprinter.randomKey();
        Baseline b = new Baseline(salt, Set.of());
        Set<String> fps = new TreeSet<>();
        for (Hit h : hits) {
            if (h.secret() != null) {
                fps.add(b.fingerprint(h.secret()));
            }
        }
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("wardenBaseline", 1);
        doc.put("salt", Base64.getEncoder().encodeToString(salt));
        ArrayNode arr = doc.putArray("fingerprints");
        fps.forEach(arr::add);
        try {
            Files.writeString(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write baseline " + file + ": " + FileScanner.describe(e));
        }
    }
}
