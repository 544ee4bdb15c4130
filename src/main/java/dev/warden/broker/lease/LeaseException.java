package dev.warden.broker.lease;

/**
 * A lease operation was refused or could not be done: {@link #status()} is the HTTP status the API
 * answers with (400 bad input, 404 unknown lease/issuer/role, 409 state conflict, 503 the target
 * system is unreachable), the message a lower-case reason without secrets.
 */
public final class LeaseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    LeaseException(int status, String message) {
        super(message);
        this.status = status;
    }

    LeaseException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
