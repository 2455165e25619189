package com.kasparro.etl.store;

import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.normalize.NormalizationRoute;
import com.kasparro.etl.normalize.ValidatedBatch;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Makes a file batch's commit asynchronous ({@code sql/batch-commit-async.sql}) when
 * {@code etl.async-batch-commits} is on (the default): the commit returns without waiting for its
 * WAL flush. A file's batches commit one at a time in file order, so each flush was a wait in that
 * chain.
 *
 * <p>Why nothing is lost or repeated:
 * <ul>
 *   <li>A crash of the service loses nothing the database acknowledged: the server flushes it anyway.
 *   <li>A crash of PostgreSQL can lose the last acknowledged batches of a file. Their rows, counters
 *       and checkpoint go together, as each batch is one transaction, so the database stays at an
 *       earlier batch boundary. The next batch's merge then does not continue from the stored
 *       checkpoint ({@code sql/merge-batch.sql}), fails with {@link CheckpointDivergedException},
 *       and the file's route resumes the file after the stored checkpoint.
 *   <li>A file is marked done by its run's closing updates, which commit synchronously, and a
 *       synchronous commit flushes all WAL written before it: every batch of a successful run is on
 *       disk before the file moves to {@code .done/}.
 * </ul>
 * API batches (no checkpoint) keep synchronous commits.
 */
@Component
public class BatchCommitMode implements Processor {

    private static final String ASYNC = SqlFiles.load("batch-commit-async.sql");

    private final NamedParameterJdbcTemplate jdbc;
    private final boolean async;

    public BatchCommitMode(NamedParameterJdbcTemplate jdbc, EtlProperties properties) {
        this.jdbc = jdbc;
        this.async = properties.asyncBatchCommits();
    }

    @Override
    public void process(Exchange exchange) {
        ValidatedBatch batch = exchange.getProperty(NormalizationRoute.VALIDATED, ValidatedBatch.class);
        if (async && batch.input().checkpointKey() != null) {
            jdbc.queryForObject(ASYNC, Map.of(), String.class); // on the connection transacted() bound
        }
    }
}
