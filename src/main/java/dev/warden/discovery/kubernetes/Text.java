package dev.warden.discovery.kubernetes;

/** Bounds on text taken from input into keys, attributes and notes. */
final class Text {
    /** Longest name or key kept from input. */
    static final int MAX = 300;

    private Text() {}

    /** {@code s} cut to {@link #MAX} characters, control characters replaced by {@code ?}. */
    static String bounded(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX));
        s.codePoints().limit(MAX).forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return b.toString();
    }
}
