package dev.warden.http;

import dev.warden.auth.Role.Permission;
import dev.warden.discovery.ImportOptions;
import dev.warden.discovery.ImportRun;
import dev.warden.discovery.Importer;
import dev.warden.discovery.Input;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
                            .orElseThrow(() -> Problem.notFound("no import run '" + Params.shown(id) + "'")));
                }));
    }

    private void create(Context ctx) {
        Params.allowOnly(ctx, Set.of("environment", "cluster"));
        String source = ctx.pathParam("source");
        if (importer.connectors().get(source).isEmpty()) {
            throw Problem.notFound("unknown source '" + Params.shown(source) + "' (known: "
                    + String.join(
                            ", ",
                            importer.connectors().all().stream()
                                    .map(c -> c.name())
                                    .toList()) + ")");
        }
        if (ctx.contentLength() > MAX_IMPORT) {
            throw new Problem(413, "Content Too Large", "import body exceeds " + MAX_IMPORT + " bytes");
        }
        String password = ctx.header(KEYSTORE_PASSWORD_HEADER);
        ImportOptions options = new ImportOptions(
                ctx.queryParam("environment"),
                ctx.queryParam("cluster"),
                password == null ? null : password.toCharArray());
        ImportRun run = importer.run(
                source, inputs(ctx, source), options, HttpServer.token(ctx).actor());
        ctx.status(201).json(run);
    }

    private static List<Input> inputs(Context ctx, String source) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        List<Input> inputs = new ArrayList<>();
        if (type.startsWith("multipart/form-data")) {
            Map<String, Integer> names = new LinkedHashMap<>();
            for (UploadedFile f : ctx.uploadedFiles()) {
                String name = f.filename() == null || f.filename().isBlank()
                        ? "upload"
                        : f.filename().replaceAll("[^A-Za-z0-9._-]", "_");
                int n = names.merge(name, 1, Integer::sum);
                try (InputStream in = f.content()) {
                    inputs.add(Input.content(n == 1 ? name : name + "#" + n, in.readAllBytes()));
                } catch (IOException e) {
                    throw Problem.badRequest("upload '" + name + "' could not be read");
                }
            }
            if (inputs.isEmpty()) {
                throw Problem.badRequest("multipart body has no files");
            }
        } else if (type.startsWith("text/uri-list")) {
            for (String line : ctx.body().split("\r?\n")) {
                String url = line.strip();
                if (!url.isEmpty() && !url.startsWith("#")) {
                    inputs.add(Input.url(url));
                }
            }
            if (inputs.isEmpty()) {
                throw Problem.badRequest("text/uri-list body has no URLs");
            }
        } else {
            byte[] body = ctx.bodyAsBytes();
            if (body.length == 0) {
                throw Problem.badRequest(
                        "request body is empty: send the file's content, a multipart upload, or text/uri-list");
            }
            inputs.add(Input.content("request-body." + extension(type, source), body));
        }
        return inputs;
    }

    /** A file extension matching the content type, so connectors that look at names see the right kind. */
    private static String extension(String type, String source) {
        if (type.contains("csv")) {
            return "csv";
        }
        if (type.contains("yaml") || type.contains("yml")) {
            return "yaml";
        }
        if (type.contains("pkcs12") || type.contains("x-pkcs12")) {
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

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
