package dev.warden.input;

/**
 * An input Warden cannot read: an export a connector imports, a log a usage parser ingests, a
 * configuration or policy file. The message starts with the input's name and, where known, the
 * line or JSON pointer ({@code iam.json:42: ...}, {@code report.csv line 7: ...}); it never contains
 * secret values.
 */
public final class InputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code input: message} or {@code input:line: message}. */
    public static InputException at(String input, long line, String message) {
        return new InputException(input + (line > 0 ? ":" + line : "") + ": " + message);
    }
}
