package dev.warden.http;

/**
 * An RFC 9457 problem the API answers with: status, a short title and a detail that says what
 * was wrong and where (never a stack trace, never a secret).
 */
public final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String title;

    public Problem(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    static Problem badRequest(String detail) {
        return new Problem(400, "Bad Request", detail);
    }

    static Problem notFound(String detail) {
        return new Problem(404, "Not Found", detail);
    }

    /** The JSON body: type, title, status, detail, instance. */
    record Body(String type, String title, int status, String detail, String instance) {}
}
