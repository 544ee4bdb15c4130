package dev.warden.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.warden.config.Version;
import dev.warden.input.ParseErrors;
import java.io.IOException;
import java.io.InputStream;

/** The OpenAPI 3.1 document (src/main/resources/openapi.yaml), served as JSON at /openapi.json. */
final class OpenApi {
    private OpenApi() {}

    static String load(ObjectMapper json) {
        try (InputStream in = OpenApi.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the jar");
            }
            JsonNode doc = ParseErrors.quiet(new YAMLMapper()).readTree(in);
            ((ObjectNode) doc.get("info")).put("version", Version.current());
            return json.writeValueAsString(doc);
        } catch (IOException e) {
            throw new IllegalStateException("openapi.yaml cannot be read", e);
        }
    }
}
