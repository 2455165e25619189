package com.kasparro.etl.ingest.csv;

import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.normalize.RecordBatch;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The batches of each file being written at once: at most {@code etl.inbox.writers-per-file}. The
 * inbox route's parallel split takes a slot for each batch before handing it to a writer thread
 * ({@link #enter}, its {@code onPrepare}), and the batch's exchange frees it when it completes,
 * written or failed. So memory holds that many batches, never the file, and a file's run is closed
 * only once no batch of it is being written ({@link #finish}).
 *
 * <p>Hand-written because Camel's parallel split bounds its sub-exchanges only by its thread pool's
 * queue, and ends an exchange whose batch failed without waiting for its other batches in flight.
 */
@Component
public class FileWrites {

    private static final Logger log = LoggerFactory.getLogger(FileWrites.class);
    /** How long a failed or stopped file's run waits for its batches still being written. */
    private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(30);

    private final int perFile;
    private final Map<Long, Semaphore> slots = new ConcurrentHashMap<>();

    @Autowired
    public FileWrites(EtlProperties properties) {
        this(properties.inbox().writersPerFile());
    }

    FileWrites(int perFile) {
        this.perFile = perFile;
    }

    /** Threads a source's inbox route writes with: one per slot, and one that reads the batches. */
    public int threads() {
        return perFile + 1;
    }

    /** Waits for a free slot of the batch's file; the batch's exchange frees it when it completes. */
    public void enter(Exchange batchExchange) throws InterruptedException {
        long runId = batchExchange.getIn().getBody(RecordBatch.class).runId();
        Semaphore file = slots.computeIfAbsent(runId, id -> new Semaphore(perFile));
        file.acquire();
        batchExchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                file.release();
            }
        });
    }

    /**
     * Waits until no batch of the run is being written, then forgets the run. After a success every
     * batch has completed already; after a failure or a stop, the batches still in flight end first
     * (committed or rolled back), so that the run's outcome is written after them.
     */
    public void finish(long runId) {
        Semaphore file = slots.get(runId);
        if (file == null) {
            return;
        }
        try {
            if (file.tryAcquire(perFile, FINISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                // Given back: a thread still waiting for a slot must never wait for good.
                file.release(perFile);
            } else {
                log.warn("batches of run {} are still being written after {}; closing the run without them",
                        runId, FINISH_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            slots.remove(runId);
        }
    }
}
