package com.kasparro.etl.ingest.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.ingest.api.ItemBatchIterator;
import com.kasparro.etl.ingest.api.MalformedPayloadException;
import com.kasparro.etl.ingest.api.PollGuards;
import com.kasparro.etl.ingest.csv.CsvBatchReader;
import com.kasparro.etl.ingest.csv.CsvRowMapper;
import com.kasparro.etl.ingest.csv.InvalidFileException;
import com.kasparro.etl.ingest.inbox.Errors;
import com.kasparro.etl.normalize.CandidateRecord;
import com.kasparro.etl.normalize.RecordBatch;
import com.kasparro.etl.observe.RunMdc;
import com.kasparro.etl.source.SourceRegistry;
import com.kasparro.etl.source.SourceSpec;
import com.kasparro.etl.store.ApiPayloadRepository;
import com.kasparro.etl.store.LaneCheckpoints;
import com.kasparro.etl.store.RejectedRows;
import com.kasparro.etl.store.RunRepository;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of a replay run ({@link ReplayRoute}): read a source's unresolved rejected rows again,
 * under their file's header and the source's current configuration, as the batches of one run with
 * trigger {@code replay}. Each batch names the run its rows came from ({@code replayOf}) and keeps
 * their original lines, so that the write step marks exactly the rows it loaded as resolved.
 *
 * <p>A csv run's rows are written under their header line to a temporary file and read by the same
 * {@link CsvBatchReader} and {@link CsvRowMapper} as an inbox file, so quoting, defects and checks
 * are a file's; a json-api run's rows (each an item's JSON) become one array read by the same
 * {@link ItemBatchIterator} as a poll. One original run's rows are held in memory at a time.
 */
@Component
public class ReplaySteps {

    /** Stored in {@code etl_runs.trigger}. */
    public static final String TRIGGER = "replay";
    /**
     * A replay run's input identity in {@code etl_runs.file_hash}: file runs have their sha256 and
     * polls none, so closing their orphans never touches a replay, nor a replay theirs.
     */
    static final String INPUT = "replay";

    private static final Logger log = LoggerFactory.getLogger(ReplaySteps.class);

    private final SourceRegistry sources;
    private final RunRepository runs;
    private final RejectedRows rejected;
    private final ApiPayloadRepository counters;
    private final PollGuards guards;
    private final ObjectMapper mapper;
    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final int batchSize;
    private final CsvBatchReader.Limits limits;

    public ReplaySteps(SourceRegistry sources, RunRepository runs, RejectedRows rejected, ApiPayloadRepository counters,
                       PollGuards guards, ObjectMapper mapper, CamelContext camel, ProducerTemplate producer,
                       EtlProperties properties) {
        this.sources = sources;
        this.runs = runs;
        this.rejected = rejected;
        this.counters = counters;
        this.guards = guards;
        this.mapper = mapper;
        this.camel = camel;
        this.producer = producer;
        this.batchSize = properties.batchSize();
        this.limits = CsvBatchReader.Limits.of(properties.inbox());
    }

    /**
     * Opens the replay run and starts it on another thread; returns its id once the run row exists.
     * One replay of a source runs at a time, on any replica (its guard is held until the run ends).
     *
     * @param onlyRun the run whose rows to replay, or null for every run of the source
     * @throws ReplayRefusedException no such run of the source, a csv run without a header line, or
     *                                a replay of the source already running
     */
    public long launch(String source, Long onlyRun) {
        SourceSpec spec = sources.get(source);
        if (onlyRun != null) {
            RejectedRows.Run run = rejected.run(onlyRun).filter(r -> r.source().equals(source))
                    .orElseThrow(() -> new ReplayRefusedException(ReplayRefusedException.Reason.NO_SUCH_RUN,
                            "no run " + onlyRun + " of source " + source));
            if (spec.kind() == SourceSpec.Kind.CSV && run.headerLine() == null) {
                throw new ReplayRefusedException(ReplayRefusedException.Reason.NO_HEADER, "run " + onlyRun
                        + " kept no header line (its file was loaded before runs kept theirs): its rows cannot be"
                        + " read again; drop the fixed rows as a new file instead");
            }
        }
        String guard = guardOf(source);
        if (!guards.tryAcquire(guard)) {
            throw new ReplayRefusedException(ReplayRefusedException.Reason.RUNNING,
                    "a replay of " + source + " is already running");
        }
        long runId;
        try {
            runId = runs.start(source, TRIGGER, onlyRun == null ? null : "replay of run " + onlyRun, INPUT, null, null, null, false);
            // The guard is ours: a replay run of this source still 'running' belongs to a dead process.
            runs.interruptOrphans(source, INPUT, runId);
        } catch (RuntimeException e) {
            guards.release(guard);
            throw e;
        }
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setBody(new Replay(spec, runId, onlyRun));
        try {
            producer.asyncSend(ReplayRoute.ENDPOINT, exchange).whenComplete((done, error) -> guards.release(guard));
        } catch (RuntimeException e) {
            guards.release(guard);
            runs.fail(runId, "could not start the replay: " + e.getMessage());
            throw e;
        }
        return runId;
    }

    /** The key of a source's replay guard: source names hold no ':', so it never meets a poll's. */
    private static String guardOf(String source) {
        return TRIGGER + ":" + source;
    }

    public void start(Replay replay) {
        RunMdc.run(replay.source().source(), replay.runId());
        log.info("replay started: the unresolved rejected rows of {} of {}, against its current configuration",
                replay.onlyRun() == null ? "every run" : "run " + replay.onlyRun(), replay.source().source());
    }

    /** The replay's batches, one original run after the other, for the streaming splitter. */
    public Iterator<RecordBatch> batches(Replay replay) {
        Iterator<RejectedRows.Run> originals = rejected.runsToReplay(replay.source().source(), replay.onlyRun())
                .iterator();
        return new Iterator<>() {
            private Iterator<RecordBatch> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && originals.hasNext()) {
                    current = batchesOf(replay, originals.next()).iterator();
                }
                return current.hasNext();
            }

            @Override
            public RecordBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    private List<RecordBatch> batchesOf(Replay replay, RejectedRows.Run run) {
        SourceSpec spec = replay.source();
        if (spec.kind() == SourceSpec.Kind.CSV && run.headerLine() == null) {
            replay.notReplayed(run.id(), "no header line kept (loaded before runs kept theirs)");
            return List.of();
        }
        List<RejectedRows.Row> rows = rejected.unresolved(run.id());
        if (rows.isEmpty()) {
            return List.of();
        }
        try {
            List<RecordBatch> batches = spec.kind() == SourceSpec.Kind.CSV ? csv(replay, run, rows) : items(replay, run, rows);
            replay.replayed(run.id(), rows.size());
            return batches;
        } catch (InvalidFileException | MalformedPayloadException e) {
            // The file as it is now configured cannot be read (a required column renamed away): its
            // rows stay unresolved, and the note says why.
            replay.notReplayed(run.id(), e.getMessage());
            return List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<RecordBatch> csv(Replay replay, RejectedRows.Run run, List<RejectedRows.Row> rows) throws IOException {
        TreeMap<Long, Long> originalLine = new TreeMap<>();
        Path file = Files.createTempFile("kasparro-replay-", ".csv");
        try {
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                out.write(run.headerLine());
                out.write('\n');
                long line = 2 + lineBreaks(run.headerLine());
                for (RejectedRows.Row row : rows) {
                    originalLine.put(line, row.line());
                    out.write(row.rawText());
                    out.write('\n');
                    line += 1 + lineBreaks(row.rawText());
                }
            }
            String fileName = run.fileName() == null ? "run " + run.id() : run.fileName();
            List<RecordBatch> batches = new ArrayList<>();
            try (CsvBatchReader reader = CsvBatchReader.open(file, CsvRowMapper.Factory.of(replay.source()),
                    new CsvBatchReader.RunContext(replay.source().source(), replay.runId(), fileName, null),
                    batchSize, LaneCheckpoints.none(1), row -> 0, limits, camel::isStopping)) {
                reader.forEachRemaining(batch -> batches.add(
                        ofOriginal(batch, run, c -> originalLine.floorEntry(c.line()).getValue())));
            }
            return batches;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private List<RecordBatch> items(Replay replay, RejectedRows.Run run, List<RejectedRows.Row> rows)
            throws IOException {
        List<Long> originalLine = new ArrayList<>(rows.size());
        StringBuilder array = new StringBuilder().append('[');
        for (RejectedRows.Row row : rows) {
            try {
                mapper.readTree(row.rawText());
            } catch (JsonProcessingException e) {
                continue; // not one JSON value: it could not be an item, and stays unresolved
            }
            if (!originalLine.isEmpty()) {
                array.append(',');
            }
            array.append(row.rawText());
            originalLine.add(row.line());
        }
        List<RecordBatch> batches = new ArrayList<>();
        try (ItemBatchIterator items = new ItemBatchIterator(array.append(']').toString().getBytes(StandardCharsets.UTF_8),
                "", mapper, replay.source(), replay.runId(), batchSize, 0)) {
            items.forEachRemaining(batch -> batches.add(
                    ofOriginal(batch, run, c -> originalLine.get((int) c.line() - 1))));
        }
        return batches;
    }

    /** A batch read again, its rows at their original lines, naming the run they came from. */
    private static RecordBatch ofOriginal(RecordBatch read, RejectedRows.Run run, ToLongFunction<CandidateRecord> line) {
        List<CandidateRecord> records = read.records().stream()
                .map(c -> new CandidateRecord(line.applyAsLong(c), c.rawText(), c.rawJson(), c.fields(), c.attributes(),
                        c.defect()))
                .toList();
        return new RecordBatch(read.source(), read.runId(), read.fileName(), null, 0,
                records.get(records.size() - 1).line(), 0, records, run.id());
    }

    /** Line breaks as the reader counts them: LF, CRLF or a lone CR. */
    private static long lineBreaks(String text) {
        long breaks = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                breaks++;
            }
        }
        return breaks;
    }

    /** Every batch written: the run to close with its note, for the route's {@code sql:} step. */
    public ReplayCompletion completion(Replay replay) {
        return new ReplayCompletion(replay.runId(), replay.note());
    }

    /** The run's one summary line. */
    public void finished(ReplayCompletion completed, Exchange exchange) {
        Replay replay = exchange.getProperty(ReplayRoute.REPLAY, Replay.class);
        runs.finished(completed.runId());
        ApiPayloadRepository.RunCounts counts = counters.counts(completed.runId());
        log.info("replay done: {} row(s) read again, {} loaded ({} new, {} updated, {} unchanged), {} still rejected; {}",
                counts.read(), counts.inserted() + counts.updated() + counts.skipped(), counts.inserted(),
                counts.updated(), counts.skipped(), counts.rejected(), replay == null ? "" : replay.note());
        RunMdc.clear();
    }

    /** The replay cannot go on (the database, a stop): the run fails; rows not yet loaded stay unresolved. */
    public void fail(Exchange exchange) {
        Replay replay = exchange.getProperty(ReplayRoute.REPLAY, Replay.class);
        String reason = Errors.describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        try {
            runs.fail(replay.runId(), "replay failed: " + reason + "; rows not loaded stay unresolved");
            log.error("replay failed: {}", reason);
        } finally {
            RunMdc.clear();
        }
    }

    /** A replay that loaded what it could: its run closed with a note. */
    public record ReplayCompletion(long runId, String note) {
    }
}
