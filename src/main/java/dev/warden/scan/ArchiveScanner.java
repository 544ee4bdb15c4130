package dev.warden.scan;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Opens archives met while scanning files — zip (jar, war, ear, ...), tar, and gzip (plain
 * {@code .gz} and {@code .tar.gz}/{@code .tgz}, recognised by their magic bytes, not their names) —
 * and hands each member to the scanner as the file {@code outer.zip!dir/inner.tar.gz!file}, nested
 * up to {@link ArchiveLimits#maxDepth()} levels (a {@code .tar.gz} is one level).
 *
 * <p>Everything stays in memory and nothing is written to disk, so member names (even
 * {@code ../../etc/passwd}) are only labels. One budget covers an outer file and all it contains:
 * uncompressed bytes, members, and the expansion ratio against the outer file's size; exceeding it
 * stops that file, keeps what was found so far and counts {@code archive-limit}. A member larger
 * than the per-member limit is counted {@code archive-limit} and skipped (still decompressed
 * against the budget, so a bomb cannot hide in a skipped member). Deeper nesting is counted
 * {@code archive-depth}, a corrupt archive {@code archive-corrupt}, an encrypted or unsupported
 * member {@code unreadable}. Held at once: the outer file plus one member per level.
 */
final class ArchiveScanner {
    /** Expanded bytes allowed before the ratio is checked (small archives of small files pass). */
    static final long RATIO_FLOOR = 1L << 20;

    private static final int CHUNK = 64 * 1024;

    /** Scans one member that is not an archive (or not opened). */
    interface Leaf {
        void scan(String display, byte[] data);
    }

    enum Kind {
        ZIP,
        TAR,
        GZIP
    }

    private final ArchiveLimits limits;

    ArchiveScanner(ArchiveLimits limits) {
        this.limits = limits;
    }

    /** The archive format of {@code data} by its magic bytes, or null. */
    static Kind kind(byte[] data) {
        int n = data.length;
        if (n >= 4 && data[0] == 'P' && data[1] == 'K' && (data[2] == 3 || data[2] == 5) && data[3] == data[2] + 1) {
            return Kind.ZIP;
        }
        if (n >= 3 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b && data[2] == 8) {
            return Kind.GZIP;
        }
        if (n >= 263
                && data[257] == 'u'
                && data[258] == 's'
                && data[259] == 't'
                && data[260] == 'a'
                && data[261] == 'r') {
            return Kind.TAR;
        }
        return null;
    }

    /** Whether {@code data} would be opened as an archive. */
    boolean opens(byte[] data) {
        return limits.maxDepth() > 0 && kind(data) != null;
    }

    /** Opens the outer archive {@code data} found at {@code display}; members go to {@code leaf}. */
    void scan(String display, byte[] data, ScanStats stats, Leaf leaf) {
        Budget budget = new Budget(limits, Math.max(1, data.length));
        try {
            open(display, data, 1, budget, stats, leaf);
        } catch (LimitExceeded e) {
            stats.skip("archive-limit", e.where, e.getMessage());
        }
    }

    private void open(String display, byte[] data, int depth, Budget budget, ScanStats stats, Leaf leaf) {
        Kind kind = kind(data);
        try {
            switch (kind) {
                case ZIP -> {
                    try (ZipArchiveInputStream in =
                            new ZipArchiveInputStream(new ByteArrayInputStream(data), "UTF-8", true, true)) {
                        members(display, in, depth, budget, stats, leaf);
                    }
                }
                case TAR -> {
                    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(data))) {
                        members(display, in, depth, budget, stats, leaf);
                    }
                }
                case GZIP -> {
                    byte[] inner;
                    try (InputStream in = GzipCompressorInputStream.builder()
                            .setInputStream(new ByteArrayInputStream(data))
                            .setDecompressConcatenated(true)
                            .get()) {
                        budget.member(display);
                        inner = read(in, display, budget);
                    }
                    if (inner == null) {
                        stats.skip(
                                "archive-limit", display, "larger than " + limits.maxMember() + " bytes uncompressed");
                    } else if (kind(inner) == Kind.TAR) {
                        open(display, inner, depth, budget, stats, leaf); // .tar.gz is one level
                    } else {
                        member(display + "!" + gunzippedName(display), inner, depth, budget, stats, leaf);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof LimitExceeded l) {
                throw l;
            }
            stats.skip("archive-corrupt", display, FileScanner.describe(e));
        }
    }

    private <E extends ArchiveEntry> void members(
            String display, ArchiveInputStream<E> in, int depth, Budget budget, ScanStats stats, Leaf leaf)
            throws IOException {
        E entry;
        while ((entry = in.getNextEntry()) != null) {
            if (entry.isDirectory()) {
                continue;
            }
            String shown = display + "!" + label(entry.getName());
            budget.member(shown);
            if (entry instanceof TarArchiveEntry t && !t.isFile()) {
                stats.skip("special", shown, "not a regular file in the archive");
                continue;
            }
            if (entry instanceof ZipArchiveEntry z && !((ZipArchiveInputStream) in).canReadEntryData(z)) {
                stats.skip("unreadable", shown, "encrypted or unsupported compression method");
                continue;
            }
            byte[] data = read(in, shown, budget);
            if (data == null) {
                stats.skip("archive-limit", shown, "larger than " + limits.maxMember() + " bytes uncompressed");
                continue;
            }
            member(shown, data, depth, budget, stats, leaf);
        }
    }

    private void member(String shown, byte[] data, int depth, Budget budget, ScanStats stats, Leaf leaf) {
        if (kind(data) == null) {
            leaf.scan(shown, data);
        } else if (depth >= limits.maxDepth()) {
            stats.skip("archive-depth", shown, "archive nested deeper than " + limits.maxDepth() + " levels");
        } else {
            open(shown, data, depth + 1, budget, stats, leaf);
        }
    }

    /**
     * Reads one member whole, counting every byte against the budget; returns null (after reading
     * the rest against the budget) when it is larger than the per-member limit.
     */
    private byte[] read(InputStream in, String shown, Budget budget) throws IOException {
        byte[] buf = new byte[(int) Math.min(CHUNK, limits.maxMember() + 1)];
        byte[] out = new byte[0];
        int size = 0;
        boolean tooLarge = false;
        int n;
        while ((n = in.read(buf)) > 0) {
            budget.expanded(n, shown);
            if (tooLarge || (long) size + n > limits.maxMember()) {
                tooLarge = true;
                out = null;
                continue;
            }
            if (size + n > out.length) {
                out = Arrays.copyOf(out, (int)
                        Math.min(limits.maxMember(), Math.max(size + n, 2L * out.length + CHUNK)));
            }
            System.arraycopy(buf, 0, out, size, n);
            size += n;
        }
        return tooLarge ? null : out.length == size ? out : Arrays.copyOf(out, size);
    }

    /** A member name as shown in reports: control characters replaced, never resolved as a path. */
    static String label(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.length() == 0 ? "?" : b.toString();
    }

    static String gunzippedName(String display) {
        String base = display.substring(Math.max(display.lastIndexOf('/'), display.lastIndexOf('!')) + 1);
        if (base.endsWith(".tgz")) {
            return base.substring(0, base.length() - 4) + ".tar";
        }
        if (base.endsWith(".gz") && base.length() > 3) {
            return base.substring(0, base.length() - 3);
        }
        return base;
    }

    /** What one outer file and everything inside it may expand to. */
    private static final class Budget {
        private final ArchiveLimits limits;
        private final long compressed;
        private long expanded;
        private long members;

        Budget(ArchiveLimits limits, long compressed) {
            this.limits = limits;
            this.compressed = compressed;
        }

        void member(String where) {
            if (++members > limits.maxMembers()) {
                throw new LimitExceeded(where, "more than " + limits.maxMembers() + " archive members");
            }
        }

        void expanded(long n, String where) {
            expanded += n;
            if (expanded > limits.maxTotal()) {
                throw new LimitExceeded(where, "more than " + limits.maxTotal() + " bytes uncompressed");
            }
            if (expanded > RATIO_FLOOR && expanded > compressed * limits.maxRatio()) {
                throw new LimitExceeded(where, "expands more than " + limits.maxRatio() + " times its size");
            }
        }
    }

    /** A budget limit was reached: the whole outer file stops there. */
    private static final class LimitExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient String where;

        LimitExceeded(String where, String message) {
            super(message, null, false, false);
            this.where = where;
        }
    }
}
