package dev.warden.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answer to a request Jetty refuses before Warden's routes see it — a malformed request line
 * or header, an ambiguous or badly encoded path, a repeated Content-Length, Content-Length with
 * Transfer-Encoding, a target or headers too large, an unknown HTTP version — as
 * {@code application/problem+json} like every other error, instead of Jetty's HTML page. Installed
 * on the server and on the servlet context. The detail is a fixed description per kind of
 * refusal: Jetty's reason can quote a character of the request, and the request is not echoed.
 */
final class JettyErrors extends ErrorHandler {
    private final ObjectMapper mapper;

    JettyErrors(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String reason = (String) request.getAttribute(ERROR_MESSAGE);
        if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException e) {
            status = e.getCode();
            reason = e.getReason();
        }
        if (status < 400 || status > 599) {
            status = 500;
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        if (HttpStatus.hasNoBody(status) || "HEAD".equals(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", Problem.title(status));
        body.put("status", status);
        body.put("detail", detail(status, reason));
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            json = ("{\"type\":\"about:blank\",\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, HttpServer.PROBLEM_JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, json.length);
        response.write(true, ByteBuffer.wrap(json), callback);
        return true;
    }

    /** What was wrong, from the status and Jetty's reason, in Warden's words. */
    static String detail(int status, String reason) {
        String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        return switch (status) {
            case 400 -> badRequest(r);
            case 404 -> "no such endpoint";
            case 408 -> "the request was not received in time";
            case 413 -> "the request body is too large";
            case 414 -> "the request target is too long (at most 16 KiB with the headers)";
            case 431 -> "the request headers are too large (at most 16 KiB)";
            case 501 -> "the request uses a method or transfer coding Warden does not implement";
            case 505 -> "unsupported HTTP version (use HTTP/1.1)";
            default -> status >= 500 ? "the server could not answer this request" : "the request was refused";
        };
    }

    private static String badRequest(String r) {
        if (r.contains("utf-8") || r.contains("utf8")) {
            return "malformed request: the request target is not valid UTF-8 once decoded";
        }
        if (r.contains("content-length") && r.contains("transfer-encoding")) {
            return "malformed request: both Content-Length and Transfer-Encoding are present";
        }
        if (r.contains("content-length")) {
            return "malformed request: Content-Length is repeated or not a number";
        }
        if (r.contains("transfer-encoding") || r.contains("chunk")) {
            return "malformed request: bad Transfer-Encoding or chunked body";
        }
        if (r.contains("host") || r.contains("authority")) {
            return "malformed request: the Host header is missing, repeated or disagrees with the target";
        }
        if (r.contains("uri") || r.contains("path") || r.contains("ambiguous")) {
            return "malformed request: the request target is ambiguous or not allowed"
                    + " (encoded NUL, '/', '\\', '..' segments or a bad escape)";
        }
        if (r.contains("illegal character") || r.contains("header") || r.contains("field")) {
            return "malformed request: an illegal character in the request line or a header";
        }
        return "malformed request";
    }
}
