package com.kasparro.etl.ingest.csv;

import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.ingest.inbox.Arrivals;
import com.kasparro.etl.ingest.inbox.Arrivals.Arrival;
import com.kasparro.etl.ingest.inbox.Errors;
import com.kasparro.etl.ingest.inbox.InboxArchive;
import com.kasparro.etl.ingest.inbox.InboxClaims;
import com.kasparro.etl.normalize.CandidateRecord;
import com.kasparro.etl.normalize.RecordBatch;
import com.kasparro.etl.normalize.RecordValidator;
import com.kasparro.etl.observe.ProgressLog;
import com.kasparro.etl.observe.RunMdc;
import com.kasparro.etl.source.SourceRegistry;
import com.kasparro.etl.source.SourceSpec;
import com.kasparro.etl.store.CheckpointBehindException;
import com.kasparro.etl.store.InputCompletion;
import com.kasparro.etl.store.Lane;
import com.kasparro.etl.store.LaneCheckpoints;
import com.kasparro.etl.store.RunRepository.Checkpoint;
import com.kasparro.etl.store.RunRepository;
import com.kasparro.etl.util.Causes;
import com.kasparro.etl.util.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of an inbox route around its batches, each a typed value in and out: identify the
 * file by content ({@link InboxFile}), open or resume its run ({@link FileRun}), read its batches,
 * and close the run with its outcome.
 */
@Component
public class CsvFileSteps {

    private static final Logger log = LoggerFactory.getLogger(CsvFileSteps.class);

    private final RunRepository runs;
    private final SourceRegistry sources;
    private final ProgressLog progress;
    private final int batchSize;
    private final CsvBatchReader.Limits limits;
    private final CamelContext camel;
    private final InboxArchive archive;
    private final InboxClaims claims;
    private final Arrivals arrivals;
    private final FileWrites writes;
    private final long claimRetryMillis;

    public CsvFileSteps(RunRepository runs, SourceRegistry sources, ProgressLog progress, EtlProperties properties,
                        CamelContext camel, InboxArchive archive, InboxClaims claims, Arrivals arrivals,
                        FileWrites writes) {
        this.runs = runs;
        this.writes = writes;
        this.arrivals = arrivals;
        this.claims = claims;
        this.claimRetryMillis = properties.inbox().claimRenewInterval().toMillis();
        this.camel = camel;
        this.archive = archive;
        this.sources = sources;
        this.progress = progress;
        this.batchSize = properties.batchSize();
        this.limits = CsvBatchReader.Limits.of(properties.inbox());
    }

    /**
     * Names the file by the sha256 of its bytes (the same content under any name is one file) and
     * places it in the inbox's arrival order. An earlier file of the source can still be in the inbox
     * only now, never later: whatever arrives from now on arrives after this one.
     */
    public InboxFile identify(@Header(Exchange.FILE_PATH) String filePath,
                              @Header(Exchange.FILE_NAME_ONLY) String name,
                              @Header(InboxRoutes.SOURCE) String source) throws IOException {
        RunMdc.source(source);
        Path path = Path.of(filePath).toAbsolutePath();
        Arrival arrival = Arrivals.of(path);
        boolean overtakes = arrivals.earlierWaiting(sources.get(source).filePattern(), arrival);
        return new InboxFile(source, name, path, Files.size(path), Sha256.hex(path), arrival, overtakes);
    }

    /**
     * Claims the file's content for this replica, so that the same bytes dropped under two names are
     * never loaded at the same time (their runs would share one checkpoint). While another replica
     * loads them, this file waits here; when that load is done, the file is a duplicate of it. The
     * claim goes when the exchange ends. A stop while waiting leaves the file in the inbox.
     */
    public InboxFile claimContent(InboxFile file, Exchange exchange) throws InterruptedException {
        String key = file.source() + "/" + file.sha256();
        boolean told = false;
        while (!claims.tryClaim(key)) {
            if (!told) {
                log.info("{}: the same content is being loaded by another replica; waiting for it", file.name());
                told = true;
            }
            if (camel.isStopping()) {
                throw new CsvBatchReader.StopRequested(file.name());
            }
            // Not a test's sleep: the wait for another replica's load, at the pace of the claims' renewal.
            Thread.sleep(claimRetryMillis);
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                claims.release(key);
            }
        });
        return file;
    }

    /**
     * Whether the file's rows are in the table already, so that it gets a run that says so and is not
     * read: this drop was loaded in full (a stop came after its run completed and before the file
     * left the inbox; its completed-file key is stored after the run, in its own transaction), or
     * the same content was ({@code duplicate}, from the completed-file keys). Such content is still
     * loaded when an earlier file of the source waits in the inbox: this later drop's rows must be
     * the ones that file cannot overwrite.
     */
    public boolean alreadyLoaded(InboxFile file, @ExchangeProperty(Exchange.DUPLICATE_MESSAGE) Boolean duplicate) {
        return runs.loadedBefore(file.source(), file.sha256(), file.name(), file.arrival().at())
                || (Boolean.TRUE.equals(duplicate) && !file.overtakes());
    }

    /** Content already ingested in full: a run that says so, and nothing written. */
    public void recordDuplicate(InboxFile file) {
        long rows = runs.findCheckpoint(file.source(), file.sha256()).map(Checkpoint::rowsRead).orElse(0L);
        long runId = runs.recordFinished(file.source(), "success", "file", file.name(), file.sha256(), file.size(),
                rows, null, "identical content already ingested (sha256 " + file.sha256() + "): all rows skipped");
        RunMdc.run(file.source(), runId);
        log.info("{}: identical content already ingested, {} rows skipped", file.name(), rows);
    }

    /**
     * Starts the file's run. An unfinished checkpoint for the same content means an earlier run
     * stopped mid-file: it is closed as interrupted and this one resumes each lane after its line.
     */
    public FileRun begin(InboxFile file) {
        Optional<Checkpoint> checkpoint = runs.findCheckpoint(file.source(), file.sha256());
        LaneCheckpoints committed = LaneCheckpoints.none(writes.lanes());
        if (checkpoint.isPresent() && !checkpoint.get().completed()) {
            committed = runs.laneCheckpoints(file.source(), file.sha256(), writes.lanes());
        } else if (checkpoint.isPresent()) {
            // Completed before, but its key was forgotten because records changed since, or it
            // overtakes an earlier file: apply again.
            runs.resetCheckpoint(file.source(), file.sha256());
        }
        long resumeAfter = committed.everyLaneTo();
        long runId = runs.start(file.source(), "file", file.name(), file.sha256(), file.size(),
                resumeAfter > 0 ? resumeAfter : null, file.arrival().at(), file.overtakes());
        RunMdc.run(file.source(), runId);
        List<Long> interrupted = runs.interruptOrphans(file.source(), file.sha256(), runId);
        String order = file.overtakes() ? "; overtakes an earlier file of the source still in the inbox" : "";
        if (committed.any()) {
            log.warn("{}: resuming each lane after its line, {} (interrupted run(s) {}){}", file.name(), committed,
                    interrupted, order);
        } else if (!interrupted.isEmpty()) {
            log.warn("{}: restarting from the top (interrupted run(s) {} committed no batch){}", file.name(),
                    interrupted, order);
        } else {
            log.info("{}: started ({} bytes){}", file.name(), file.size(), order);
        }
        progress.started(runId, file.name(), file.size());
        return new FileRun(file, runId, committed);
    }

    /**
     * The file's batches, for the streaming splitter; it closes the reader when it is done. The
     * header line is kept with the run first: a rejected row can be read again only under it.
     */
    public CsvBatchReader batches(FileRun run, Exchange exchange) throws IOException {
        InboxFile file = run.file();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                writes.forget(run.runId());
            }
        });
        SourceSpec spec = sources.get(file.source());
        int lanes = run.committed().lanes();
        Function<CandidateRecord, String> keys = RecordValidator.keys(spec);
        CsvBatchReader reader = CsvBatchReader.open(file.path(), CsvRowMapper.Factory.of(spec),
                new CsvBatchReader.RunContext(file.source(), run.runId(), file.name(), file.sha256()),
                batchSize, run.committed(), row -> Lane.of(keys.apply(row), lanes), limits,
                () -> camel.isStopping() || writes.closing(run.runId()) || claims.isLost(file.name())
                        || claims.isLost(file.source() + "/" + file.sha256()));
        try {
            runs.recordHeader(run.runId(), reader.headerLine());
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
        return reader;
    }

    /** Every batch committed: the checkpoint to complete and the run to close, for the route's sql: step. */
    public InputCompletion completion(FileRun run) {
        writes.finish(run.runId());
        return InputCompletion.file(run.file().source(), run.runId(), run.file().sha256(), run.file().name());
    }

    /** The run is closed: the metrics learn its outcome, and the file's last line is logged. */
    public void finished(InputCompletion completed) {
        runs.finished(completed.runId());
        progress.finished(completed.runId());
        log.info("{}: done", completed.fileName());
    }

    /**
     * The file's run ends without the file being at fault: the service is stopping, or a crash of
     * PostgreSQL lost batches it had acknowledged. The batches in flight end first (committed or
     * rolled back), the run is closed as interrupted, and the file stays in the inbox: the next poll
     * (here or on another replica, or after the restart) resumes each lane after its checkpoint.
     */
    public void interrupt(Exchange exchange) {
        Optional<RunOfFile> started = RunOfFile.of(exchange.getIn().getBody());
        if (started.isEmpty()) {
            // Stopped while waiting for another replica's load of the same content: no run yet.
            log.info("{}: left in the inbox (the service is stopping)",
                    exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class));
            return;
        }
        RunOfFile run = started.get();
        writes.finish(run.runId(), run.ownLane());
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        long line = runs.laneCheckpoints(run.source(), run.sha256(), writes.lanes()).everyLaneTo();
        String why = Causes.find(cause, CheckpointBehindException.class).isPresent()
                ? "the database lost batches it had acknowledged"
                : claims.isLost(run.fileName()) || claims.isLost(run.source() + "/" + run.sha256())
                        ? "another replica took over this replica's claim on the file"
                        : "the service stopped";
        runs.fail(run.runId(), "interrupted: " + why + "; the file stays in the inbox and resumes after line " + line);
        progress.finished(run.runId());
        log.warn("{}: interrupted ({}) after line {}; left in the inbox", run.fileName(), why, line);
        RunMdc.clear();
    }

    /**
     * The file can never be processed: a failed run with the reason, and the file to .error/. This
     * step moves it, not the endpoint's moveFailed: an exchange interrupted by a stop also fails,
     * and that file must stay where it is.
     */
    public void fail(Exchange exchange) throws IOException {
        String reason = Errors.describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        String source = exchange.getIn().getHeader(InboxRoutes.SOURCE, String.class);
        String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Object body = exchange.getIn().getBody();
        Optional<RunOfFile> run = RunOfFile.of(body);
        try {
            long runId;
            if (run.isPresent()) {
                runId = run.get().runId();
                writes.finish(runId, run.get().ownLane());
                runs.fail(runId, reason);
                progress.finished(runId);
            } else {
                InboxFile file = body instanceof InboxFile f ? f : null;
                runId = runs.recordFinished(source, "failed", "file", name, file == null ? null : file.sha256(),
                        file == null ? null : file.size(), 0, reason, null);
            }
            RunMdc.run(source, runId);
            log.error("{}: failed, moving to {}/: {}", name, InboxArchive.ERROR, reason);
            archive.moveToError(Path.of(exchange.getIn().getHeader(Exchange.FILE_PATH, String.class)));
        } finally {
            RunMdc.clear();
        }
    }

    /**
     * The run a failure belongs to, from whatever the route held then: the file's run, one of its
     * batches (a failure inside the split), or its completion.
     */
    private record RunOfFile(String source, long runId, String fileName, String sha256, Lane ownLane) {

        static Optional<RunOfFile> of(Object body) {
            if (body instanceof FileRun r) {
                return Optional.of(new RunOfFile(r.file().source(), r.runId(), r.file().name(), r.file().sha256(), null));
            }
            if (body instanceof RecordBatch b) {
                // The failing batch's own error handling: its lane is this very exchange's, still in flight.
                return Optional.of(new RunOfFile(b.source(), b.runId(), b.fileName(), b.checkpointKey(), b.lane()));
            }
            if (body instanceof InputCompletion c) {
                return Optional.of(new RunOfFile(c.source(), c.runId(), c.fileName(), c.checkpointKey(), null));
            }
            return Optional.empty();
        }
    }
}
