package dev.warden.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.app.StoreLocation;
import dev.warden.app.Warden;
import dev.warden.store.DbUrl;
import dev.warden.testing.Fixtures;
import dev.warden.testing.TestClock;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document describes exactly the routes the server registers. */
class OpenApiTest {
    @TempDir
    Path dir;

    @Test
    void every_route_is_documented_and_every_documented_route_exists() throws Exception {
        try (Warden w =
                Warden.open(new StoreLocation(dir, DbUrl.sqlite(dir.resolve("w.db"))), new TestClock(Fixtures.T0))) {
            HttpServer server = new HttpServer(w.db(), w.inventory(), w.tokens(), w.audit(), w.scans(), w.clock());
            JsonNode doc = new ObjectMapper().readTree(OpenApi.load(new ObjectMapper()));
            assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");

            Set<String> served = new HashSet<>();
            for (Route r : server.routes()) {
                served.add(r.method().name().toLowerCase(Locale.ROOT) + " " + r.path());
            }
            Set<String> documented = new HashSet<>();
            Iterator<String> paths = doc.get("paths").fieldNames();
            while (paths.hasNext()) {
                String path = paths.next();
                doc.get("paths").get(path).fieldNames().forEachRemaining(method -> documented.add(method + " " + path));
            }
            assertThat(documented).containsExactlyInAnyOrderElementsOf(served);
        }
    }

    @Test
    void protected_routes_document_401_and_public_routes_declare_no_security() throws Exception {
        try (Warden w =
                Warden.open(new StoreLocation(dir, DbUrl.sqlite(dir.resolve("w.db"))), new TestClock(Fixtures.T0))) {
            HttpServer server = new HttpServer(w.db(), w.inventory(), w.tokens(), w.audit(), w.scans(), w.clock());
            JsonNode doc = new ObjectMapper().readTree(OpenApi.load(new ObjectMapper()));
            for (Route r : server.routes()) {
                JsonNode op =
                        doc.get("paths").get(r.path()).get(r.method().name().toLowerCase(Locale.ROOT));
                if (r.permission() == null) {
                    assertThat(op.get("security")).as(r.path()).isNotNull().isEmpty();
                } else {
                    assertThat(op.get("security")).as(r.path()).isNull();
                    assertThat(op.get("responses").has("401"))
                            .as(r.path() + " documents 401")
                            .isTrue();
                }
            }
        }
    }
}
