package com.kasparro.etl.store;

import java.sql.SQLWarning;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.StatementCallback;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The planner statistics of {@code unified_records}, which the early lookup's plan depends on
 * ({@code sql/batch-lookup.sql}): whether they exist, and an {@code ANALYZE} after a run that
 * loaded a large share of the records.
 *
 * <p>Why the service analyses at all: autovacuum does too, but only some time after a bulk load
 * (on its next round, a minute apart by default), and a re-drop that starts before then would find
 * no statistics and fall back to the slower lookup in the merge.
 */
@Component
public class RecordStatistics {

    private static final String PRESENT = SqlFiles.load("records-statistics-present.sql");
    private static final String LOADED_SHARE = SqlFiles.load("run-loaded-share.sql");
    private static final String ANALYZE = SqlFiles.load("records-analyze.sql");
    /** As autovacuum's default {@code autovacuum_analyze_scale_factor}: a tenth of the table. */
    private static final int SHARE_DIVISOR = 10;
    private static final Logger log = LoggerFactory.getLogger(RecordStatistics.class);

    private final NamedParameterJdbcTemplate jdbc;
    /** Once there, statistics stay (ANALYZE replaces them; TRUNCATE does not remove them). */
    private volatile boolean seen;

    public RecordStatistics(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether {@code unified_records} has statistics on its keys; asks the database until it has. */
    public boolean present() {
        if (!seen) {
            seen = Boolean.TRUE.equals(jdbc.queryForObject(PRESENT, Map.of(), Boolean.class));
        }
        return seen;
    }

    /**
     * Analyses {@code unified_records} if run {@code runId} inserted at least a tenth of all
     * records. Never fails the run: without statistics the early lookup is only skipped.
     */
    public void refreshAfter(long runId) {
        try {
            Map<String, Object> share = jdbc.queryForMap(LOADED_SHARE, Map.of("runId", runId));
            long inserted = ((Number) share.get("inserted")).longValue();
            long total = ((Number) share.get("total")).longValue();
            if (inserted == 0 || inserted * SHARE_DIVISOR < total) {
                return;
            }
            long start = System.nanoTime();
            // PostgreSQL skips the table with a WARNING, not an error, when it is locked or not ours.
            SQLWarning skipped = jdbc.getJdbcOperations().execute((StatementCallback<SQLWarning>) statement -> {
                statement.execute(ANALYZE);
                return statement.getWarnings();
            });
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (skipped == null) {
                log.info("Analysed unified_records: this run inserted {} of its {} records ({} ms)", inserted, total,
                        millis);
            } else {
                log.warn("Did not analyse unified_records after this run inserted {} of its {} records: {}",
                        inserted, total, skipped.getMessage());
            }
        } catch (DataAccessException e) {
            log.warn("Could not analyse unified_records after run {}: {}", runId, e.getMessage());
        }
    }
}
