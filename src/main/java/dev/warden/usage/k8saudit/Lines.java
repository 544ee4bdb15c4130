package dev.warden.usage.k8saudit;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a stream line by line ({@code \n}, with an optional {@code \r} before it) in memory bounded
 * by {@code max}: a longer line is consumed to its end but not kept, and reported as too long.
 */
final class Lines {
    private final InputStream in;
    private final int max;
    private final byte[] chunk = new byte[64 * 1024];
    private int pos;
    private int end;
    private boolean eof;
    private byte[] line = new byte[8 * 1024];
    private int length;
    private boolean tooLong;
    private long number;

    Lines(InputStream in, int max) {
        this.in = in;
        this.max = max;
    }

    /** Moves to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        length = 0;
        tooLong = false;
        boolean any = false;
        while (true) {
            if (pos == end) {
                if (eof || !fill()) {
                    if (!any) {
                        return false;
                    }
                    break;
                }
            }
            any = true;
            int nl = -1;
            for (int i = pos; i < end; i++) {
                if (chunk[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int stop = nl < 0 ? end : nl;
            append(pos, stop - pos);
            pos = nl < 0 ? end : nl + 1;
            if (nl >= 0) {
                break;
            }
        }
        number++;
        if (!tooLong && length > 0 && line[length - 1] == '\r') {
            length--;
        }
        return true;
    }

    private boolean fill() throws IOException {
        int n = in.read(chunk, 0, chunk.length);
        if (n < 0) {
            eof = true;
            return false;
        }
        pos = 0;
        end = n;
        return true;
    }

    private void append(int from, int n) {
        if (tooLong || n == 0) {
            return;
        }
        if (length + n > max) {
            tooLong = true;
            length = 0;
            return;
        }
        if (length + n > line.length) {
            line = Arrays.copyOf(line, Math.min(max, Math.max(line.length * 2, length + n)));
        }
        System.arraycopy(chunk, from, line, length, n);
        length += n;
    }

    /** The current line's bytes, valid up to {@link #length()} until the next call. */
    byte[] bytes() {
        return line;
    }

    int length() {
        return length;
    }

    /** The current line was longer than the limit; its bytes are not kept. */
    boolean tooLong() {
        return tooLong;
    }

    /** The current line's number, from 1. */
    long number() {
        return number;
    }
}
