package dev.warden.http;

import io.javalin.http.HttpStatus;

/**
 * An RFC 9457 problem the API answers with: a status and a detail that says what was wrong and
 * where (never a stack trace, never a secret). Its title is the status's reason phrase, chosen here
 * for every problem the server answers ({@link #title(int)}).
 */
public final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public Problem(int status, String detail) {
        super(detail);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /**
     * The one mapping from HTTP status to problem title: the RFC 9110 reason phrase ("Not Found",
     * "Content Too Large", "Unprocessable Content"), "Error" for a status without one.
     */
    static String title(int status) {
        if (status == 500) {
            return "Internal Server Error"; // Javalin's table says "Server Error"
        }
        HttpStatus known = HttpStatus.forStatus(status);
        return known == HttpStatus.UNKNOWN ? "Error" : known.getMessage();
    }

    static Problem badRequest(String detail) {
        return new Problem(400, detail);
    }

    static Problem notFound(String detail) {
        return new Problem(404, detail);
    }

    /** The JSON body: type, title, status, detail, instance. */
    record Body(String type, String title, int status, String detail, String instance) {}
}
