package com.kasparro.etl.normalize;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
 * <p>When a run fails, {@link #closeAndDrain} ends it: batches waiting for their turn give up,
 * and so does a batch of the run that reaches its turn later (it was still in its COPYs), while the
 * batch already in its turn commits or rolls back before the run is marked failed. Nothing commits
 * after a batch that failed for good, so the checkpoint never passes over its lines.
 *
 * <p>Batches without a checkpoint key (the API's, written one at a time) never have a run opened
 * here and pass straight through. A file's batch always has one, so finding no open run means its
 * run has ended, and it gives up.
 */
@Component
public class CommitOrder implements Processor {

    /**
     * Committed batches remembered per run: more than the default two writers can have in flight
     * (writers + queue + 1). A batch whose early lookup reaches further back is looked up again.
     */
    static final int REMEMBERED = 16;

    /**
     * Exchange property: this attempt has taken its turn. A retried batch takes it before its
     * COPYs (RetriedBatchCheck); the route's own step then passes, and the batch commits once here.
     */
    private static final String TURN_TAKEN = "etl.turnTaken";

    /**
     * Exchange property: the batch's run was abandoned for a new one ({@link #abandon}); the batch
     * writes nothing, and its transaction is rolled back without an error.
     */
    public static final String ABANDONED = "etl.batchAbandoned";

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

    /**
     * As {@link #close}, then waits up to {@code limit} for the batch that has passed its turn, if
     * any, to commit or roll back. A failure found elsewhere (the reader's, say) ends the split while
     * such a batch is still merging on a writer thread: its commit must come before the run is marked
     * failed, not after.
     *
     * @return false if a batch was still in its turn when {@code limit} ran out
     */
    public boolean closeAndDrain(long runId, Duration limit) throws InterruptedException {
        Turn turn = runs.remove(runId);
        if (turn == null) {
            return true;
        }
        turn.close();
        return turn.drain(limit);
    }

    /**
     * The run is abandoned, to be continued by a new run of the same input (the database lost
     * batches it had acknowledged): its batches, waiting or still to come, give up quietly
     * ({@link #ABANDONED}) rather than fail, and this waits up to {@code limit} for the batch in its
     * turn, if any. The run stays known here until {@link #close}.
     *
     * @return false if a batch was still in its turn when {@code limit} ran out
     */
    public boolean abandon(long runId, Duration limit) throws InterruptedException {
        Turn turn = runs.get(runId);
        if (turn == null) {
            return true;
        }
        turn.abandon();
        return turn.drain(limit);
    }

    /**
     * Whether the last committed batch of {@code runId} (open here) found at least half of its keys
     * already stored, as in a re-drop; false before its first commit, and for a first load.
     */
    public boolean lastBatchMostlyStored(long runId) {
        Turn turn = runs.get(runId);
        return turn != null && turn.lastMostlyStored();
    }

    /**
     * The keys of each batch of {@code runId} that committed after line {@code sinceLine}, up to
     * and including line {@code untilLine}, in order; null when the run is not open here or those
     * batches are no longer all remembered (the last {@value #REMEMBERED} are).
     */
    public List<Set<String>> committedKeys(long runId, long sinceLine, long untilLine) {
        Turn turn = runs.get(runId);
        return turn == null ? null : turn.committedKeys(sinceLine, untilLine);
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException {
        ValidatedBatch validated = exchange.getProperty(NormalizationRoute.VALIDATED, ValidatedBatch.class);
        RecordBatch batch = validated.input();
        Turn turn = runs.get(batch.runId());
        if (turn == null && batch.checkpointKey() != null) {
            // A file's batch (its run opened here) still in its COPYs when the run failed: passing
            // through would commit it after the failure, and its checkpoint past the failed lines.
            throw new BatchAbortedException("run " + batch.runId() + " ended before the batch up to line "
                    + batch.lastLine() + " could commit (an earlier batch failed)");
        }
        if (turn == null || exchange.getProperty(TURN_TAKEN, false, Boolean.class)) {
            return;
        }
        exchange.setProperty(TURN_TAKEN, true);
        // Built before the wait, while the batch ahead merges: the wait and the commit are the chain.
        Set<String> keys = new HashSet<>(validated.valid().size() * 2);
        validated.valid().forEach(r -> keys.add(r.externalId()));
        if (!turn.await(batch)) {
            exchange.setProperty(ABANDONED, true);
            return;
        }
        try {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    Map<?, ?> merged = exchange.getIn().getHeader(NormalizationRoute.MERGED, Map.class);
                    long inserted = merged == null ? keys.size() : ((Number) merged.get("inserted")).longValue();
                    turn.committed(batch, keys, inserted * 2 <= keys.size());
                }

                @Override
                public void afterCompletion(int status) {
                    turn.left(); // also after a commit whose afterCommit hooks failed
                }
            });
        } catch (RuntimeException e) {
            turn.left();
            throw e;
        }
    }

    /** One run's committed line, and the keys of its last few committed batches. */
    private static final class Turn {

        private final Deque<Committed> recent = new ArrayDeque<>(REMEMBERED);
        private long committedLine;
        private boolean closed;
        /** A batch has passed its turn and its transaction has not ended yet. */
        private boolean inTurn;
        /** Closed for a new run of the same input: batches give up quietly. */
        private boolean abandoned;

        Turn(long startLine) {
            this.committedLine = startLine;
        }

        /** Waits for the batch's turn; false if the run was abandoned, before or during the wait. */
        synchronized boolean await(RecordBatch batch) throws InterruptedException {
            while (committedLine < batch.previousLine() && !closed) {
                wait();
            }
            if (abandoned) {
                return false;
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
            inTurn = true;
            return true;
        }

        synchronized void abandon() {
            abandoned = true;
            closed = true;
            notifyAll();
        }

        /** The transaction of the batch in its turn has ended, committed or not. */
        synchronized void left() {
            inTurn = false;
            notifyAll();
        }

        synchronized boolean drain(Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            long left;
            while (inTurn && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return !inTurn;
        }

        synchronized void committed(RecordBatch batch, Set<String> keys, boolean mostlyStored) {
            if (recent.size() == REMEMBERED) {
                recent.removeFirst();
            }
            recent.addLast(new Committed(batch.previousLine(), batch.lastLine(), keys, mostlyStored));
            committedLine = batch.lastLine();
            inTurn = false;
            notifyAll();
        }

        synchronized boolean lastMostlyStored() {
            return !recent.isEmpty() && recent.getLast().mostlyStored();
        }

        synchronized List<Set<String>> committedKeys(long sinceLine, long untilLine) {
            List<Set<String>> keys = new ArrayList<>();
            long line = sinceLine;
            for (Committed c : recent) {
                if (line == untilLine) {
                    break;
                }
                if (c.previousLine() == line) {
                    keys.add(c.keys());
                    line = c.lastLine();
                }
            }
            return line == untilLine ? keys : null;
        }

        synchronized void close() {
            closed = true;
            notifyAll();
        }
    }

    /** A committed batch: its lines, its keys, and whether at most half of them were new records. */
    private record Committed(long previousLine, long lastLine, Set<String> keys, boolean mostlyStored) {
    }

    /** A batch given up because its input failed on an earlier batch: that failure is the one to report. */
    public static final class BatchAbortedException extends RuntimeException {
        BatchAbortedException(String message) {
            super(message);
        }
    }
}
