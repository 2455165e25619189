package com.kasparro.etl.ingest.csv;

import java.io.IOException;
import java.io.Reader;

/**
 * Keeps the characters its consumer has read since a mark, so that the exact raw text of a CSV
 * record can be cut out by character position, and can replay them from a position, so that a
 * new parser can resume after a malformed record. A leading UTF-8 BOM is dropped here, before the
 * parser sees it (commons-csv would make it part of the first header name).
 */
final class RecordingReader extends Reader {

    private static final int COMPACT_AT = 1 << 20;

    private final Reader in;
    private final StringBuilder buffer = new StringBuilder(64 * 1024);
    private long bufferStart;      // absolute position of buffer.charAt(0)
    private long readPos;          // absolute position of the next char handed out
    private long discardMark;      // everything before this may be dropped
    private boolean first = true;

    RecordingReader(Reader in) {
        this.in = in;
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        long end = end();
        if (readPos < end) { // replaying after a rewind
            int n = (int) Math.min(len, end - readPos);
            int from = (int) (readPos - bufferStart);
            buffer.getChars(from, from + n, cbuf, off);
            readPos += n;
            return n;
        }
        int n = in.read(cbuf, off, len);
        if (n > 0 && first) {
            first = false;
            if (cbuf[off] == '\uFEFF') {
                System.arraycopy(cbuf, off + 1, cbuf, off, n - 1);
                n--;
                if (n == 0) {
                    return read(cbuf, off, len);
                }
            }
        }
        if (n > 0) {
            buffer.append(cbuf, off, n);
            readPos += n;
        }
        return n;
    }

    /** Absolute position one past the last character read from the source. */
    long end() {
        return bufferStart + buffer.length();
    }

    /** The text between two absolute positions; both must still be buffered. */
    String text(long from, long to) {
        return buffer.substring((int) (from - bufferStart), (int) (to - bufferStart));
    }

    /** Index of the first line terminator at or after {@code from}, or {@link #end()}. */
    long lineEnd(long from) {
        for (long p = from; p < end(); p++) {
            char c = buffer.charAt((int) (p - bufferStart));
            if (c == '\n' || c == '\r') {
                return p;
            }
        }
        return end();
    }

    char charAt(long position) {
        return buffer.charAt((int) (position - bufferStart));
    }

    /** Serve characters again from {@code position}, which must still be buffered. */
    void rewind(long position) {
        readPos = position;
    }

    /** Everything before {@code position} is no longer needed. Compacts lazily: deletes are O(n). */
    void discardBefore(long position) {
        discardMark = position;
        int cut = (int) (discardMark - bufferStart);
        if (cut >= COMPACT_AT || (cut > 0 && cut >= buffer.length() / 2 && cut >= 8192)) {
            buffer.delete(0, cut);
            bufferStart = discardMark;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
