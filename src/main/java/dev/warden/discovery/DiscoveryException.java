package dev.warden.discovery;

/**
 * An input a connector cannot read. The message starts with the input's name and, where known, the
 * line or JSON pointer ({@code iam.json:42: ...}, {@code report.csv line 7: ...}); it never contains
 * secret values.
 */
public final class DiscoveryException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public DiscoveryException(String message) {
        super(message);
    }

    public DiscoveryException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code input: message} or {@code input:line: message}. */
    public static DiscoveryException at(String input, long line, String message) {
        return new DiscoveryException(input + (line > 0 ? ":" + line : "") + ": " + message);
    }
}
