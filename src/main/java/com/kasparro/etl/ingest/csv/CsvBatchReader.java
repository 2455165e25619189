package com.kasparro.etl.ingest.csv;

import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.normalize.CandidateRecord;
import com.kasparro.etl.normalize.RecordBatch;
import com.kasparro.etl.store.Lane;
import com.kasparro.etl.store.LaneCheckpoints;
import com.kasparro.etl.util.Causes;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;
import java.util.concurrent.BlockingQueue;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Streams a CSV file as {@link RecordBatch}es of at most {@code batchSize} rows, for Camel's
 * streaming splitter; memory holds a batch per lane, never the file. A row's lane follows from its
 * key ({@code laneOf}), so all rows of a key are in one lane's batches, in file order.
 *
 * <p>Why commons-csv directly rather than camel-csv's data format: rejected rows need the
 * physical line where a record starts and its exact raw text, and camel-csv exposes neither
 * (with quoted newlines the record index is not the line). The parser is the same commons-csv
 * that camel-csv wraps; a {@link RecordingReader} under it keeps the raw characters.
 */
public final class CsvBatchReader implements Iterator<RecordBatch>, Closeable {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();
    /** The first block of a file, where {@link #checkText} decides whether it is text at all. */
    private static final int SNIFF_BYTES = 8192;
    /** Binary: more than one byte in this many of the first block is a control byte. */
    private static final int CONTROL_BYTES_PER_TEXT = 20;

    private final CountingInputStream bytes;
    private final RecordingReader reader;
    private final CsvRowMapper mapper;
    private final RunContext context;
    private final int batchSize;
    /** What each lane's batches of earlier runs committed: read past, never handed out again. */
    private final LaneCheckpoints committed;
    private final ToIntFunction<CandidateRecord> laneOf;
    /** Per lane (the reader thread's own): the rows of its next batch, and the line it continues from. */
    private final List<List<CandidateRecord>> laneRows = new ArrayList<>();
    private final long[] laneLastLine;
    /** Batches filled, in the order they filled (the reader thread's own). */
    private final ArrayDeque<RecordBatch> filled = new ArrayDeque<>();
    /** Whether rows are dealt to lanes yet: a file not resumed is first read to see if it is longer than a batch. */
    private boolean dealing;
    /** The header row's exact text, kept with the run so that its rejected rows can be read again. */
    private final String headerLine;

    private CSVParser parser;
    private Iterator<CSVRecord> records;
    private long recordNumber;
    private Pending pending;          // parsed, waiting for the next record to know where it ends
    private long pendingSegmentLine;  // the line where the pending record's text segment starts
    private boolean exhausted;        // the parser side: no more rows in the file
    private volatile long rowsRead;

    // The consumer side: batches are read one ahead on another thread (see hasNext()).
    private final BlockingQueue<Object> ahead = new ArrayBlockingQueue<>(1);
    private Thread readAhead;
    private RecordBatch prefetched;
    private boolean ended;
    private RuntimeException failure;

    /** What the reader stamps on every batch. */
    public record RunContext(String source, long runId, String fileName, String checkpointKey) {
    }

    /** The most a file's header may hold: its length in bytes, and its columns. */
    public record Limits(int maxHeaderBytes, int maxColumns) {
        public static final Limits DEFAULT = new Limits(64 * 1024, 1000);

        public static Limits of(EtlProperties.Inbox inbox) {
            return new Limits((int) Math.min(Integer.MAX_VALUE - 1, inbox.maxHeaderLength().toBytes()), inbox.maxColumns());
        }
    }

    /**
     * Thrown at a batch boundary when the service is stopping (or the file's claim passed to another
     * replica): the file is left for the next start or the other replica.
     */
    public static final class StopRequested extends RuntimeException {
        public StopRequested(String fileName) {
            super(fileName + ": reading stopped at a batch boundary");
        }
    }

    private BooleanSupplier stopRequested = () -> false;

    private record Pending(long start, List<String> values, String defect) {
    }

    private CsvBatchReader(InputStream in, CsvRowMapper.Factory mapperFactory, RunContext context,
                           int batchSize, LaneCheckpoints committed, ToIntFunction<CandidateRecord> laneOf,
                           Limits limits) throws IOException {
        this.bytes = new CountingInputStream(in);
        // Invalid UTF-8 is decoded with U+FFFD and the row is rejected by the mapper: one bad byte
        // must not fail the whole file.
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        this.reader = new RecordingReader(new InputStreamReader(bytes, decoder));
        this.context = context;
        this.batchSize = batchSize;
        this.committed = committed;
        this.laneOf = laneOf;
        this.laneLastLine = new long[committed.lanes()];
        this.dealing = committed.lanes() == 1 || committed.any();
        for (int lane = 0; lane < committed.lanes(); lane++) {
            laneRows.add(new ArrayList<>(batchSize));
            laneLastLine[lane] = committed.lastLine(lane);
        }
        this.parser = parser(reader, 0, 0);
        this.records = parser.iterator();
        this.pendingSegmentLine = 1;
        CsvRow header = nextRow();
        if (header == null) {
            throw new InvalidFileException("empty file: no header row");
        }
        if (header.values().size() > limits.maxColumns()) {
            throw new InvalidFileException("the header has " + header.values().size() + " columns, more than "
                    + limits.maxColumns() + " (etl.inbox.max-columns)");
        }
        this.headerLine = header.raw();
        this.mapper = mapperFactory.forHeader(header.values());
    }

    /**
     * Opens {@code file} to read in {@code committed.lanes()} lanes; a row on a line its lane
     * committed in an earlier, interrupted run is parsed but not returned. {@code stopRequested} is
     * asked before each batch is handed out.
     */
    public static CsvBatchReader open(Path file, CsvRowMapper.Factory mapperFactory, RunContext context,
                                      int batchSize, LaneCheckpoints committed, ToIntFunction<CandidateRecord> laneOf,
                                      Limits limits, BooleanSupplier stopRequested) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
        try {
            checkText(in, limits.maxHeaderBytes());
            CsvBatchReader reader = new CsvBatchReader(in, mapperFactory, context, batchSize, committed, laneOf, limits);
            reader.stopRequested = stopRequested;
            return reader;
        } catch (RuntimeException | IOException e) {
            in.close();
            throw e;
        }
    }

    private static CSVParser parser(RecordingReader reader, long characterOffset, long recordNumber) throws IOException {
        return CSVParser.builder().setReader(reader).setFormat(FORMAT)
                .setCharacterOffset(characterOffset).setRecordNumber(recordNumber).get();
    }

    /**
     * Refuses a file that is not text as a whole, or whose header is too long, before anything is
     * parsed. Binary: the header line holds a control byte other than tab and CR, or more than one
     * byte in {@value #CONTROL_BYTES_PER_TEXT} of the first {@value #SNIFF_BYTES} is a control byte
     * other than tab, CR and LF. A stray NUL or control byte further in only rejects its row.
     */
    static void checkText(InputStream in, int maxHeaderBytes) throws IOException {
        int sniff = Math.max(SNIFF_BYTES, maxHeaderBytes + 1);
        in.mark(sniff);
        byte[] head = in.readNBytes(sniff);
        in.reset();
        int headerEnd = 0;
        while (headerEnd < head.length && head[headerEnd] != '\n') {
            headerEnd++;
        }
        if (headerEnd > maxHeaderBytes) {
            throw new InvalidFileException("the header line is longer than " + maxHeaderBytes
                    + " bytes (etl.inbox.max-header-length)");
        }
        int block = Math.min(head.length, SNIFF_BYTES);
        int control = 0;
        for (int i = 0; i < block; i++) {
            int b = head[i] & 0xff;
            boolean isControl = (b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f;
            if (isControl && i < headerEnd) {
                throw new InvalidFileException("not a CSV text file: binary content (control byte 0x"
                        + String.format("%02x", b) + " in the header line)");
            }
            if (isControl) {
                control++;
            }
        }
        if (control * CONTROL_BYTES_PER_TEXT > block) {
            throw new InvalidFileException("not a CSV text file: binary content (" + control
                    + " control bytes in the first " + block + ")");
        }
    }

    /** The header row exactly as in the file (a UTF-8 BOM dropped), without its line terminator. */
    public String headerLine() {
        return headerLine;
    }

    public long bytesRead() {
        return bytes.count;
    }

    public long rowsRead() {
        return rowsRead;
    }

    /**
     * Parsing overlaps writing: a reader thread parses and maps the next batch while the caller
     * writes the current one (docs/performance.md has the A/B figures). Batches come out of a
     * one-slot queue in file order; the reader holds at most three (one handed out, one queued,
     * one being parsed). A parse failure, or a stop, is thrown by {@link #next()}, in the place of
     * the batch it replaces: a caller that has taken a batch and asks whether another follows
     * always gets its answer, so no batch taken is left unwritten.
     */
    @Override
    public boolean hasNext() {
        if (prefetched == null && !ended && failure == null) {
            if (readAhead == null) {
                readAhead = new Thread(this::readAheadLoop, "csv-read-" + context.fileName());
                readAhead.setDaemon(true);
                readAhead.start();
            }
            Object next;
            try {
                next = ahead.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the next batch", e);
            }
            if (next == END) {
                ended = true;
            } else if (next instanceof RuntimeException e) {
                failure = e;
            } else {
                prefetched = (RecordBatch) next;
            }
        }
        return prefetched != null || failure != null;
    }

    private static final Object END = new Object();

    private void readAheadLoop() {
        try {
            RecordBatch batch;
            do {
                batch = readBatch();
                ahead.put(batch == null ? END : batch);
            } while (batch != null);
        } catch (InterruptedException e) {
            // closed by the consumer
        } catch (RuntimeException e) {
            handOver(e);
        } catch (Error e) {
            handOver(new IllegalStateException("reading failed: " + e, e));
            throw e;
        }
    }

    /** Queues a failure behind the batches already read (put, not offer: the slot may be full). */
    private void handOver(RuntimeException e) {
        try {
            ahead.put(e);
        } catch (InterruptedException closed) {
            // closed by the consumer: nobody waits for it
        }
    }

    @Override
    public RecordBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (failure != null) {
            throw failure;
        }
        if (stopRequested.getAsBoolean()) {
            throw new StopRequested(context.fileName());
        }
        RecordBatch batch = prefetched;
        prefetched = null;
        return batch;
    }

    /**
     * The next batch: the first lane to fill {@code batchSize} rows, and at the end of the file what
     * each lane holds, in lane order. A file no longer than one batch (not resumed) is one batch in
     * one lane, in file order, as it would be with one writer. Null when nothing is left.
     */
    private RecordBatch readBatch() {
        if (!dealing) {
            dealing = true;
            List<CandidateRecord> head = new ArrayList<>(batchSize + 1);
            CsvRow row;
            while (head.size() <= batchSize && (row = nextRow()) != null) {
                rowsRead++;
                head.add(mapper.map(row));
            }
            if (head.size() <= batchSize) {
                exhausted = true;
                return head.isEmpty() ? null : new RecordBatch(context.source(), context.runId(), context.fileName(),
                        context.checkpointKey(), 0, head.get(head.size() - 1).line(), bytes.count, head, null,
                        Lane.ONLY);
            }
            head.forEach(r -> deal(r, laneOf.applyAsInt(r)));
        }
        while (filled.isEmpty() && !exhausted) {
            CsvRow row = nextRow();
            if (row == null) {
                exhausted = true;
                for (int lane = 0; lane < laneRows.size(); lane++) {
                    if (!laneRows.get(lane).isEmpty()) {
                        filled.add(batchOf(lane));
                    }
                }
                break;
            }
            CandidateRecord mapped = mapper.map(row);
            int lane = laneOf.applyAsInt(mapped);
            if (row.line() > committed.lastLine(lane)) {
                rowsRead++;
                deal(mapped, lane);
            }
        }
        return filled.poll();
    }

    private void deal(CandidateRecord row, int lane) {
        List<CandidateRecord> rows = laneRows.get(lane);
        rows.add(row);
        if (rows.size() >= batchSize) {
            filled.add(batchOf(lane));
        }
    }

    private RecordBatch batchOf(int lane) {
        List<CandidateRecord> rows = laneRows.get(lane);
        laneRows.set(lane, new ArrayList<>(batchSize));
        long previousLine = laneLastLine[lane];
        long lastLine = rows.get(rows.size() - 1).line();
        laneLastLine[lane] = lastLine;
        return new RecordBatch(context.source(), context.runId(), context.fileName(), context.checkpointKey(),
                previousLine, lastLine, bytes.count, rows, null, new Lane(lane, laneRows.size()));
    }

    /** The next complete record with its line and raw text, or null at the end of the file. */
    private CsvRow nextRow() {
        while (true) {
            CSVRecord record;
            try {
                record = records.hasNext() ? records.next() : null;
            } catch (UncheckedIOException | IllegalStateException e) {
                CsvRow row = recoverFromMalformed(e);
                if (row != null) {
                    return row;
                }
                continue;
            }
            long start = record == null ? reader.end() : record.getCharacterPosition();
            CsvRow finished = pending == null ? null : finish(pending, start);
            if (record != null) {
                recordNumber = record.getRecordNumber();
                pending = new Pending(start, record.toList(), null);
            } else {
                pending = null;
            }
            if (finished != null) {
                return finished;
            }
            if (record == null) {
                return null;
            }
        }
    }

    /** Closes the pending record's text segment at {@code end}: strips blank lines, counts lines. */
    private CsvRow finish(Pending record, long end) {
        String segment = reader.text(record.start(), end);
        int from = 0;
        long line = pendingSegmentLine;
        while (from < segment.length() && isEol(segment.charAt(from))) {
            from = skipEol(segment, from);
            line++;
        }
        int to = segment.length();
        while (to > from && isEol(segment.charAt(to - 1))) {
            to--;
        }
        pendingSegmentLine = line + countLines(segment, from, segment.length());
        reader.discardBefore(end);
        return new CsvRow(line, segment.substring(from, to), record.values(), record.defect());
    }

    /**
     * The parser stopped inside a malformed record (a stray quote). The pending record is intact;
     * the physical line after it is rejected as a whole, and a new parser resumes on the line after.
     */
    private CsvRow recoverFromMalformed(RuntimeException e) {
        if (pending == null) {
            throw new InvalidFileException("malformed CSV header: " + rootMessage(e));
        }
        long pendingEnd = endOfRecord(pending.start());
        CsvRow finished = finish(pending, pendingEnd);
        // The bad line starts after the pending record's terminator (and any blank lines); its
        // segment starts at pendingEnd so that finish() counts those line breaks.
        long badStart = pendingEnd;
        while (badStart < reader.end() && isEol(reader.charAt(badStart))) {
            badStart++;
        }
        long badEnd = reader.lineEnd(badStart);
        long resumeAt = badEnd;
        if (resumeAt < reader.end() && reader.charAt(resumeAt) == '\r') {
            resumeAt++;
        }
        if (resumeAt < reader.end() && reader.charAt(resumeAt) == '\n') {
            resumeAt++;
        }
        pending = new Pending(pendingEnd, List.of(), "malformed CSV: " + rootMessage(e));
        reader.rewind(resumeAt);
        try {
            parser = parser(reader, resumeAt, recordNumber + 1);
        } catch (IOException io) {
            throw new UncheckedIOException(io);
        }
        records = parser.iterator();
        // The rejected line ends where the new parser starts.
        return finished;
    }

    /** Where a record that parsed cleanly ends: the first line break outside quotes. */
    private long endOfRecord(long start) {
        boolean quoted = false;
        for (long p = start; p < reader.end(); p++) {
            char c = reader.charAt(p);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && isEol(c)) {
                return p;
            }
        }
        return reader.end();
    }

    private static boolean isEol(char c) {
        return c == '\n' || c == '\r';
    }

    private static int skipEol(String s, int i) {
        return s.charAt(i) == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? i + 2 : i + 1;
    }

    private static long countLines(String s, int from, int to) {
        long lines = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= to || s.charAt(i + 1) != '\n'))) {
                lines++;
            }
        }
        return lines;
    }

    private static String rootMessage(Throwable e) {
        return Causes.root(e).getMessage();
    }

    @Override
    public void close() throws IOException {
        Thread thread = readAhead;
        if (thread != null && thread.isAlive()) {
            thread.interrupt(); // the consumer stopped early (a failed batch): stop reading ahead
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // Closed from another thread while the consumer waits in hasNext(): it sees the end.
            ahead.clear();
            ahead.offer(END);
        }
        parser.close();
        reader.close();
    }

    /** Counts the bytes the decoder has pulled, for progress (it runs ahead by a buffer). */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
