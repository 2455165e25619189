package com.kasparro.etl.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Reads of the API payload checkpoint: {@code raw_api_data} (one row per distinct payload) and the
 * {@code ingestion_checkpoints} row whose marker is the hash of the last payload ingested in full
 * (written by {@code sql/input-complete.sql}).
 */
@Repository
public class ApiPayloadRepository {

    private static final String LAST = SqlFiles.load("api-payload-last.sql");
    private static final String ITEM_COUNT = SqlFiles.load("api-payload-item-count.sql");
    private static final String RUN_COUNTS = SqlFiles.load("run-counts.sql");

    private final NamedParameterJdbcTemplate jdbc;

    public ApiPayloadRepository(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record RunCounts(long read, long inserted, long updated, long skipped, long rejected) {
    }

    /** The hash of the last payload ingested in full under a checkpoint (a source's, or one page's). */
    public Optional<String> lastPayloadHash(String source, String checkpointKey) {
        List<String> found = jdbc.queryForList(LAST, Map.of("source", source, "checkpointKey", checkpointKey),
                String.class);
        return found.stream().findFirst();
    }

    public Optional<Integer> itemCount(String source, String payloadHash) {
        List<Integer> found = jdbc.queryForList(ITEM_COUNT, Map.of("source", source, "payloadHash", payloadHash),
                Integer.class);
        return found.stream().findFirst();
    }

    public RunCounts counts(long runId) {
        return jdbc.queryForObject(RUN_COUNTS, Map.of("runId", runId), (rs, i) -> new RunCounts(
                rs.getLong("records_read"), rs.getLong("records_inserted"), rs.getLong("records_updated"),
                rs.getLong("records_skipped"), rs.getLong("records_rejected")));
    }
}
