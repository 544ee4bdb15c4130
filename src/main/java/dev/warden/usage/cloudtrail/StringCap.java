package dev.warden.usage.cloudtrail;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Passes JSON bytes through, cutting every string literal (names and values) after {@code cap}
 * bytes of content, so that no string the JSON parser materialises is longer than the cap however
 * long it is in the file: a 100 MB string costs a scan, not 200 MB of heap. A cut never splits an
 * escape sequence, a surrogate pair or a UTF-8 character, so the result is still well-formed where
 * the input was. The
 * record holding a cut string is larger than the record limit (the cap equals it), so the parser
 * skips it. Also counts the bytes passed on, which the parser uses to bound a record while it is
 * being read.
 */
final class StringCap extends FilterInputStream {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5c5c5c5c5c5c5c5cL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private final int cap;
    private boolean inString;
    private boolean afterBackslash;
    private int escapeLeft;
    private int escapeValue;
    private boolean highSurrogate;
    private boolean dropping;
    private int length;
    private long passed;

    StringCap(InputStream in, int cap) {
        super(in);
        this.cap = cap;
    }

    /** Bytes passed on so far. */
    long passed() {
        return passed;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            int n = in.read(b, off, len);
            if (n <= 0) {
                return n;
            }
            int kept = filter(b, off, n);
            if (kept > 0) {
                passed += kept;
                return kept;
            }
        }
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long left = n;
        while (left > 0) {
            int r = read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                break;
            }
            left -= r;
        }
        return n - left;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /**
     * Filters {@code b[off, off+n)} in place; returns how many bytes were kept. Runs of plain bytes
     * (outside strings, or inside a string below the cap) are scanned in tight loops; escapes, the
     * end of a string and the cut go byte by byte.
     */
    private int filter(byte[] b, int off, int n) {
        int end = off + n;
        int i = off;
        int w = off;
        while (i < end) {
            if (!inString) {
                int q = scan(b, i, end, false);
                w = move(b, i, w, q - i);
                i = q;
                if (i < end) {
                    inString = true;
                    length = 0;
                    b[w++] = b[i++];
                }
                continue;
            }
            if (!afterBackslash && escapeLeft == 0) {
                if (dropping) {
                    i = scan(b, i, end, true);
                } else if (length < cap) {
                    int limit = (int) Math.min(end, i + (long) (cap - length));
                    int q = scan(b, i, limit, true);
                    w = move(b, i, w, q - i);
                    length += q - i;
                    i = q;
                }
                if (i == end) {
                    break;
                }
            }
            w = step(b, w, b[i++]);
        }
        return w - off;
    }

    /**
     * The index of the first {@code "} (or {@code \\} too, when {@code backslash}) in {@code b[from,
     * limit)}, else {@code limit}: eight bytes at a time, with the has-zero-byte bit trick (in little
     * endian order the lowest flagged byte is always a true match).
     */
    static int scan(byte[] b, int from, int limit, boolean backslash) {
        int q = from;
        while (q + 8 <= limit) {
            long word = (long) LONGS.get(b, q);
            long x = word ^ QUOTES;
            long found = (x - ONES) & ~x & HIGHS;
            if (backslash) {
                long y = word ^ BACKSLASHES;
                found |= (y - ONES) & ~y & HIGHS;
            }
            if (found != 0) {
                return q + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            q += 8;
        }
        while (q < limit && b[q] != '"' && (!backslash || b[q] != '\\')) {
            q++;
        }
        return q;
    }

    /** Moves {@code n} kept bytes from {@code from} to {@code w} (a no-op until something was dropped). */
    private static int move(byte[] b, int from, int w, int n) {
        if (w != from && n > 0) {
            System.arraycopy(b, from, b, w, n);
        }
        return w + n;
    }

    /** One byte inside a string. */
    private int step(byte[] b, int w, byte c) {
        if (afterBackslash) {
            afterBackslash = false;
            escapeLeft = c == 'u' ? 4 : 0;
            escapeValue = 0;
            highSurrogate = false;
            return keep(b, w, c);
        }
        if (escapeLeft > 0) {
            escapeLeft--;
            escapeValue = escapeValue * 16 + Character.digit(c, 16);
            if (escapeLeft == 0) {
                highSurrogate = escapeValue >= 0xD800 && escapeValue <= 0xDBFF;
            }
            return keep(b, w, c);
        }
        if (c == '"') {
            inString = false;
            dropping = false;
            b[w] = c;
            return w + 1;
        }
        // A cut starts only between whole characters: not inside an escape, not between the two
        // escapes of a surrogate pair, not before a UTF-8 continuation byte.
        if (!dropping && length >= cap && (c & 0xC0) != 0x80 && !highSurrogate) {
            dropping = true;
        }
        highSurrogate = false;
        if (c == '\\') {
            afterBackslash = true;
        }
        return keep(b, w, c);
    }

    private int keep(byte[] b, int w, byte c) {
        if (dropping) {
            return w;
        }
        length++;
        b[w] = c;
        return w + 1;
    }
}
