package com.kasparro.etl.store;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Streams PostgreSQL {@code COPY ... FROM STDIN} text-format rows: tab-separated columns, one row
 * per line, backslash escapes, {@code \N} for null.
 *
 * <p>Rows go to the server through pgjdbc's {@link PGCopyOutputStream} as they are written, in
 * 64 KiB chunks. Why not build the batch's text first: a 5,000-row batch is about 1 MB of text,
 * which G1 allocates as humongous objects straight into the old generation, where it sets off
 * a concurrent GC cycle per batch at more CPU than the COPY itself.
 */
final class CopyText implements AutoCloseable {

    private static final int CHUNK = 64 * 1024;

    private final PGCopyOutputStream copy;
    private final Writer out;
    private boolean rowStart = true;
    private boolean failed = true;

    private CopyText(PGCopyOutputStream copy) {
        this.copy = copy;
        // A buffer, because OutputStreamWriter allocates a char[] on every write (JDK 17's StreamEncoder)
        // and values are written one by one; the default 8K chars, because the stream makes the 64 KiB
        // chunks. Sized as CHUNK, it was a 128 KB array per COPY, a 10-row rejected one too: ~0.27 GB of
        // the ~3.7 GB a 1M-row re-drop allocated (JFR).
        this.out = new BufferedWriter(new OutputStreamWriter(copy, StandardCharsets.UTF_8));
    }

    /** Starts {@code sql} (a {@code COPY ... FROM STDIN}) on the connection. */
    static CopyText start(PGConnection connection, String sql) throws SQLException {
        return new CopyText(new PGCopyOutputStream(connection, sql, CHUNK));
    }

    CopyText add(Object value) throws IOException {
        if (!rowStart) {
            out.write('\t');
        }
        rowStart = false;
        escape(value, out);
        return this;
    }

    /**
     * Columns that are the same on every row of a batch (run, source, file), escaped once: written
     * with {@link #addColumns}, they cost one bulk copy per row instead of a conversion each.
     */
    static String columns(Object... values) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Object value : values) {
            if (!text.isEmpty()) {
                text.append('\t');
            }
            escape(value, text);
        }
        return text.toString();
    }

    /** Writes columns prepared by {@link #columns}. */
    CopyText addColumns(String columns) throws IOException {
        if (!rowStart) {
            out.write('\t');
        }
        rowStart = false;
        out.write(columns);
        return this;
    }

    private static void escape(Object value, Appendable out) throws IOException {
        if (value == null) {
            out.append("\\N");
            return;
        }
        String s = value.toString();
        int first = firstSpecial(s);
        if (first < 0) {
            out.append(s); // the common case: nothing to escape, one bulk copy
            return;
        }
        out.append(s, 0, first);
        for (int i = first; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                // PostgreSQL text cannot hold NUL. A rejected row's raw text is escaped before (BatchWriter);
                // any other column keeps the rest of its text readable.
                case '\0' -> out.append('\uFFFD');
                default -> out.append(c);
            }
        }
    }

    private static int firstSpecial(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\0') {
                return i;
            }
        }
        return -1;
    }

    CopyText endRow() throws IOException {
        out.write('\n');
        rowStart = true;
        return this;
    }

    /** Call once every row is written: {@link #close()} then ends the COPY instead of cancelling it. */
    void finish() {
        failed = false;
    }

    @Override
    public void close() throws IOException, SQLException {
        try {
            if (!failed) {
                out.flush();
                copy.endCopy();
            }
        } finally {
            // Still active: the batch failed before finish(), or sending or ending the COPY failed
            // (say the server died). Cancel it, as pgjdbc's own CopyManager.copyIn does: the server
            // discards the rows, and the driver releases the connection's lock. Without this, the
            // transaction's rollback waited on that lock for ever (DatabaseOutageTest hung).
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException e) {
                    if (failed) {
                        throw e;
                    }
                    // the failure of endCopy/flush is the one being thrown; this adds nothing
                }
            }
        }
    }
}
