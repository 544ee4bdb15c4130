package dev.warden.http;

import dev.warden.auth.Role.Permission;
import dev.warden.discovery.ImportOptions;
import dev.warden.discovery.ImportRun;
import dev.warden.discovery.Importer;
import dev.warden.input.Echo;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/imports}: run an import from a request body (the file's content as is), a multipart
 * upload of several files, or {@code text/uri-list} for live sources; list and show runs.
 */
final class ImportRoutes {
    /** Largest import body (all files of a multipart upload together), in bytes. */
    static final long MAX_IMPORT = 64L * 1024 * 1024;

    /** Header carrying a PKCS#12/JKS password, so it never lands in a URL or an access log. */
    static final String KEYSTORE_PASSWORD_HEADER = "Warden-Keystore-Password";

    private final Importer importer;

    ImportRoutes(Importer importer) {
        this.importer = importer;
    }

    List<Route> routes() {
        return List.of(
                Route.post("/v1/imports/{source}", Permission.WRITE_INVENTORY, this::create),
                Route.get("/v1/imports", Permission.READ_INVENTORY, ctx -> {
                    Params.allowOnly(ctx, Set.of("limit"));
                    ctx.json(Map.of("items", importer.runs(Params.intParam(ctx, "limit", 50, 1, 1000))));
                }),
                Route.get("/v1/imports/runs/{id}", Permission.READ_INVENTORY, ctx -> {
                    Params.allowOnly(ctx, Set.of());
                    String id = ctx.pathParam("id");
                    ctx.json(importer.run(id)
                            .orElseThrow(() -> Problem.notFound("no import run '" + Echo.shown(id) + "'")));
                }));
    }

    private void create(Context ctx) {
        Params.allowOnly(ctx, Set.of("environment", "cluster", "strict"));
        String source = ctx.pathParam("source");
        if (importer.connectors().get(source).isEmpty()) {
            throw Problem.notFound("unknown source '" + Echo.shown(source) + "' (known: "
                    + String.join(
                            ", ",
                            importer.connectors().all().stream()
                                    .map(c -> c.name())
                                    .toList()) + ")");
        }
        if (HttpServer.declaredLength(ctx) > MAX_IMPORT) {
            throw new Problem(413, "import body exceeds " + MAX_IMPORT + " bytes");
        }
        String password = ctx.header(KEYSTORE_PASSWORD_HEADER);
        ImportOptions options = new ImportOptions(
                ctx.queryParam("environment"),
                ctx.queryParam("cluster"),
                password == null ? null : password.toCharArray(),
                strict(ctx.queryParam("strict")));
        ImportRun run = importer.run(
                source,
                Uploads.inputs(ctx, extension(ctx, source)),
                options,
                HttpServer.token(ctx).actor());
        ctx.status(201).json(run);
    }

    private static boolean strict(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw Problem.badRequest("strict must be true or false");
    }

    /** A file extension matching the content type, so connectors that look at names see the right kind. */
    private static String extension(Context ctx, String source) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (type.contains("csv")) {
            return "csv";
        }
        if (type.contains("yaml") || type.contains("yml")) {
            return "yaml";
        }
        if (type.contains("pkcs12")) {
            return "p12";
        }
        if (type.contains("pem") || type.contains("x509")) {
            return "pem";
        }
        if (type.contains("octet-stream") && source.equals("certificates")) {
            return "der";
        }
        return "json";
    }
}
