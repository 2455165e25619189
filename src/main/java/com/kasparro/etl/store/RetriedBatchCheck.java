package com.kasparro.etl.store;

import com.kasparro.etl.normalize.CommitOrder;
import com.kasparro.etl.normalize.NormalizationRoute;
import com.kasparro.etl.normalize.RecordBatch;
import com.kasparro.etl.normalize.ValidatedBatch;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The first step of a retried file batch: finds out whether the attempt before it committed after
 * all ({@code sql/batch-committed.sql}), and if so sets {@link NormalizationRoute#COMMITTED_BEFORE}
 * so that the route writes nothing again: not the raw rows, the rejected rows or the run's counters.
 *
 * <p>The batch first waits for its turn in {@link CommitOrder}, and only then takes the source's
 * write lock: every batch takes its turn before that lock, so none holds it while an earlier batch
 * waits for it. A first attempt, and a batch without a checkpoint (an API poll's, whose run fails
 * instead of being retried), pass straight through.
 */
@Component
public class RetriedBatchCheck implements Processor {

    private static final Logger log = LoggerFactory.getLogger(RetriedBatchCheck.class);
    private static final String WRITE_LOCK = SqlFiles.load("source-write-lock.sql");
    private static final String COMMITTED = SqlFiles.load("batch-committed.sql");

    private final NamedParameterJdbcTemplate jdbc;
    private final CommitOrder commitOrder;

    public RetriedBatchCheck(NamedParameterJdbcTemplate jdbc, CommitOrder commitOrder) {
        this.jdbc = jdbc;
        this.commitOrder = commitOrder;
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException {
        RecordBatch batch = exchange.getProperty(NormalizationRoute.VALIDATED, ValidatedBatch.class).input();
        if (!exchange.getProperty(NormalizationRoute.RETRY, false, Boolean.class) || batch.checkpointKey() == null) {
            return;
        }
        commitOrder.process(exchange);
        if (exchange.getProperty(CommitOrder.ABANDONED, false, Boolean.class)) {
            return; // its run was abandoned: the route rolls it back after its turn step
        }
        Map<String, Object> p = new HashMap<>();
        p.put("source", batch.source());
        p.put("checkpointKey", batch.checkpointKey());
        p.put("runId", batch.runId());
        p.put("lastLine", batch.lastLine());
        jdbc.queryForList(WRITE_LOCK, p, Long.class);
        if (Boolean.TRUE.equals(jdbc.queryForObject(COMMITTED, p, Boolean.class))) {
            log.warn("{}: the batch of lines {}-{} had committed before its connection failed; not written again",
                    batch.fileName(), batch.previousLine() + 1, batch.lastLine());
            exchange.setProperty(NormalizationRoute.COMMITTED_BEFORE, true);
        }
    }
}
