package dev.warden.broker;

/**
 * An OAuth 2.0 error response (RFC 6749 §5.2, RFC 8693 §2.2.2, RFC 7009 §2.2.1): an {@code error}
 * code, a lower-case {@code error_description} safe to show the caller, and the HTTP status.
 */
public final class OAuthError extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;

    public OAuthError(int status, String error, String description) {
        super(description);
        this.status = status;
        this.error = error;
    }

    public static OAuthError invalidRequest(String description) {
        return new OAuthError(400, "invalid_request", description);
    }

    public static OAuthError invalidTarget(String description) {
        return new OAuthError(400, "invalid_target", description);
    }

    public static OAuthError invalidScope(String description) {
        return new OAuthError(400, "invalid_scope", description);
    }

    public static OAuthError unsupportedGrantType(String description) {
        return new OAuthError(400, "unsupported_grant_type", description);
    }

    public static OAuthError unavailable(String description) {
        return new OAuthError(503, "temporarily_unavailable", description);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String description() {
        return getMessage();
    }
}
