package com.kasparro.etl.ingest.csv;

import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.normalize.RecordBatch;
import com.kasparro.etl.store.Lane;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The batches of each file being written: one per lane at a time, so a lane's batches are written
 * one after the other and the lanes at once ({@code etl.inbox.writers-per-file} of them). The inbox
 * route's parallel split takes its lane's slot for each batch before handing it to a writer thread
 * ({@link #enter}, its {@code onPrepare}), and the batch's exchange frees it when it completes,
 * written or failed. So memory holds a few batches, never the file, and a file's run is closed only
 * once no batch of it is being written ({@link #finish}).
 *
 * <p>Hand-written because Camel's parallel split orders nothing between its sub-exchanges, bounds
 * them only by its thread pool's queue, and ends an exchange whose batch failed without waiting for
 * its other batches in flight.
 */
@Component
public class FileWrites {

    private static final Logger log = LoggerFactory.getLogger(FileWrites.class);
    /** How long a failed or stopped file's run waits for its batches still being written. */
    private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(30);

    private final int lanes;
    /** Per run: a slot per lane of its file, and whether the run is closing (a batch failed, a stop). */
    private final Map<Long, File> files = new ConcurrentHashMap<>();

    private record File(Semaphore[] lanes, AtomicBoolean closing) {
    }

    @Autowired
    public FileWrites(EtlProperties properties) {
        this(properties.inbox().writersPerFile());
    }

    FileWrites(int lanes) {
        this.lanes = lanes;
    }

    /** The lanes of a file no batch of which has committed yet. */
    public int lanes() {
        return lanes;
    }

    /** Threads a source's inbox route writes with: one per lane, and one that reads the batches. */
    public int threads() {
        return lanes + 1;
    }

    /**
     * Waits until the batch's lane has no batch in flight; the batch's exchange frees it when it
     * completes. Once the run is closing (a batch failed, the file stopped), nothing waits: the split
     * is ending, and its reader hands out no more batches.
     */
    public void enter(Exchange batchExchange) throws InterruptedException {
        RecordBatch batch = batchExchange.getIn().getBody(RecordBatch.class);
        File file = files.computeIfAbsent(batch.runId(),
                id -> new File(slots(batch.lane().count()), new AtomicBoolean()));
        Semaphore lane = file.lanes()[batch.lane().index()];
        if (file.closing().get()) {
            return;
        }
        lane.acquire();
        if (file.closing().get()) {
            lane.release();
            return;
        }
        batchExchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onComplete(Exchange done) {
                lane.release();
            }

            @Override
            public void onFailure(Exchange failed) {
                file.closing().set(true);
                lane.release();
            }
        });
    }

    /** Whether the run is closing: its file's reader stops handing out batches. */
    public boolean closing(long runId) {
        File file = files.get(runId);
        return file != null && file.closing().get();
    }

    /**
     * Closes the run and waits until none of its batches is being written. After a success every
     * batch has completed already; after a failure or a stop, the batches still in flight end first
     * (committed or rolled back), so that the run's outcome is written after them.
     */
    public void finish(long runId) {
        finish(runId, null);
    }

    /**
     * As {@link #finish(long)}, from the error handling of a batch of the run, whose own lane
     * ({@code ownLane}) is still taken by that batch and is not waited for.
     */
    public void finish(long runId, Lane ownLane) {
        File state = files.get(runId);
        if (state == null) {
            return;
        }
        state.closing().set(true);
        Semaphore[] file = state.lanes();
        long deadline = System.nanoTime() + FINISH_TIMEOUT.toNanos();
        boolean[] held = new boolean[file.length];
        boolean all = true;
        try {
            for (int lane = 0; lane < file.length && all; lane++) {
                if (ownLane == null || ownLane.index() != lane) {
                    held[lane] = file[lane].tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    all = held[lane];
                }
            }
            if (!all) {
                log.warn("a batch of run {} is still being written after {}; closing the run without it",
                        runId, FINISH_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // Given back: a thread still waiting for a slot must never wait for good.
            for (int lane = 0; lane < file.length; lane++) {
                if (held[lane]) {
                    file[lane].release();
                }
            }
        }
    }

    /** The file's exchange has ended: the run is forgotten. */
    public void forget(long runId) {
        files.remove(runId);
    }

    private static Semaphore[] slots(int count) {
        Semaphore[] slots = new Semaphore[count];
        for (int i = 0; i < count; i++) {
            slots[i] = new Semaphore(1);
        }
        return slots;
    }
}
