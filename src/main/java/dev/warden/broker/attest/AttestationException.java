package dev.warden.broker.attest;

/** A proof that was not acceptable; the message is lower-case and safe to show the caller. */
public final class AttestationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String code;

    /**
     * @param code a short machine-readable reason for audit and metrics ({@code bad_signature},
     *     {@code expired}, {@code wrong_audience}, ...)
     */
    public AttestationException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
