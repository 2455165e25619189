package com.kasparro.etl.support;

import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/** Small helpers over the real database for assertions. */
public final class TestDatabase {

    private final JdbcTemplate jdbc;

    public TestDatabase(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    public List<Map<String, Object>> rows(String sql, Object... args) {
        return jdbc.queryForList(sql, args);
    }

    public Map<String, Object> row(String sql, Object... args) {
        return jdbc.queryForMap(sql, args);
    }

    /** Empties every data table, so that each test starts from the same state. */
    public void reset() {
        jdbc.execute("TRUNCATE etl_runs, raw_api_data, raw_csv_data, unified_records, ingestion_checkpoints, ingestion_lanes, "
                + "schema_snapshots, rejected_rows, camel_messageprocessed, price_snapshots, call_budget_calls, "
                + "call_budget_months RESTART IDENTITY CASCADE");
        jdbc.update("UPDATE source_stats SET record_count = 0");
    }
}
