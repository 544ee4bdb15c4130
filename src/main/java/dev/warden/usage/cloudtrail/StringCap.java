package dev.warden.usage.cloudtrail;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes JSON bytes through, cutting every string literal (names and values) after {@code cap}
 * bytes of content, so that no string the JSON parser materialises is longer than the cap however
 * long it is in the file: a 100 MB string costs a scan, not 200 MB of heap. A cut never splits an
 * escape sequence or a UTF-8 character, so the result is still well-formed where the input was. The
 * record holding a cut string is larger than the record limit (the cap equals it), so the parser
 * skips it. Also counts the bytes passed on, which the parser uses to bound a record while it is
 * being read.
 */
final class StringCap extends FilterInputStream {
    private final int cap;
    private boolean inString;
    private boolean afterBackslash;
    private int escapeLeft;
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

    private int filter(byte[] b, int off, int n) {
        int w = off;
        for (int i = off, end = off + n; i < end; i++) {
            byte c = b[i];
            if (!inString) {
                if (c == '"') {
                    inString = true;
                    length = 0;
                }
                b[w++] = c;
            } else if (afterBackslash) {
                afterBackslash = false;
                escapeLeft = c == 'u' ? 4 : 0;
                w = keep(b, w, c);
            } else if (escapeLeft > 0) {
                escapeLeft--;
                w = keep(b, w, c);
            } else if (c == '"') {
                inString = false;
                dropping = false;
                b[w++] = c;
            } else {
                // A cut starts only between whole characters: not inside an escape, not before a
                // UTF-8 continuation byte.
                if (!dropping && length >= cap && (c & 0xC0) != 0x80) {
                    dropping = true;
                }
                if (c == '\\') {
                    afterBackslash = true;
                }
                w = keep(b, w, c);
            }
        }
        return w - off;
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
