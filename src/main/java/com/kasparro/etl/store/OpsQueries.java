package com.kasparro.etl.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The read side of the operability API: runs, records, schema snapshots and rejected rows, paged
 * and filtered. The views are the JSON shapes of the API (snake_case keys, as in the contract).
 */
@Repository
public class OpsQueries {

    private static final String RUNS_LIST = SqlFiles.load("api/runs-list.sql");
    private static final String RUNS_COUNT = SqlFiles.load("api/runs-count.sql");
    private static final String RUN_FIND = SqlFiles.load("api/run-find.sql");
    private static final String RECORDS_LIST = SqlFiles.load("api/records-list.sql");
    private static final String RECORDS_COUNT = SqlFiles.load("api/records-count.sql");
    private static final String RECORDS_TOTAL = SqlFiles.load("api/records-total.sql");
    private static final String RECORD_FIND = SqlFiles.load("api/record-find.sql");
    private static final String DRIFT_LIST = SqlFiles.load("api/drift-list.sql");
    private static final String REJECTIONS_LIST = SqlFiles.load("api/rejections-list.sql");
    private static final String REJECTIONS_COUNT = SqlFiles.load("api/rejections-count.sql");

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;

    public OpsQueries(NamedParameterJdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** One page of a listing and the number of rows that match its filters. */
    public record Page<T>(List<T> items, long total) {
    }

    public Page<RunView> runs(String source, String status, int limit, long offset) {
        Map<String, Object> p = new HashMap<>();
        p.put("source", source);
        p.put("status", status);
        long total = jdbc.queryForObject(RUNS_COUNT, p, Long.class);
        p.put("limit", limit);
        p.put("offset", offset);
        return new Page<>(jdbc.query(RUNS_LIST, p, this::mapRun), total);
    }

    public Optional<RunView> run(long id) {
        return jdbc.query(RUN_FIND, Map.of("id", id), this::mapRun).stream().findFirst();
    }

    /**
     * Records in id order. Without a text search the total is read from {@code source_stats}
     * (exact, kept by the merge), so paging through millions of rows never counts them.
     */
    public Page<RecordView> records(String source, String query, int limit, long offset) {
        Map<String, Object> p = new HashMap<>();
        p.put("source", source);
        p.put("pattern", query == null || query.isEmpty() ? null : containsPattern(query));
        long total = p.get("pattern") == null
                ? jdbc.queryForObject(RECORDS_TOTAL, p, Long.class)
                : jdbc.queryForObject(RECORDS_COUNT, p, Long.class);
        p.put("limit", limit);
        p.put("offset", offset);
        return new Page<>(jdbc.query(RECORDS_LIST, p, this::mapRecord), total);
    }

    public Optional<RecordView> record(String source, String externalId) {
        return jdbc.query(RECORD_FIND, Map.of("source", source, "externalId", externalId), this::mapRecord)
                .stream().findFirst();
    }

    public List<SnapshotView> snapshots(String source) {
        Map<String, Object> p = new HashMap<>();
        p.put("source", source);
        return jdbc.query(DRIFT_LIST, p, (rs, i) -> new SnapshotView(rs.getLong("id"), rs.getString("source"),
                rs.getObject("run_id", Long.class), rs.getString("signature_hash"),
                anyJson(rs.getString("signature")), anyJson(rs.getString("diff")),
                rs.getObject("created_at", OffsetDateTime.class)));
    }

    public Page<RejectionView> rejections(String source, Long runId, int limit, long offset) {
        Map<String, Object> p = new HashMap<>();
        p.put("source", source);
        p.put("runId", runId);
        long total = jdbc.queryForObject(REJECTIONS_COUNT, p, Long.class);
        p.put("limit", limit);
        p.put("offset", offset);
        RowMapper<RejectionView> mapper = (rs, i) -> new RejectionView(rs.getLong("id"), rs.getLong("run_id"),
                rs.getString("source"), rs.getString("file_name"), rs.getObject("line_number", Long.class),
                rs.getString("raw_text"), rs.getString("reason"), rs.getObject("created_at", OffsetDateTime.class));
        return new Page<>(jdbc.query(REJECTIONS_LIST, p, mapper), total);
    }

    /** {@code q} as a case-insensitive "contains" LIKE pattern, its own wildcards taken literally. */
    static String containsPattern(String query) {
        String escaped = query.toLowerCase(java.util.Locale.ROOT)
                .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }

    /**
     * Bytes read over the file size, as a percent with one decimal; 100 once a run succeeded, null
     * when the input is not a file (an API poll) or its size is unknown.
     */
    static BigDecimal progressPercent(String status, Long fileSize, long bytesRead) {
        if ("success".equals(status)) {
            return BigDecimal.valueOf(100);
        }
        if (fileSize == null) {
            return null;
        }
        if (fileSize <= 0) {
            return BigDecimal.ZERO;
        }
        double percent = Math.min(100.0, bytesRead * 100.0 / fileSize);
        return BigDecimal.valueOf(percent).setScale(1, RoundingMode.DOWN);
    }

    private RunView mapRun(ResultSet rs, int row) throws SQLException {
        String status = rs.getString("status");
        Long fileSize = rs.getObject("file_size", Long.class);
        long bytesRead = rs.getLong("bytes_read");
        return new RunView(rs.getLong("id"), rs.getString("source"), status, rs.getString("trigger"),
                rs.getString("file_name"), rs.getString("file_hash"), fileSize, bytesRead,
                progressPercent(status, fileSize, bytesRead), rs.getString("instance_id"),
                rs.getObject("started_at", OffsetDateTime.class), rs.getObject("finished_at", OffsetDateTime.class),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("heartbeat_at", OffsetDateTime.class),
                rs.getLong("records_read"), rs.getLong("records_inserted"), rs.getLong("records_updated"),
                rs.getLong("records_skipped"), rs.getLong("records_rejected"),
                rs.getObject("resumed_from_line", Long.class), rs.getString("error_message"), rs.getString("note"));
    }

    private RecordView mapRecord(ResultSet rs, int row) throws SQLException {
        return new RecordView(rs.getLong("id"), rs.getString("source"), rs.getString("external_id"),
                rs.getString("name"), rs.getString("category"), rs.getBigDecimal("value"),
                object(rs.getString("attributes")), rs.getString("content_hash"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class));
    }

    private Object anyJson(String text) {
        try {
            return text == null ? null : json.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("jsonb column holds invalid JSON", e);
        }
    }

    private Map<String, Object> object(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("jsonb column holds invalid JSON", e);
        }
    }
}
