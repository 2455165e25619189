package com.kasparro.etl.normalize;

import com.kasparro.etl.observe.BatchObserver;
import com.kasparro.etl.store.BatchCommitMode;
import com.kasparro.etl.store.BatchCopyWriter;
import com.kasparro.etl.store.BatchLookup;
import com.kasparro.etl.store.BatchMerger;
import com.kasparro.etl.store.RetriedBatchCheck;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The one route every source feeds: a {@link RecordBatch} in, validated and written in a single
 * transaction: raw rows, rejected rows, the upsert of unified records, the run's counters and the
 * input's checkpoint. Either all of a batch is committed or none of it, so a checkpoint never
 * runs ahead of the rows it covers. A file's batches may arrive on several writer threads at once;
 * {@link CommitOrder} makes them merge and commit in file order.
 *
 * <p>No error handler here: a failure rolls the batch back and goes to the calling source route,
 * whose {@code onException} decides between waiting for the database and failing the input. A
 * failed COMMIT may still have landed on the server: a retried batch first checks its checkpoint
 * ({@link RetriedBatchCheck}), so that it is never applied twice.
 */
@Component
public class NormalizationRoute extends RouteBuilder {

    public static final String ENDPOINT = "direct:normalize";
    /** Exchange property: the {@link ValidatedBatch}. */
    public static final String VALIDATED = "etl.validated";
    /** Header: the merge's result, a map with {@code inserted} and {@code updated}. */
    public static final String MERGED = "etl.merged";
    /** Exchange property: this attempt is a retry of the batch (see {@link BatchDispatcher}). */
    public static final String RETRY = "etl.batchRetry";
    /** Exchange property: a retried batch's earlier attempt had committed; nothing is written again. */
    public static final String COMMITTED_BEFORE = "etl.committedBefore";

    private final RecordValidator validator;
    private final BatchCopyWriter writer;
    private final BatchLookup lookup;
    private final BatchMerger merger;
    private final BatchObserver observer;
    private final CommitOrder commitOrder;
    private final RetriedBatchCheck retriedBatches;
    private final BatchCommitMode commitMode;

    public NormalizationRoute(RecordValidator validator, BatchCopyWriter writer, BatchLookup lookup,
                              BatchMerger merger, BatchObserver observer, CommitOrder commitOrder,
                              RetriedBatchCheck retriedBatches, BatchCommitMode commitMode) {
        this.validator = validator;
        this.writer = writer;
        this.lookup = lookup;
        this.merger = merger;
        this.observer = observer;
        this.commitOrder = commitOrder;
        this.retriedBatches = retriedBatches;
        this.commitMode = commitMode;
    }

    @Override
    public void configure() {
        from(ENDPOINT)
                .routeId("normalize")
                .errorHandler(noErrorHandler())
                .transacted()
                // The body stays the RecordBatch it came as: if the database fails, the caller
                // redelivers this same exchange, and it must find its input intact.
                .setProperty(VALIDATED, method(validator, "validated")).id("validate-batch")
                // A retry after a failed COMMIT: that commit may have landed. Then write nothing again.
                .process(retriedBatches).id("check-retried-batch")
                .filter(exchangeProperty(COMMITTED_BEFORE))
                    .stop()
                .end()
                // A file batch's commit need not wait for its WAL flush (BatchCommitMode: why that is safe).
                .process(commitMode).id("batch-commit-mode")
                .process(writer).id("copy-batch")
                // Still in parallel with the batch ahead: look the keys up, for the merge to reuse.
                .process(lookup).id("lookup-batch")
                // Also before the turn: the merge's parameters, where the lock does not decide them.
                .process(merger::prepare).id("prepare-merge")
                // Batches of one file may get here on several threads: merge and commit in order.
                .process(commitOrder).id("await-commit-turn")
                // Its run was abandoned for a new one: write nothing, and end without an error.
                .filter(exchangeProperty(CommitOrder.ABANDONED))
                    .markRollbackOnly()
                .end()
                .process(merger).id("merge-batch")
                // Metrics and the progress log, once the transaction has committed.
                .process(observer).id("observe-batch");
    }
}
