package dev.warden.scan;

import java.util.Locale;

/**
 * The text a rule examines: one window of a file or of a commit's added lines (a line or a few, at
 * most {@link #MAX_WINDOW} characters, or the whole text for a rule without keywords), with the
 * file's path and, in history scans, the commit.
 */
public record Fragment(String path, String text, String commit) {
    /** Longest window the engine hands to a rule that has keywords. */
    public static final int MAX_WINDOW = 24 * 1024;

    /** The lower-case file extension without the dot, or "" when none. */
    public String extension() {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash && dot < path.length() - 1 ? path.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    /** The file name without directories. */
    public String fileName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
