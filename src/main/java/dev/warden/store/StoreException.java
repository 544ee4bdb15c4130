package dev.warden.store;

/**
 * A store that cannot be opened or used: bad URL, unreachable server, corrupt file. The message is
 * meant for the user (one line, no secrets); the cause is kept for {@code --verbose}.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
