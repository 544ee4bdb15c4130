package dev.warden.scan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.config.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link Report} as Warden's JSON or as SARIF 2.1.0 (validated against the OASIS schema in
 * tests; accepted by code-scanning UIs: rules with {@code security-severity}, relative URIs under
 * {@code %SRCROOT%}, {@code partialFingerprints}). The secret appears only when {@code reveal} is set.
 */
public final class ReportWriter {
    /** Where the SARIF schema lives. */
    public static final String SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private static final ObjectMapper MAPPER = Json.mapper();

    private ReportWriter() {}

    public static String json(Report r, boolean reveal) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("tool", "warden");
        doc.put("version", r.version());
        doc.put("mode", r.mode());
        doc.set("targets", MAPPER.valueToTree(r.targets()));
        doc.put("startedAt", r.startedAt().toString());
        doc.put("finishedAt", r.finishedAt().toString());
        doc.put("fingerprintKey", r.fingerprintKey());
        ObjectNode summary = MAPPER.valueToTree(r.summary());
        summary.put("findings", r.hits().size());
        doc.set("summary", summary);
        ArrayNode findings = doc.putArray("findings");
        for (Hit h : r.hits()) {
            ObjectNode n = MAPPER.valueToTree(h);
            if (reveal && h.secret() != null) {
                n.put("secret", h.secret());
            }
            findings.add(n);
        }
        return write(doc);
    }

    public static String sarif(Report r, boolean reveal, Path srcRoot) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("$schema", SARIF_SCHEMA);
        doc.put("version", "2.1.0");
        ObjectNode run = doc.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "warden");
        driver.put("fullName", "Warden secret scanner");
        driver.put("version", r.version());
        ArrayNode rules = driver.putArray("rules");
        Map<String, Integer> index = new HashMap<>();
        for (Rule rule : r.rules()) {
            index.put(rule.id(), index.size());
            ObjectNode d = rules.addObject();
            d.put("id", rule.id());
            d.put("name", camel(rule.id()));
            d.putObject("shortDescription").put("text", rule.description().isEmpty() ? rule.id() : rule.description());
            d.putObject("defaultConfiguration").put("level", rule.severity().sarifLevel());
            d.putObject("help")
                    .put(
                            "text",
                            "Remove the secret from the file and its history, rotate it, and load it "
                                    + "from a secret manager or the environment. If it is not a secret, mark the line with "
                                    + "'warden:allow' or add it to the baseline.");
            ObjectNode props = d.putObject("properties");
            props.putArray("tags").add("security").add("secret").add("external/owasp-nhi/nhi2");
            props.put(
                    "security-severity",
                    String.format(Locale.ROOT, "%.1f", rule.severity().score()));
            props.put("precision", rule.priority() >= 80 ? "high" : "medium");
        }
        if (srcRoot != null) {
            run.putObject("originalUriBaseIds")
                    .putObject("%SRCROOT%")
                    .put("uri", srcRoot.toAbsolutePath().normalize().toUri().toString());
        }
        ArrayNode results = run.putArray("results");
        for (Hit h : r.hits()) {
            ObjectNode res = results.addObject();
            res.put("ruleId", h.rule());
            Integer i = index.get(h.rule());
            if (i != null) {
                res.put("ruleIndex", i);
            }
            res.put("level", h.severity().sarifLevel());
            String text = (h.description() == null || h.description().isEmpty() ? h.rule() : h.description())
                    + " found: " + (reveal && h.secret() != null ? h.secret() : h.redacted())
                    + (h.commit() != null ? " (introduced in commit " + h.commit() + ")" : "");
            res.putObject("message").put("text", text);
            ObjectNode phys = res.putArray("locations").addObject().putObject("physicalLocation");
            ObjectNode art = phys.putObject("artifactLocation");
            String uri = uri(h.path());
            art.put("uri", uri);
            if (srcRoot != null && !uri.startsWith("file:")) {
                art.put("uriBaseId", "%SRCROOT%");
            }
            ObjectNode region = phys.putObject("region");
            region.put("startLine", Math.max(1, h.line()));
            region.put("startColumn", Math.max(1, h.column()));
            region.put("endLine", Math.max(h.line(), h.endLine()));
            region.put("endColumn", Math.max(1, h.endColumn()));
            res.putObject("partialFingerprints").put("secretFingerprint/v1", h.fingerprint());
            ObjectNode props = res.putObject("properties");
            props.put("severity", h.severity().value());
            props.put("confidence", h.confidence().value());
            props.put("entropy", h.entropy());
            props.put("fingerprint", h.fingerprint());
            if (h.commit() != null) {
                props.put("commit", h.commit());
                if (h.author() != null) {
                    props.put("author", h.author());
                }
                if (h.date() != null) {
                    props.put("date", h.date().toString());
                }
            }
            if (h.presentAtHead() != null) {
                props.put("presentAtHead", h.presentAtHead());
            }
            if (h.link() != null) {
                props.put("linkType", h.link().type().name().toLowerCase(Locale.ROOT));
                props.put("linkValue", h.link().value());
            }
        }
        ObjectNode inv = run.putArray("invocations").addObject();
        inv.put("executionSuccessful", true);
        inv.put("startTimeUtc", r.startedAt().toString());
        inv.put("endTimeUtc", r.finishedAt().toString());
        run.put("columnKind", "utf16CodeUnits");
        return write(doc);
    }

    /** A relative path as a URI reference (percent-encoded), or an absolute path as a file URI. */
    static String uri(String path) {
        if (path.startsWith("/")) {
            return Path.of(path).toUri().toString();
        }
        try {
            return new URI(null, null, path, null).toASCIIString();
        } catch (URISyntaxException e) {
            return path.replaceAll("[^A-Za-z0-9._~/-]", "_");
        }
    }

    private static String camel(String id) {
        StringBuilder b = new StringBuilder();
        boolean up = true;
        for (char c : id.toCharArray()) {
            if (!Character.isLetterOrDigit(c)) {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    private static String write(ObjectNode doc) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report cannot be written as JSON", e);
        }
    }
}
