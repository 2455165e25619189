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

    /** The checkpoint key of an API source: one payload checkpoint per source. */
    public static final String PAYLOAD_KEY = "payload";

    private static final String LAST = SqlFiles.load("coingecko-payload-last.sql");
    private static final String ITEM_COUNT = SqlFiles.load("coingecko-payload-item-count.sql");
    private static final String RUN_COUNTS = SqlFiles.load("coingecko-run-counts.sql");

    private final NamedParameterJdbcTemplate jdbc;

    public ApiPayloadRepository(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record RunCounts(long read, long inserted, long updated, long skipped, long rejected) {
    }

    public Optional<String> lastPayloadHash(String source) {
        List<String> found = jdbc.queryForList(LAST, Map.of("source", source, "checkpointKey", PAYLOAD_KEY),
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
