package dev.warden.http;

import dev.warden.auth.Role.Permission;
import dev.warden.input.Echo;
import dev.warden.usage.Ingester;
import dev.warden.usage.UsageOptions;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/usage}: ingest activity logs (a body, gzip or not, or a multipart upload; {@code
 * ?cluster=} names the cluster of a Kubernetes audit log), list ingestions, and list the principals
 * the logs show that no import holds ({@code /v1/usage/unmatched}).
 */
final class UsageRoutes {
    private final Ingester ingester;

    UsageRoutes(Ingester ingester) {
        this.ingester = ingester;
    }

    List<Route> routes() {
        return List.of(
                Route.post("/v1/usage/{format}", Permission.WRITE_INVENTORY, this::ingest),
                Route.get("/v1/usage/ingests", Permission.READ_INVENTORY, ctx -> {
                    Params.allowOnly(ctx, Set.of("limit"));
                    ctx.json(Map.of("items", ingester.runs(Params.intParam(ctx, "limit", 50, 1, 1000))));
                }),
                Route.get("/v1/usage/unmatched", Permission.READ_INVENTORY, ctx -> {
                    Params.allowOnly(ctx, Set.of("limit"));
                    ctx.json(Map.of(
                            "items",
                            ingester.store().unmatched(ingester.now(), Params.intParam(ctx, "limit", 100, 1, 10_000))));
                }));
    }

    private void ingest(Context ctx) {
        Params.allowOnly(ctx, Set.of("cluster"));
        String format = ctx.pathParam("format");
        if (ingester.parsers().get(format).isEmpty()) {
            throw Problem.notFound("unknown log format '" + Echo.shown(format) + "' (known: "
                    + String.join(
                            ", ",
                            ingester.parsers().all().stream().map(p -> p.name()).toList()) + ")");
        }
        if (HttpServer.declaredLength(ctx) > ImportRoutes.MAX_IMPORT) {
            throw new Problem(413, "body exceeds " + ImportRoutes.MAX_IMPORT + " bytes");
        }
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        boolean gzip = type.contains("gzip") || "gzip".equalsIgnoreCase(ctx.header("Content-Encoding"));
        String extension =
                (type.contains("x-ndjson") || type.contains("jsonl") ? "jsonl" : "json") + (gzip ? ".gz" : "");
        UsageOptions options = new UsageOptions(ctx.queryParam("cluster"));
        ctx.status(201)
                .json(ingester.run(
                        format,
                        Uploads.inputs(ctx, extension),
                        options,
                        HttpServer.token(ctx).actor()));
    }
}
