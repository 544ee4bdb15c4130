package dev.warden.config;

/** A configuration error: the message names the file and the key at fault. */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
