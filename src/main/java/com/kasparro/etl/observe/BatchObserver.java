package com.kasparro.etl.observe;

import com.kasparro.etl.normalize.NormalizationRoute;
import com.kasparro.etl.normalize.RunKeys;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The last step of the normalization route: once the batch's transaction has committed, counts
 * its records in the metrics and moves the progress log. Registered as a Spring transaction
 * synchronization, so that a rolled-back batch counts nothing.
 *
 * <p>In: the merge's result (a Map with {@code inserted}, {@code updated}) in the
 * {@link NormalizationRoute#MERGED} header, and the merge's parameters (source, runId, fileName,
 * bytesRead, read, valid, rejected) as headers.
 */
@Component
public class BatchObserver implements Processor {


    private final EtlMetrics metrics;
    private final ProgressLog progress;

    public BatchObserver(EtlMetrics metrics, ProgressLog progress) {
        this.metrics = metrics;
        this.progress = progress;
    }

    @Override
    public void process(Exchange exchange) {
        Map<?, ?> params = exchange.getIn().getHeaders();
        Map<?, ?> merged = exchange.getIn().getHeader(NormalizationRoute.MERGED, Map.class);
        if (params == null || merged == null) {
            return;
        }
        String source = (String) params.get("source");
        long runId = number(params.get("runId"));
        String fileName = (String) params.get("fileName");
        long read = number(params.get("read"));
        long valid = number(params.get("valid"));
        long rejected = number(params.get("rejected"));
        long bytesRead = number(params.get("bytesRead"));
        long inserted = number(merged.get("inserted"));
        long updated = number(merged.get("updated"));
        Long fileSize = exchange.getProperty(RunKeys.FILE_SIZE, Long.class);
        Runnable committed = () -> {
            metrics.batchCommitted(source, inserted, updated, valid - inserted - updated, rejected);
            progress.batchCommitted(runId, fileName, fileSize, bytesRead, read);
        };
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    committed.run();
                }
            });
        } else {
            committed.run();
        }
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0L;
    }
}
