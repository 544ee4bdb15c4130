package dev.warden.scan;

/** The scanner's documented limits (docs/scanning.md); input beyond them is skipped and counted or refused. */
public final class Limits {
    /** Files larger than this are skipped as {@code too-large} unless {@code --max-file-size} says otherwise. */
    public static final long DEFAULT_MAX_FILE_SIZE = 25L * 1024 * 1024;
    /** Largest rule file read. */
    public static final long MAX_RULE_FILE = 4L * 1024 * 1024;
    /** Longest regex accepted in a rule file. */
    public static final int MAX_REGEX = 8192;
    /** Most rules a rule file (with its extends) may define. */
    public static final int MAX_RULES = 2000;
    /** Deepest chain of {@code [extend] path} files. */
    public static final int MAX_EXTEND_DEPTH = 4;
    /** Largest baseline file read. */
    public static final long MAX_BASELINE = 64L * 1024 * 1024;
    /** Blobs larger than this are skipped in history scans. */
    public static final long DEFAULT_MAX_BLOB_SIZE = DEFAULT_MAX_FILE_SIZE;

    private Limits() {}
}
