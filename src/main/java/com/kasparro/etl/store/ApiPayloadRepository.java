package com.kasparro.etl.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The API payload checkpoint: {@code raw_api_data} (one row per distinct payload) and the
 * {@code ingestion_checkpoints} row whose marker is the hash of the last payload ingested in full.
 */
@Repository
public class ApiPayloadRepository {

    /** The checkpoint key of an API source: one payload checkpoint per source. */
    public static final String PAYLOAD_KEY = "payload";

    private static final String LAST = SqlFiles.load("coingecko-payload-last.sql");
    private static final String ITEM_COUNT = SqlFiles.load("coingecko-payload-item-count.sql");
    private static final String STORE = SqlFiles.load("coingecko-payload-store.sql");
    private static final String RUN_SKIPPED = SqlFiles.load("coingecko-run-skipped.sql");
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

    /** Stores a payload (UTF-8 JSON bytes) unless the same payload is already stored. */
    public void store(String source, long runId, String payloadHash, byte[] payload, int itemCount) {
        Map<String, Object> p = new HashMap<>();
        p.put("source", source);
        p.put("runId", runId);
        p.put("payloadHash", payloadHash);
        p.put("payload", payload);
        p.put("itemCount", itemCount);
        jdbc.update(STORE, p);
    }

    public void recordSkipped(long runId, long count) {
        jdbc.update(RUN_SKIPPED, Map.of("runId", runId, "count", count));
    }

    public RunCounts counts(long runId) {
        return jdbc.queryForObject(RUN_COUNTS, Map.of("runId", runId), (rs, i) -> new RunCounts(
                rs.getLong("records_read"), rs.getLong("records_inserted"), rs.getLong("records_updated"),
                rs.getLong("records_skipped"), rs.getLong("records_rejected")));
    }
}
