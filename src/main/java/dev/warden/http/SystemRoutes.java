package dev.warden.http;

import dev.warden.store.Database;
import java.util.List;
import java.util.Map;

/** Health, readiness, Prometheus metrics and the OpenAPI document: public, no token needed. */
final class SystemRoutes {
    private final Database db;
    private final Metrics metrics;
    private final String openApi;

    SystemRoutes(Database db, Metrics metrics, String openApi) {
        this.db = db;
        this.metrics = metrics;
        this.openApi = openApi;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/healthz", null, ctx -> ctx.json(Map.of("status", "ok"))),
                Route.get("/readyz", null, ctx -> {
                    if (!db.isReady()) {
                        throw new Problem(503, "the store is not reachable");
                    }
                    ctx.json(Map.of("status", "ready"));
                }),
                Route.get(
                        "/metrics",
                        null,
                        ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                                .result(metrics.scrape())),
                Route.get(
                        "/openapi.json",
                        null,
                        ctx -> ctx.contentType("application/json").result(openApi)));
    }
}
