package com.kasparro.etl.ingest.csv;

import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.ingest.inbox.Errors;
import com.kasparro.etl.ingest.inbox.InboxArchive;
import com.kasparro.etl.observe.ProgressLog;
import com.kasparro.etl.observe.RunMdc;
import com.kasparro.etl.source.SourceRegistry;
import com.kasparro.etl.store.RunRepository;
import com.kasparro.etl.store.RunRepository.Checkpoint;
import com.kasparro.etl.util.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
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

    public CsvFileSteps(RunRepository runs, SourceRegistry sources, ProgressLog progress, EtlProperties properties) {
        this.runs = runs;
        this.sources = sources;
        this.progress = progress;
        this.batchSize = properties.batchSize();
    }

    /** Names the file by the sha256 of its bytes: the same content under any name is one file. */
    public InboxFile identify(@Header(Exchange.FILE_PATH) String filePath,
                              @Header(Exchange.FILE_NAME_ONLY) String name,
                              @Header(InboxRoutes.SOURCE) String source) throws IOException {
        RunMdc.source(source);
        Path path = Path.of(filePath).toAbsolutePath();
        return new InboxFile(source, name, path, Files.size(path), Sha256.hex(path));
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
     * stopped mid-file: it is closed as interrupted and this one resumes after its last line.
     */
    public FileRun begin(InboxFile file) {
        Optional<Checkpoint> checkpoint = runs.findCheckpoint(file.source(), file.sha256());
        long resumeAfter = 0;
        if (checkpoint.isPresent() && !checkpoint.get().completed()) {
            resumeAfter = checkpoint.get().lastLine();
        } else if (checkpoint.isPresent()) {
            // Completed before, but its key was forgotten because records changed since: apply again.
            runs.resetCheckpoint(file.source(), file.sha256());
        }
        long runId = runs.start(file.source(), "file", file.name(), file.sha256(), file.size(),
                resumeAfter > 0 ? resumeAfter : null);
        RunMdc.run(file.source(), runId);
        List<Long> interrupted = runs.interruptOrphans(file.source(), file.sha256(), runId);
        if (resumeAfter > 0) {
            log.warn("{}: resuming after line {} (interrupted run(s) {})", file.name(), resumeAfter, interrupted);
        } else if (!interrupted.isEmpty()) {
            log.warn("{}: restarting from the top (interrupted run(s) {} committed no batch)", file.name(), interrupted);
        } else {
            log.info("{}: started ({} bytes)", file.name(), file.size());
        }
        progress.started(runId, file.name(), file.size());
        return new FileRun(file, runId, resumeAfter);
    }

    /** The file's batches, for the streaming splitter; it closes the reader when it is done. */
    public CsvBatchReader batches(FileRun run) throws IOException {
        InboxFile file = run.file();
        return CsvBatchReader.open(file.path(), CsvRowMapper.Factory.of(sources.get(file.source())),
                new CsvBatchReader.RunContext(file.source(), run.runId(), file.name(), file.sha256()),
                batchSize, run.resumeAfter());
    }

    /** Every batch committed: the checkpoint says so, and the run succeeds. */
    public void complete(FileRun run) {
        InboxFile file = run.file();
        runs.completeCheckpoint(file.source(), file.sha256(), file.name(), 0, file.name() + ":complete", run.runId());
        runs.succeed(run.runId(), null);
        progress.finished(run.runId());
        log.info("{}: done", file.name());
    }

    /** The file can never be processed: a failed run with the reason; Camel moves it to .error/. */
    public void fail(Exchange exchange) {
        String reason = Errors.describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        Object body = exchange.getIn().getBody();
        try {
            if (body instanceof FileRun run) {
                runs.fail(run.runId(), reason);
                progress.finished(run.runId());
                log.error("{}: failed, moving to {}/: {}", run.file().name(), InboxArchive.ERROR, reason);
            } else {
                InboxFile file = body instanceof InboxFile f ? f : null;
                String source = exchange.getIn().getHeader(InboxRoutes.SOURCE, String.class);
                String name = file != null ? file.name() : exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
                long runId = runs.recordFinished(source, "failed", "file", name, file == null ? null : file.sha256(),
                        file == null ? null : file.size(), 0, reason, null);
                RunMdc.run(source, runId);
                log.error("{}: failed, moving to {}/: {}", name, InboxArchive.ERROR, reason);
            }
        } finally {
            RunMdc.clear();
        }
    }
}
