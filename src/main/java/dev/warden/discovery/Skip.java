package dev.warden.discovery;

/**
 * A record an import could not understand and left out: the input it came from, where in it (a
 * JSON pointer, or {@code line N} for line-oriented files) and why. Never holds input values.
 */
public record Skip(String file, String pointer, String reason) {}
