package dev.warden.usage;

import dev.warden.input.Input;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Opens a log file for a parser: gzip is recognised by its magic bytes ({@code 1f 8b}), whatever
 * the file is called (CloudTrail's {@code .json.gz}, a rotated {@code audit.log.1}, an upload
 * named {@code request-body.json}); concatenated gzip members are read as one stream. A failure
 * inside the compressed data surfaces as {@link CorruptGzipException}, so parsers can tell it from
 * malformed content.
 */
public final class LogFiles {
    private static final int BUFFER = 64 * 1024;

    private LogFiles() {}

    public static InputStream open(Input input) throws IOException {
        BufferedInputStream in = new BufferedInputStream(input.open(), BUFFER);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            try {
                return new CheckedGzip(in);
            } catch (IOException e) {
                in.close();
                throw new CorruptGzipException(e);
            }
        }
        return in;
    }

    /** The compressed data of a gzip file is broken: bad header, bad block, bad checksum, or cut short. */
    public static final class CorruptGzipException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptGzipException(IOException cause) {
            super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
        }
    }

    private static final class CheckedGzip extends GZIPInputStream {
        CheckedGzip(InputStream in) throws IOException {
            super(in, BUFFER);
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            try {
                return super.read(buf, off, len);
            } catch (CorruptGzipException e) {
                throw e;
            } catch (IOException e) {
                throw new CorruptGzipException(e);
            }
        }
    }
}
