package dev.warden.input;

/**
 * How text that came from outside (a file, a request, a flag) is echoed in an error message: short
 * and printable, so that an error can neither carry a whole secret nor break a terminal or a log
 * line. Every capability quotes user input through here.
 */
public final class Echo {
    /** Longest part of a user-supplied string that an error shows. */
    public static final int MAX_SHOWN = 60;

    private Echo() {}

    /** A user-supplied string made safe to echo in an error: at most 60 characters, printable. */
    public static String shown(String text) {
        if (text == null) {
            return "";
        }
        String s = text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "…" : text;
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return b.toString();
    }

    /** {@link #shown} in single quotes. */
    public static String quoted(String text) {
        return "'" + shown(text) + "'";
    }
}
