package com.kasparro.etl.observe;

import com.kasparro.etl.store.Batch;
import com.kasparro.etl.store.WriteResult;
import org.springframework.stereotype.Component;

/**
 * The last step of the normalization route, after the batch's transaction committed: counts its
 * records in the metrics and moves the progress log.
 */
@Component
public class BatchObserver {

    private final EtlMetrics metrics;
    private final ProgressLog progress;

    public BatchObserver(EtlMetrics metrics, ProgressLog progress) {
        this.metrics = metrics;
        this.progress = progress;
    }

    public void committed(WriteResult result) {
        if (result.alreadyWritten()) {
            return; // counted when it first committed
        }
        Batch batch = result.batch();
        metrics.batchCommitted(batch.source(), result.inserted(), result.updated(), result.skipped(),
                batch.rejected().size());
        progress.batchCommitted(batch.runId(), batch.bytesRead(), batch.read());
    }
}
