package dev.warden.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.warden.input.Echo;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Reads a JSON request body into a record, answering 415/400/413 with the field or position at fault. */
final class JsonBody {
    private JsonBody() {}

    static <T> T read(Context ctx, ObjectMapper mapper, Class<T> type) {
        return read(ctx, mapper, type, HttpServer.MAX_BODY);
    }

    /** Reads at most {@code max} bytes. */
    static <T> T read(Context ctx, ObjectMapper mapper, Class<T> type, long max) {
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new Problem(415, "request body must be application/json");
        }
        long declared = HttpServer.declaredLength(ctx);
        if (declared > max) {
            throw new Problem(413, "request body exceeds " + max + " bytes");
        }
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] body = in.readNBytes((int) max + 1);
            if (body.length > max) {
                throw new Problem(413, "request body exceeds " + max + " bytes");
            }
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw Problem.badRequest("request body is empty");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw Problem.badRequest("unknown field '" + Echo.shown(e.getPropertyName()) + "'");
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException) {
                throw Problem.badRequest(cause.getMessage());
            }
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw Problem.badRequest("malformed JSON body" + where);
        } catch (IOException e) {
            throw Problem.badRequest("request body could not be read");
        }
    }
}
