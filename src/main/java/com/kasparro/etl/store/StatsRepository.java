package com.kasparro.etl.store;

import com.kasparro.etl.source.SourceRegistry;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * What /stats reports. Record counts come from {@code source_stats}, kept exact by the merge in
 * the same transactions as the records, so the answer never scans {@code unified_records}.
 */
@Repository
public class StatsRepository {

    private static final String RUNS = SqlFiles.load("stats-runs.sql");
    private static final String RECORDS = SqlFiles.load("stats-records.sql");
    private static final String CHECKPOINTS = SqlFiles.load("stats-checkpoints.sql");

    private final NamedParameterJdbcTemplate jdbc;
    private final SourceRegistry sources;

    public StatsRepository(NamedParameterJdbcTemplate jdbc, SourceRegistry sources) {
        this.jdbc = jdbc;
        this.sources = sources;
    }

    public record RunStats(long total, long success, long failed, long running,
                           OffsetDateTime lastSuccessAt, OffsetDateTime lastFailureAt) {
    }

    public record Stats(RunStats runs, Map<String, Long> records, Map<String, String> checkpoints) {
    }

    public Stats stats() {
        RunStats runs = jdbc.queryForObject(RUNS, Map.of(), (rs, i) -> new RunStats(
                rs.getLong("total"), rs.getLong("success"), rs.getLong("failed"), rs.getLong("running"),
                rs.getObject("last_success_at", OffsetDateTime.class),
                rs.getObject("last_failure_at", OffsetDateTime.class)));
        Map<String, Long> records = new LinkedHashMap<>();
        sources.names().forEach(s -> records.put(s, 0L));
        jdbc.query(RECORDS, rs -> {
            records.put(rs.getString("source"), rs.getLong("record_count"));
        });
        Map<String, String> checkpoints = new LinkedHashMap<>();
        sources.names().forEach(s -> checkpoints.put(s, null));
        jdbc.query(CHECKPOINTS, rs -> {
            checkpoints.put(rs.getString("source"), rs.getString("marker"));
        });
        return new Stats(runs, records, checkpoints);
    }
}
