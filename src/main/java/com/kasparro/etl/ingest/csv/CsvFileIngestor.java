package com.kasparro.etl.ingest.csv;

import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.ingest.inbox.Errors;
import com.kasparro.etl.ingest.inbox.InboxArchive;
import com.kasparro.etl.normalize.CommitOrder;
import com.kasparro.etl.normalize.RecordValidator;
import com.kasparro.etl.normalize.RunKeys;
import com.kasparro.etl.normalize.ValidatedBatch;
import com.kasparro.etl.observe.EtlMetrics;
import com.kasparro.etl.store.CheckpointDivergedException;
import com.kasparro.etl.store.RecordStatistics;
import com.kasparro.etl.store.RunRepository;
import com.kasparro.etl.store.RunRepository.Checkpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * The steps of an inbox route around its batches: identify the file by content, open or resume
 * its run, and close the run with its outcome. Exchange properties carry the state between them.
 */
@Component
public class CsvFileIngestor {

    public static final String SOURCE = RunKeys.SOURCE;
    public static final String RUN_ID = RunKeys.RUN_ID;
    public static final String FILE_SIZE = RunKeys.FILE_SIZE;
    public static final String MDC_SOURCE = RunKeys.MDC_SOURCE;
    public static final String MDC_RUN_ID = RunKeys.MDC_RUN_ID;
    public static final String FILE_NAME = "etl.fileName";
    public static final String FILE_HASH = "etl.fileHash";
    public static final String READER = "etl.csvReader";
    /**
     * Exchange property: an {@link AtomicBoolean}, set when the file must begin again in a new run
     * after its stored checkpoint. One object shared by the file's exchange and its batches' copies.
     */
    private static final String RESUME = "etl.resume";
    private static final String RESUMES = "etl.resumes";
    /** Resumes of one file in one pick-up before it is failed: each needs a crash of PostgreSQL. */
    private static final int MAX_RESUMES = 10;

    private static final Logger log = LoggerFactory.getLogger(CsvFileIngestor.class);
    /** How long a failing run waits for a batch already past its turn: a merge and a commit, or a lock wait. */
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);

    private final RunRepository runs;
    private final RecordValidator validator;
    private final CommitOrder commitOrder;
    private final RecordStatistics statistics;
    private final EtlMetrics metrics;
    private final int batchSize;

    public CsvFileIngestor(RunRepository runs, RecordValidator validator, CommitOrder commitOrder,
                           RecordStatistics statistics, EtlMetrics metrics, EtlProperties properties) {
        this.runs = runs;
        this.validator = validator;
        this.commitOrder = commitOrder;
        this.statistics = statistics;
        this.metrics = metrics;
        this.batchSize = properties.batchSize();
    }

    /** Names the file by the sha256 of its bytes: the same content under any name is one file. */
    public void fingerprint(Exchange exchange) throws IOException {
        Path path = path(exchange);
        String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        exchange.setProperty(FILE_NAME, name);
        MDC.put(MDC_SOURCE, exchange.getProperty(SOURCE, String.class));
        MDC.remove(MDC_RUN_ID);
        // The poll thread serves other files next: leave it without this run's MDC.
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                MDC.remove(MDC_SOURCE);
                MDC.remove(MDC_RUN_ID);
            }
        });
        MessageDigest sha256 = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(path), sha256)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        exchange.setProperty(FILE_HASH, HexFormat.of().formatHex(sha256.digest()));
        exchange.setProperty(FILE_SIZE, Files.size(path));
    }

    /** Content already ingested in full: a run that says so, and nothing written. */
    public void recordDuplicate(Exchange exchange) {
        String source = exchange.getProperty(SOURCE, String.class);
        String hash = exchange.getProperty(FILE_HASH, String.class);
        long rows = runs.findCheckpoint(source, hash).map(Checkpoint::rowsRead).orElse(0L);
        long runId = runs.recordFinished(source, "success", "file", exchange.getProperty(FILE_NAME, String.class),
                hash, exchange.getProperty(FILE_SIZE, Long.class), rows, null,
                "identical content already ingested (sha256 " + hash + "): all rows skipped");
        MDC.put(MDC_RUN_ID, Long.toString(runId));
        log.info("{}: identical content already ingested, {} rows skipped",
                exchange.getProperty(FILE_NAME), rows);
    }

    /**
     * Starts the file's run. An unfinished checkpoint for the same content means an earlier process
     * died mid-file: its run is closed as interrupted and this one resumes after its last line.
     */
    public void begin(Exchange exchange, CsvRowMapper.Factory mapper) throws IOException {
        String source = exchange.getProperty(SOURCE, String.class);
        String hash = exchange.getProperty(FILE_HASH, String.class);
        String fileName = exchange.getProperty(FILE_NAME, String.class);
        Optional<Checkpoint> checkpoint = runs.findCheckpoint(source, hash);
        long resumeAfter = 0;
        if (checkpoint.isPresent() && !checkpoint.get().completed()) {
            resumeAfter = checkpoint.get().lastLine();
        } else if (checkpoint.isPresent()) {
            // Completed before, but its key was forgotten because records changed since: apply again.
            runs.resetCheckpoint(source, hash);
        }
        long runId = runs.start(source, "file", fileName, hash, exchange.getProperty(FILE_SIZE, Long.class),
                resumeAfter > 0 ? resumeAfter : null);
        exchange.setProperty(RUN_ID, runId);
        MDC.put(MDC_RUN_ID, Long.toString(runId));
        List<Long> interrupted = runs.interruptOrphans(source, hash, runId);
        if (resumeAfter > 0 && interrupted.isEmpty()) {
            log.warn("{}: resuming after line {}", fileName, resumeAfter);
        } else if (resumeAfter > 0) {
            log.warn("{}: resuming after line {} (interrupted run(s) {})", fileName, resumeAfter, interrupted);
        } else if (!interrupted.isEmpty()) {
            log.warn("{}: restarting from the top (interrupted run(s) {} committed no batch)", fileName, interrupted);
        } else {
            log.info("{}: started ({} bytes)", fileName, exchange.getProperty(FILE_SIZE));
        }
        // The shared validation runs ahead on the reader thread (see RecordValidator#validated).
        CsvBatchReader<ValidatedBatch> reader = CsvBatchReader.open(path(exchange), mapper,
                new CsvBatchReader.RunContext(source, runId, fileName, hash), batchSize, resumeAfter,
                validator::validate);
        exchange.setProperty(READER, reader);
        commitOrder.open(runId, resumeAfter);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                commitOrder.close(runId);
                try {
                    reader.close();
                } catch (IOException e) {
                    log.debug("Closing {} failed", fileName, e);
                }
            }
        });
    }

    /**
     * Every batch committed: the checkpoint says so, and the run succeeds. A run that loaded a large
     * share of the records first leaves planner statistics for the next re-drop's early lookup; it
     * is part of the run, so its time is in the run's.
     */
    public void complete(Exchange exchange) {
        String source = exchange.getProperty(SOURCE, String.class);
        String fileName = exchange.getProperty(FILE_NAME, String.class);
        long runId = exchange.getProperty(RUN_ID, Long.class);
        CsvBatchReader<?> reader = exchange.getProperty(READER, CsvBatchReader.class);
        String hash = exchange.getProperty(FILE_HASH, String.class);
        statistics.refreshAfter(runId);
        runs.completeCheckpoint(source, hash, fileName, 0, fileName + ":complete", runId);
        runs.succeed(runId, null);
        log.info("{}: done, {} rows read in this run", fileName, reader.rowsRead());
    }

    /** Before the file's first run: one attempt, unless a batch asks for another. */
    public static void firstAttempt(Exchange exchange) {
        exchange.setProperty(RESUME, new AtomicBoolean(true));
        exchange.setProperty(RESUMES, new AtomicInteger());
    }

    /** The loop's condition: whether to begin a run (again), consuming the request. */
    public static boolean nextAttempt(Exchange exchange) {
        return exchange.getProperty(RESUME, AtomicBoolean.class).getAndSet(false);
    }

    /**
     * A batch did not continue from the file's stored checkpoint: a crash of PostgreSQL lost batches
     * it had acknowledged (asynchronous batch commits allow that, see BatchCommitMode). Runs on that
     * batch's exchange. This run ends failed, saying so; its batches still in flight give up; its
     * reader ends, so the split does; and the route begins a new run, which resumes after the stored
     * checkpoint as after a crash of the service. Nothing of the lost batches is in the database:
     * each was one transaction with its rows, counters and checkpoint.
     */
    public void resumeAfterLoss(Exchange exchange) throws IOException {
        CheckpointDivergedException diverged = ObjectHelper.getException(CheckpointDivergedException.class,
                exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        String fileName = exchange.getProperty(FILE_NAME, String.class);
        long runId = exchange.getProperty(RUN_ID, Long.class);
        if (exchange.getProperty(RESUMES, AtomicInteger.class).incrementAndGet() > MAX_RESUMES) {
            throw new IllegalStateException("resumed " + MAX_RESUMES + " times and the stored checkpoint still "
                    + "diverged: " + diverged.getMessage(), diverged);
        }
        exchange.getProperty(RESUME, AtomicBoolean.class).set(true);
        if (!abandon(runId)) {
            log.warn("{}: a batch was still being written {} s after the checkpoint diverged", fileName,
                    DRAIN_LIMIT.toSeconds());
        }
        // The rest of this pass would only be read to be given up: end it here (the split ends).
        exchange.getProperty(READER, CsvBatchReader.class).close();
        long lostLines = diverged.batch().previousLine() - diverged.storedLine();
        if (lostLines > 0) { // behind it: acknowledged batches are missing (ahead: the batch was stored already)
            metrics.linesLost(exchange.getProperty(SOURCE, String.class), lostLines);
        }
        runs.fail(runId, "interrupted: the database lost batches it had acknowledged (" + diverged.getMessage()
                + "); the file resumed after line " + diverged.storedLine() + " in the next run");
        log.warn("{}; the database lost batches it had acknowledged, the file resumes after line {}",
                diverged.getMessage(), diverged.storedLine());
    }

    /** The file can never be processed: a failed run with the reason; Camel moves it to .error/. */
    public void fail(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = Errors.describe(error);
        String fileName = exchange.getProperty(FILE_NAME, String.class);
        if (fileName == null) {
            fileName = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        }
        Long runId = exchange.getProperty(RUN_ID, Long.class);
        try {
            if (runId != null) {
                // Batches waiting behind the failure give up; one already merging commits or rolls
                // back first, so that nothing is written to the run after it is marked failed.
                if (!drain(runId)) {
                    log.warn("{}: a batch was still being written {} s after the failure; the run is marked failed"
                            + " anyway", fileName, DRAIN_LIMIT.toSeconds());
                }
                runs.fail(runId, reason);
            } else {
                runId = runs.recordFinished(exchange.getProperty(SOURCE, String.class), "failed", "file", fileName,
                        exchange.getProperty(FILE_HASH, String.class), exchange.getProperty(FILE_SIZE, Long.class),
                        0, reason, null);
                MDC.put(MDC_RUN_ID, Long.toString(runId));
            }
        } finally {
            log.error("{}: failed, moving to {}/: {}", fileName, InboxArchive.ERROR, reason);
        }
    }

    private boolean abandon(long runId) {
        return waited(() -> commitOrder.abandon(runId, DRAIN_LIMIT));
    }

    private boolean drain(long runId) {
        return waited(() -> commitOrder.closeAndDrain(runId, DRAIN_LIMIT));
    }

    /** A bounded wait for the batch in its turn; false if it ran out or this thread was interrupted. */
    private static boolean waited(BatchWait wait) {
        try {
            return wait.done();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private interface BatchWait {
        boolean done() throws InterruptedException;
    }

    private static Path path(Exchange exchange) {
        return Path.of(exchange.getIn().getHeader(Exchange.FILE_PATH, String.class)).toAbsolutePath();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
