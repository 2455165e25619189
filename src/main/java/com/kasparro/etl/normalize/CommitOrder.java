package com.kasparro.etl.normalize;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Lets the batches of one input be written by several threads at once while they still commit
 * strictly in input order, so that a checkpoint never runs ahead of a batch that might yet fail.
 *
 * <p>A batch's COPYs (raw and rejected rows: no unique keys, nothing another batch locks) run as
 * soon as a writer thread has it. Then, before the merge, this step waits until the batch before
 * it has committed: the merge takes the source's write lock and the run and checkpoint rows, all of
 * which the next batch needs too, and waiting first means no batch ever holds a lock that an
 * earlier one waits for (PostgreSQL could not see such a cycle through this wait). Measured on the
 * 1M-row bench: the next batch's COPY and Java work overlap this batch's merge and commit.
 *
 * <p>Inputs that never {@link #open} a run here (the API's batches, written one at a time) pass
 * straight through.
 */
@Component
public class CommitOrder implements Processor {

    private final Map<Long, Turn> runs = new ConcurrentHashMap<>();

    /** Batches of {@code runId} may now be written in parallel; the first continues from {@code startLine}. */
    public void open(long runId, long startLine) {
        runs.put(runId, new Turn(startLine));
    }

    /** The run is over, or has failed: batches still waiting give up (their transactions roll back). */
    public void close(long runId) {
        Turn turn = runs.remove(runId);
        if (turn != null) {
            turn.close();
        }
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException {
        RecordBatch batch = exchange.getProperty(NormalizationRoute.VALIDATED, ValidatedBatch.class).input();
        Turn turn = runs.get(batch.runId());
        if (turn == null) {
            return;
        }
        turn.await(batch);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                turn.committed(batch.lastLine());
            }
        });
    }

    /** One run's committed line. */
    private static final class Turn {

        private long committedLine;
        private boolean closed;

        Turn(long startLine) {
            this.committedLine = startLine;
        }

        synchronized void await(RecordBatch batch) throws InterruptedException {
            while (committedLine < batch.previousLine() && !closed) {
                wait();
            }
            if (closed) {
                throw new BatchAbortedException("run " + batch.runId() + " ended before the batch up to line "
                        + batch.lastLine() + " could commit (an earlier batch failed)");
            }
            if (committedLine != batch.previousLine()) {
                throw new IllegalStateException("batch up to line " + batch.lastLine() + " of run " + batch.runId()
                        + " continues from line " + batch.previousLine() + " but line " + committedLine
                        + " is committed");
            }
        }

        synchronized void committed(long line) {
            committedLine = line;
            notifyAll();
        }

        synchronized void close() {
            closed = true;
            notifyAll();
        }
    }

    /** A batch given up because its input failed on an earlier batch: that failure is the one to report. */
    public static final class BatchAbortedException extends RuntimeException {
        BatchAbortedException(String message) {
            super(message);
        }
    }
}
