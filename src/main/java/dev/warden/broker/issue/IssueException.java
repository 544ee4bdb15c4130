package dev.warden.broker.issue;

/**
 * An issuer could not do what was asked. The message is lower case, names what was wrong and never
 * carries secret material; {@link #reason()} says how the API answers it.
 */
public final class IssueException extends Exception {
    private static final long serialVersionUID = 1L;

    /** How a failure maps to the API: 400, 404, 409, 503. */
    public enum Reason {
        BAD_REQUEST(400),
        NOT_FOUND(404),
        CONFLICT(409),
        UNAVAILABLE(503);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Reason reason;

    public IssueException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public IssueException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public static IssueException unavailable(String message, Throwable cause) {
        return new IssueException(Reason.UNAVAILABLE, message, cause);
    }

    public static IssueException badRequest(String message) {
        return new IssueException(Reason.BAD_REQUEST, message);
    }
}
