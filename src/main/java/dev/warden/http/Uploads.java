package dev.warden.http;

import dev.warden.input.Input;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;

/**
 * Files a request carries, for imports and log ingestion: a multipart/form-data upload of several
 * files, a text/uri-list of URLs (live sources), or the raw body as one file.
 */
final class Uploads {
    private Uploads() {}

    /** The request's files; a raw body is named {@code request-body.EXTENSION}. */
    static List<Input> inputs(Context ctx, String extension) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        List<Input> inputs = new ArrayList<>();
        if (type.startsWith("multipart/form-data")) {
            Map<String, Integer> names = new LinkedHashMap<>();
            for (UploadedFile f : uploadedFiles(ctx)) {
                String name = f.filename() == null || f.filename().isBlank()
                        ? "upload"
                        : f.filename().replaceAll("[^A-Za-z0-9._-]", "_");
                int n = names.merge(name, 1, Integer::sum);
                try (InputStream in = f.content()) {
                    inputs.add(Input.content(n == 1 ? name : n + "-" + name, in.readAllBytes()));
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
            inputs.add(Input.content("request-body." + extension, body));
        }
        return inputs;
    }

    /**
     * The parts of a multipart body. Jetty's parser throws (a ServletException around a 400
     * BadMessageException, undeclared) when the body does not match the boundary in Content-Type,
     * ends early or exceeds the upload limits: that is the client's error, answered 400 or 413.
     */
    private static List<UploadedFile> uploadedFiles(Context ctx) {
        try {
            return ctx.uploadedFiles();
        } catch (Exception e) {
            if (HttpServer.cause(e, EofException.class) != null) {
                throw Problem.badRequest("the multipart body ended before its declared length");
            }
            if (HttpServer.cause(e, HttpException.class) instanceof HttpException h && h.getCode() == 413
                    || exceeded(e)) {
                throw new Problem(413, "the multipart upload exceeds " + ImportRoutes.MAX_IMPORT + " bytes");
            }
            throw Problem.badRequest("malformed multipart/form-data body: its parts do not match the boundary in"
                    + " Content-Type, or it is truncated");
        }
    }

    /** Jetty's "max file size exceeded" and the like, anywhere in the chain. */
    private static boolean exceeded(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("exceeded")) {
                return true;
            }
        }
        return false;
    }
}
