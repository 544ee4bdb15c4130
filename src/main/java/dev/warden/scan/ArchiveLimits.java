package dev.warden.scan;

/**
 * How far the scanner opens archives (docs/scanning.md, "Archives"): nesting depth (0: archives
 * are not opened), and for one file with everything inside it the uncompressed bytes, the number
 * of members and the expansion ratio; and the size of one member.
 */
public record ArchiveLimits(int maxDepth, long maxTotal, long maxMembers, long maxRatio, long maxMember) {
    /** Default nesting depth ({@code --max-archive-depth}). */
    public static final int DEFAULT_DEPTH = 3;
    /** Deepest nesting that may be asked for. */
    public static final int MAX_DEPTH = 16;
    /** Uncompressed bytes one file may expand to, all levels together. */
    public static final long DEFAULT_TOTAL = 1L << 30;
    /** Members one file may hold, all levels together. */
    public static final long DEFAULT_MEMBERS = 100_000;
    /** Uncompressed bytes per byte of the outer file (checked past 1 MiB expanded). */
    public static final long DEFAULT_RATIO = 100;

    public ArchiveLimits {
        if (maxDepth < 0 || maxDepth > MAX_DEPTH) {
            throw new IllegalArgumentException("archive depth must be between 0 and " + MAX_DEPTH);
        }
        if (maxTotal < 1 || maxMembers < 1 || maxRatio < 1 || maxMember < 1 || maxMember > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("archive limits must be positive (a member at most 2 GiB)");
        }
    }

    /** The defaults at {@code depth}, members as large as {@code maxMember} (the file size limit). */
    public static ArchiveLimits defaults(int depth, long maxMember) {
        return new ArchiveLimits(depth, DEFAULT_TOTAL, DEFAULT_MEMBERS, DEFAULT_RATIO, maxMember);
    }
}
